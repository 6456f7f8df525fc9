"""``nda datasets``: the built-in data sets with their task and shapes.

With a NAME (built-in, ``csv:PATH`` or ``tfds:NAME``) it loads that one and
shows its splits, features and classes; ``--export FILE.csv`` writes its rows
(features, then the target, classes by name) as a CSV file that ``csv:``,
``nda predict`` and ``nda evaluate`` read back. Imports no TensorFlow.
"""

from nda_models.data import describe_dataset, list_datasets, load_dataset

HELP = "list the built-in datasets (task, rows, features), or show one dataset"


def add_arguments(parser):
    parser.add_argument(
        "name",
        nargs="?",
        help=f"show this dataset: a built-in one ({', '.join(list_datasets())}), "
        "csv:PATH or tfds:NAME",
    )
    parser.add_argument(
        "--target",
        metavar="COL",
        help="target column of a csv: dataset (default: the last column)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="S", help="split seed (default: 0)"
    )
    parser.add_argument(
        "--export",
        metavar="FILE.csv",
        help="write the dataset's rows to FILE.csv, features then the target "
        "(default: write nothing)",
    )
    parser.add_argument(
        "--split",
        choices=("all", "train", "val", "test"),
        default="all",
        help="which rows --export writes (default: all)",
    )


def run(args):
    if args.name is None:
        if args.export is not None:
            raise ValueError(
                "--export needs a dataset NAME, e.g. `nda datasets iris --export "
                f"iris.csv`. Received: --export={args.export!r}"
            )
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
    if args.export is not None:
        _export(ds, args.export, args.split)
    return 0


def _export(ds, path, split):
    """Writes ``ds.to_frame(split)`` to ``path`` atomically."""
    from nda_models.cli.predict import check_csv_name
    from nda_models.core.atomic_file import atomic_path

    check_csv_name(path, "--export")
    frame = ds.to_frame(split)
    with atomic_path(path) as temp:
        frame.to_csv(temp, index=False)
    print(
        f"wrote {path}: {len(frame)} rows ({split}), target column {ds.target_name!r}"
    )


def _row(ds, summary):
    rows = len(ds.y_train) + len(ds.y_val) + len(ds.y_test)
    classes = "-" if ds.num_classes is None else ds.num_classes
    return (ds.name, ds.task, rows, ds.input_dim, classes, summary)
