"""``nda datasets``: the built-in data sets with their task and shapes.

With a NAME (built-in, ``csv:PATH`` or ``tfds:NAME``) it loads that one and
shows its splits, features and classes. Imports no TensorFlow.
"""

HELP = "list the built-in datasets (task, rows, features), or show one dataset"


def add_arguments(parser):
    parser.add_argument(
        "name", nargs="?", help="show this dataset (built-in, csv:PATH, tfds:NAME)"
    )
    parser.add_argument("--target", help="target column of a csv: dataset")
    parser.add_argument("--seed", type=int, default=0, help="split seed (default 0)")


def run(args):
    from nda_models.data import describe_dataset, list_datasets, load_dataset

    if args.name is None:
        rows = [
            _row(load_dataset(name), describe_dataset(name)) for name in list_datasets()
        ]
        header = ("dataset", "task", "rows", "features", "classes", "summary")
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(5)]
        for row in [header, *rows]:
            cells = [
                f"{str(cell):<{width}}"
                for cell, width in zip(row[:5], widths, strict=True)
            ]
            print("  ".join([*cells, row[5]]))
        return 0
    options = {"target": args.target} if args.target else {}
    ds = load_dataset(args.name, seed=args.seed, **options)
    print(repr(ds))
    print(
        f"features ({ds.input_dim}): {', '.join(ds.feature_names[:20])}"
        + (", ..." if ds.input_dim > 20 else "")
    )
    if ds.class_names is not None:
        print(f"classes ({ds.num_classes}): {', '.join(ds.class_names)}")
    return 0


def _row(ds, summary):
    rows = len(ds.y_train) + len(ds.y_val) + len(ds.y_test)
    classes = "-" if ds.num_classes is None else ds.num_classes
    return (ds.name, ds.task, rows, ds.input_dim, classes, summary)
