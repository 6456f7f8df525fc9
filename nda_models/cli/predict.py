"""``nda predict BUNDLE --input FILE.csv [--output FILE.csv]``.

Reads raw features from a CSV file (columns matched to the bundle's feature
names; extra columns such as the target are ignored with a warning) and
writes one prediction row per input row, in order: ``prediction`` (class
names for classifiers) and, for probabilistic classifiers, one
``probability_<class>`` column per class. BUNDLE is a folder, or a name
under ``saved_models/``.

The bundle's model.onnx is served by ONNX Runtime, so TensorFlow is not even
imported; ``--runtime keras`` serves the Keras model instead (bundles saved
without model.onnx always use Keras).

Example:
    $ nda predict saved_models/iris_softmax --input flowers.csv
    prediction,probability_setosa,probability_versicolor,probability_virginica
    setosa,0.97,0.03,0.00
"""

import os
import sys
import warnings

from nda_models.core.atomic_file import atomic_path
from nda_models.core.output_locations import check_not_input, check_output_file
from nda_models.core.spreadsheet_cells import defused_frame
from nda_models.data.csv_columns import read_columns, read_header
from nda_models.data.csv_read import check_csv_path
from nda_models.data.csv_schema import check_header
from nda_models.export import load_model
from nda_models.export.format.bundle_layout import default_bundle_path
from nda_models.export.read.bundle_display import terminal_text

HELP = "predict from raw features in a CSV file with a saved model bundle"


def add_arguments(parser):
    """Adds BUNDLE, --input, --output and --runtime."""
    parser.add_argument(
        "bundle", metavar="BUNDLE", help="bundle folder, or a name under saved_models/"
    )
    parser.add_argument_group("required options").add_argument(
        "--input",
        required=True,
        metavar="FILE.csv",
        help="CSV file of raw features (required)",
    )
    parser.add_argument(
        "--output",
        metavar="FILE.csv",
        default=None,
        help="where to write the predictions (default: standard output)",
    )
    parser.add_argument(
        "--runtime",
        choices=("auto", "onnx", "keras"),
        default="auto",
        help="what runs the model: ONNX Runtime (model.onnx, no TensorFlow), "
        "Keras, or auto = ONNX Runtime when the bundle has model.onnx "
        "(default: auto)",
    )


CSV_SUFFIXES = (".csv", ".csv.gz")


def check_csv_name(path, option):
    """Refuses a file name that does not end in .csv (or .csv.gz)."""
    if not str(path).lower().endswith(CSV_SUFFIXES):
        raise ValueError(
            f"{option} must name a .csv file (comma-separated, with a header row); "
            f"convert other formats first (e.g. with pandas). "
            f"Received: {option}={path!r}"
        )


def run(args):
    """Loads the bundle, predicts every row of the input CSV, writes the result."""
    check_csv_name(args.input, "--input")
    if args.output is not None:
        check_csv_name(args.output, "--output")
        check_output_file(args.output, "--output")  # before any work
        check_not_input(args.output, "--output", {"--input": args.input})
    bundle = load_model(resolve_bundle(args.bundle), runtime=args.runtime)
    frame = read_features(args.input, bundle.feature_names)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            predictions = bundle.predict_frame(frame)
        except (ValueError, TypeError) as error:
            # The base class: a subclass may need more arguments than a message
            # (UnicodeEncodeError takes five).
            kind = TypeError if isinstance(error, TypeError) else ValueError
            raise kind(f"{args.input}: {error}") from None
    for warning in caught:
        print(f"nda: warning: {args.input}: {warning.message}", file=sys.stderr)
    if args.output is None:
        write_csv_stdout(predictions)
    else:
        write_csv_atomically(predictions, args.output, "--output")
    return 0


def resolve_bundle(name):
    """Returns ``name`` if it exists, else ``saved_models/name`` if that exists."""
    if os.path.exists(name):
        return name
    fallback = default_bundle_path(name)
    if fallback.exists():
        return fallback
    raise FileNotFoundError(
        f"no bundle at {name!r} (nor at {str(fallback)!r}). Pass the folder that "
        f"save_model or `nda train` wrote. Received: BUNDLE={name!r}"
    )


def read_features(path, numeric=None):
    """Reads the input CSV with the data package's reader, as ``load_dataset``.

    The rules and messages are ``data.csv_columns``': blank lines skipped, a
    compressed file read by its bytes, every row with one field per column,
    number cells as ``load_dataset`` reads them (``1_5`` or ``True`` are
    refused naming the file, column, row and line). Columns are matched to the
    bundle's features by name later (``predict_frame``), so the header must
    name every column once.

    Args:
        path: The ``--input`` file.
        numeric: Names of the columns read as numbers (the bundle's
            features); the others stay text. ``None``: every column.

    Returns:
        A DataFrame with the header's column names (no rows for a header-only
        file: nothing to predict).
    """
    path = check_csv_path(path)
    header = read_header(path)
    check_header(path, header)
    wanted = set(header if numeric is None else numeric)
    positions = [index for index, name in enumerate(header) if name in wanted]
    frame = read_columns(path, header, positions)
    frame.columns = header
    return frame


def write_csv_stdout(frame):
    """Writes ``frame`` to standard output as ``write_csv_atomically`` writes a
    file (formulas defused, cells quoted); on a terminal, control characters
    of a bundle's class names are shown escaped (``terminal_text``), so they
    cannot move the cursor, retitle the window or erase lines."""
    text = defused_frame(frame).to_csv(index=False)
    sys.stdout.write(terminal_text(text) if sys.stdout.isatty() else text)


def write_csv_atomically(frame, path, what="the output file"):
    """Writes ``frame`` beside ``path``, flushes it, then renames it into place
    (a link at ``path`` is followed; see ``core.atomic_file``). Text cells a
    spreadsheet would run as formulas are defused (``core.spreadsheet_cells``)."""
    with atomic_path(path, what) as temp:
        defused_frame(frame).to_csv(temp, index=False)
