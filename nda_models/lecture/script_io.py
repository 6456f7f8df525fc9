"""What every lecture script shares: its arguments and where its figures go.

Each script in ``scripts/`` takes ``--quick`` (a few seconds, for tests) and
``--out DIR`` (default ``figures/<script stem>/``), and writes PNG files with
matplotlib (headless, it falls back to the Agg backend by itself; set
``MPLBACKEND`` to choose another), printing the folder and every file it writes.
"""

import argparse
import pathlib

from nda_models.core.quiet_tensorflow import import_tensorflow_quietly, quiet_tensorflow


def script_parser(script_file, description, *, uses_tensorflow=True):
    """Returns an ``argparse.ArgumentParser`` with ``--quick`` and ``--out``.

    Args:
        script_file: The script's ``__file__``; its stem names the default
            output folder ``figures/<stem>/``.
        description: The script's docstring (shown by ``--help``).
        uses_tensorflow: Import TensorFlow now, so that the script's output
            is not interleaved with it. Either way the script (an
            application) quiets TensorFlow's start-up chatter, see
            ``nda_models.quiet_tensorflow``.

    Example:
        >>> parser = script_parser(__file__, __doc__)
        >>> args = parser.parse_args(["--quick"])
    """
    quiet_tensorflow()
    if uses_tensorflow:
        import_tensorflow_quietly()
    stem = pathlib.Path(script_file).stem
    parser = argparse.ArgumentParser(
        prog=f"{stem}.py",
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer epochs/draws (a few seconds)"
    )
    parser.add_argument(
        "--out",
        type=pathlib.Path,
        default=pathlib.Path("figures") / stem,
        help=f"folder for the PNG figures (default: figures/{stem}/)",
    )
    return parser


def output_folder(path):
    """Creates the figure folder if needed, prints and returns it.

    Called before any work, so a folder that cannot be written fails at once.
    """
    from nda_models.core.output_locations import check_output_folder

    check_output_folder(path, "--out")
    folder = pathlib.Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"Figures go to {folder}/")
    return folder


def save_figure(figure, folder, filename):
    """Saves ``figure`` as ``folder/filename`` (PNG), closes it, prints the path.

    Returns:
        The ``pathlib.Path`` written.

    Example:
        >>> path = save_figure(fig, folder, "trajectories.png")
    """
    import matplotlib.pyplot as plt

    from nda_models.core.atomic_file import atomic_path

    path = pathlib.Path(folder) / filename
    with atomic_path(path) as temp:  # a crash never leaves half a PNG
        figure.savefig(temp, dpi=110, bbox_inches="tight")
    plt.close(figure)
    print(f"wrote {path}")
    return path


def pyplot():
    """Returns ``matplotlib.pyplot``, imported on first use.

    The backend is matplotlib's choice (Agg on a machine without a display,
    or ``MPLBACKEND``): library code never switches it for the user.
    """
    import matplotlib.pyplot as plt

    return plt
