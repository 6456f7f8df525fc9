"""``nda datasets``: the built-in data sets with their task and shapes.

With a NAME (built-in, ``csv:PATH`` or ``tfds:NAME``) it loads that one and
shows its splits, features and classes; ``--export FILE.csv`` writes its rows
(features, then the target, classes by name) as a CSV file that ``csv:``
and ``nda evaluate`` read back, and with ``--features-only`` the features
alone, the input of ``nda predict``. Imports no TensorFlow.
"""

from nda_models.cli.predict import check_csv_name
from nda_models.core.atomic_file import atomic_path
from nda_models.core.output_locations import check_not_input, check_output_file
from nda_models.data import describe_dataset, list_datasets, load_dataset
from nda_models.data.shown_names import shown_names
from nda_models.export.read.bundle_display import terminal_text

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
    parser.add_argument(
        "--features-only",
        action="store_true",
        help="--export writes the feature columns only: the input of `nda "
        "predict` (default: features then the target, for `nda evaluate`, "
        "csv: and training)",
    )


def run(args):
    if args.features_only and args.export is None:
        raise ValueError(
            "--features-only says what --export writes; add --export FILE.csv. "
            "Received: --features-only without --export"
        )
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
    if args.export is not None:  # before loading: a refusal costs no work
        _check_export(args.export, args.name)
    ds = load_dataset(args.name, seed=args.seed, **options)
    print(repr(ds))
    print(_shown(f"features ({ds.input_dim}): {shown_names(ds.feature_names, 20)}"))
    if ds.class_names is not None:
        print(_shown(f"classes ({ds.num_classes}): {shown_names(ds.class_names, 20)}"))
    if args.export is not None:
        _export(ds, args.export, args.split, target=not args.features_only)
    return 0


def _shown(text):
    """A csv: file's names reach the terminal as text: control characters and
    line breaks escaped, so none can retitle the window or clear the screen."""
    return terminal_text(text).replace("\n", "\\n")


def _check_export(path, name):
    """Refuses an --export that is no .csv, cannot be written or is the data."""
    check_csv_name(path, "--export")
    check_output_file(path, "--export")
    if name.startswith("csv:"):
        check_not_input(path, "--export", {"NAME": name[len("csv:") :]})


def _export(ds, path, split, *, target):
    """Writes ``ds.to_frame(split, target=target)`` to ``path`` atomically."""
    frame = ds.to_frame(split, target=target)
    with atomic_path(path, "--export") as temp:
        frame.to_csv(temp, index=False)
    if target:
        what = f"target column {ds.target_name!r} (for nda evaluate)"
    else:
        what = "features only (for nda predict)"
    print(f"wrote {path}: {len(frame)} rows ({split}), {what}")


def _row(ds, summary):
    rows = len(ds.y_train) + len(ds.y_val) + len(ds.y_test)
    classes = "-" if ds.num_classes is None else ds.num_classes
    return (ds.name, ds.task, rows, ds.input_dim, classes, summary)
