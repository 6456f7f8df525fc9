"""``nda evaluate BUNDLE --input FILE.csv --target COL [--plot FILE.png]``.

Reads a labelled CSV file (e.g. one written by ``nda datasets NAME --export``),
predicts every row with the bundle and prints the metrics; for classifiers
also scikit-learn's classification report and the confusion matrix, drawn to
``--plot FILE.png`` if asked. ``--runtime`` as for ``nda predict``.

Example:
    $ nda datasets iris_setosa --export petals.csv
    $ nda evaluate perceptron --input petals.csv --target target
"""

from nda_models.cli.predict import check_csv_name, read_features, resolve_bundle
from nda_models.core.atomic_file import atomic_path
from nda_models.core.lazy_module import lazy_module
from nda_models.core.output_locations import check_output_file
from nda_models.data.csv_columns import read_header
from nda_models.data.csv_read import check_has_rows
from nda_models.data.csv_target import check_no_missing_target
from nda_models.export import load_model
from nda_models.export.read.bundle_display import terminal_text
from nda_models.workflows.evaluate import evaluate_bundle, plot_confusion

pd = lazy_module("pandas")

HELP = "evaluate a saved model bundle on a labelled CSV file (metrics, report)"


def add_arguments(parser):
    """Adds BUNDLE, --input, --target, --runtime and --plot."""
    parser.add_argument("bundle", metavar="BUNDLE", help="bundle folder or name")
    required = parser.add_argument_group("required options")
    required.add_argument(
        "--input",
        required=True,
        metavar="FILE.csv",
        help="CSV file of raw features and the target column (required)",
    )
    required.add_argument(
        "--target",
        required=True,
        metavar="COL",
        help="name of the target column (required)",
    )
    parser.add_argument(
        "--runtime",
        choices=("auto", "onnx", "keras"),
        default="auto",
        help="what runs the model, as for `nda predict` (default: auto)",
    )
    parser.add_argument(
        "--plot",
        metavar="FILE.png",
        help="also draw the confusion matrix to FILE.png (default: no figure)",
    )


def run(args):
    """Loads the bundle and the CSV, prints metrics, report and confusion matrix."""
    check_csv_name(args.input, "--input")
    if args.plot is not None and not args.plot.lower().endswith(".png"):
        raise ValueError(
            f"--plot must name a .png file. Received: --plot={args.plot!r}"
        )
    if args.plot is not None:
        check_output_file(args.plot, "--plot")  # before any work
    bundle = load_model(resolve_bundle(args.bundle), runtime=args.runtime)
    frame = read_features(args.input, _numeric_columns(bundle, args))
    check_has_rows(args.input, list(frame.columns), frame)  # nothing to score
    if bundle.class_names is not None and args.target in frame.columns:
        # an empty label is refused as load_dataset refuses it, naming the line
        check_no_missing_target(args.input, args.target, frame[args.target])
    result = evaluate_bundle(bundle, frame, args.target, source=args.input)
    name = terminal_text(bundle.metadata.get("registry_name") or args.bundle)
    print(f"{name} on {args.input} ({result.rows} rows):")
    for key, value in result.metrics.items():
        print(f"  {key:<20} {value:.4f}")
    if result.report is None:
        return 0
    print("\nclassification report:")
    print(terminal_text(result.report))  # class names are the bundle's
    print("confusion matrix (rows: true class, columns: predicted class):")
    print(terminal_text(_matrix_text(result.confusion, result.class_names)))
    if args.plot is not None:
        _save_plot(result, f"{name} on {args.input}", args.plot)
    return 0


def _numeric_columns(bundle, args):
    """The columns read as numbers: the features, and a regression target."""
    if bundle.feature_names is not None:
        names = list(bundle.feature_names)
    else:  # features by position: every column but the target
        names = [name for name in read_header(args.input) if name != args.target]
    return names + ([args.target] if bundle.class_names is None else [])


def _matrix_text(matrix, names):
    return pd.DataFrame(matrix, index=list(names), columns=list(names)).to_string()


def _save_plot(result, title, path):
    with atomic_path(path, "--plot") as temp:
        plot_confusion(result, title).savefig(temp, dpi=120, bbox_inches="tight")
    print(f"\nwrote {path}")
