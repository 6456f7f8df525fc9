"""``nda runs LOGDIR``: the TensorBoard runs below LOGDIR, as tables.

Prints one line per run and tag (values logged, last step, last value) and
the HParams table; ``--export FILE.csv`` writes every scalar (run, tag, step,
value, wall_time) and ``--hparams-export FILE.csv`` the HParams table, each
atomically. Reads with ``nda_models.read_runs``: imports no TensorFlow.
"""

import os

from nda_models.cli.predict import check_csv_name, write_csv_atomically
from nda_models.core.atomic_file import output_target
from nda_models.core.output_locations import check_output_file
from nda_models.export.read.bundle_display import terminal_text
from nda_models.runs import read_runs

HELP = "summarise the TensorBoard runs below LOGDIR; export scalars and HParams as CSV"


def add_arguments(parser):
    parser.add_argument(
        "logdir",
        metavar="LOGDIR",
        help="the folder of the runs, as TensorBoard's --logdir",
    )
    parser.add_argument(
        "--export",
        metavar="FILE.csv",
        help="write every scalar to FILE.csv: run, tag, step, value, wall_time "
        "(default: write nothing)",
    )
    parser.add_argument(
        "--hparams-export",
        metavar="FILE.csv",
        help="write the HParams table to FILE.csv: one row per run with HParams, "
        "its hyper-parameters and metrics (default: write nothing)",
    )


def run(args):
    outputs = {"--export": args.export, "--hparams-export": args.hparams_export}
    outputs = {option: path for option, path in outputs.items() if path is not None}
    for option, path in outputs.items():  # before reading: fail fast, lose nothing
        check_csv_name(path, option)
        check_output_file(path, option)
    if len(outputs) == 2 and _same_file(*outputs.values()):
        raise ValueError(
            "--export and --hparams-export name the same file: give two names. "
            f"Received: --export={args.export!r}, "
            f"--hparams-export={args.hparams_export!r}"
        )
    scalars, hparams = read_runs(args.logdir)
    _print_summary(args.logdir, scalars, hparams)
    for option, frame in (("--export", scalars), ("--hparams-export", hparams)):
        if option in outputs:
            write_csv_atomically(frame, outputs[option])
            print(f"wrote {outputs[option]}: {len(frame)} rows, columns "
                  f"{', '.join(frame.columns)}")  # fmt: skip
    return 0


def _same_file(one, other):
    """The same file by any name: a link to the other, or a hard link."""
    if output_target(one) == output_target(other):
        return True
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False  # one does not exist yet


def _print_summary(logdir, scalars, hparams):
    """Runs and tags, then one line per (run, tag) and the HParams table."""
    lines = scalars.groupby(["run", "tag"], sort=False).agg(
        values=("value", "size"),
        last_step=("step", "last"),
        last_value=("value", "last"),
    )
    print(f"{_shown(logdir)}: {scalars['run'].nunique()} runs with scalars, "
          f"{scalars['tag'].nunique()} tags, {len(scalars)} values")  # fmt: skip
    if len(lines):
        table = lines.reset_index()
        table.columns = ["run", "tag", "values", "last step", "last value"]
        print(_aligned(table))
    if len(hparams):
        print(f"\nHParams of {len(hparams)} runs:")
        print(_aligned(hparams))


def _aligned(frame):
    """The table as text: words left-aligned, numbers right-aligned (6 digits).

    Run folder names, tags and HParams values come from the event files, so
    they reach the terminal as text: control characters (an escape sequence
    that retitles the window or clears the screen) and line breaks escaped.
    """
    cells = [[_cell(v) for v in frame[c]] for c in frame.columns]
    lines = []
    for i in range(-1, len(frame)):
        row = []
        for name, column in zip(frame.columns, cells, strict=True):
            width = max(len(_shown(name)), *(len(c) for c in column))
            text = _shown(name) if i < 0 else column[i]
            numeric = frame[name].dtype.kind in "iuf"
            row.append(f"{text:>{width}}" if numeric else f"{text:<{width}}")
        lines.append("  ".join(row).rstrip())
    return "\n".join(lines)


def _cell(value):
    return f"{value:.6g}" if isinstance(value, float) else _shown(value)


def _shown(value):
    return terminal_text(value).replace("\n", "\\n")
