"""What every lecture script shares: its arguments and where its figures go.

Each script in ``scripts/`` takes ``--quick`` (the section's ``scale="quick"``,
for tests and a first look) and ``--out DIR`` (default
``figures/<script stem>/``), and writes PNG files with matplotlib (headless,
it falls back to the Agg backend by itself; set ``MPLBACKEND`` to choose
another), printing the folder and every file it writes.

A script's ``main()`` also runs from a Jupyter cell: there ``sys.argv`` is
the kernel's (``-f kernel.json``), so ``parse_args()`` without arguments
reads no command line in a kernel and takes the defaults.
"""

import argparse
import importlib
import pathlib
import sys

from nda_models.core.atomic_file import atomic_path
from nda_models.core.output_locations import check_output_folder
from nda_models.core.quiet_tensorflow import import_tensorflow_quietly, quiet_tensorflow


def script_parser(script_file, description, *, uses_tensorflow=True):
    """Returns an ``argparse.ArgumentParser`` with ``--quick`` and ``--out``.

    Its ``parse_args`` also sets ``args.scale`` (``"quick"`` or ``"full"``),
    and reads no command line inside a Jupyter kernel (see ``ScriptParser``).

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
        >>> args.scale, args.out.as_posix()  # the folder is named after the file
        ('quick', 'figures/script_io')
    """
    quiet_tensorflow()
    if uses_tensorflow:
        import_tensorflow_quietly()
    stem = pathlib.Path(script_file).stem
    parser = ScriptParser(
        prog=f"{stem}.py",
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="the same steps on fewer epochs, draws or sizes (scale='quick')",
    )
    parser.add_argument(
        "--out",
        type=pathlib.Path,
        default=pathlib.Path("figures") / stem,
        help=f"folder for the PNG figures (default: figures/{stem}/)",
    )
    return parser


class ScriptParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` for the lecture scripts (see ``script_parser``)."""

    def parse_args(self, args=None, namespace=None):
        """Parses ``args``; ``None`` means ``sys.argv[1:]``, except in a kernel.

        In a Jupyter kernel ``sys.argv`` holds the kernel's own arguments
        (``-f kernel.json``), not the user's, so ``None`` means no arguments
        there: ``main()`` called from a cell runs with the defaults instead
        of exiting with argparse's code 2.
        """
        if args is None and in_jupyter_kernel():
            args = []
        parsed = super().parse_args(args, namespace)
        parsed.scale = "quick" if parsed.quick else "full"
        return parsed


def in_jupyter_kernel():
    """True inside a Jupyter kernel (IPython's ``ZMQInteractiveShell`` or a
    subclass, as Colab's); a terminal IPython or plain Python is not one."""
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    shell = get_ipython() if callable(get_ipython) else None
    return any(cls.__name__ == "ZMQInteractiveShell" for cls in type(shell).__mro__)


def output_folder(path):
    """Creates the figure folder if needed, prints and returns it.

    Called before any work, so a folder that cannot be written fails at once.
    """
    check_output_folder(path, "--out")
    folder = pathlib.Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"Figures go to {folder}/")
    return folder


def save_figure(figure, folder, filename, *, close=False):
    """Saves ``figure`` as ``folder/filename`` (PNG) and prints the path.

    The figure stays open unless ``close=True``: a script closes what it
    saved, a notebook keeps its figure to show it.

    Args:
        figure: A ``matplotlib.figure.Figure``.
        folder: The folder (see ``output_folder``).
        filename: The PNG's name.
        close: Close the figure (``pyplot.close``) once it is written.

    Returns:
        The ``pathlib.Path`` written.

    Example:
        >>> plt = pyplot()
        >>> figure, axes = plt.subplots()
        >>> _ = axes.plot([0, 1], [1, 0])
        >>> folder = output_folder("figures/demo")
        Figures go to figures/demo/
        >>> path = save_figure(figure, folder, "line.png", close=True)
        wrote figures/demo/line.png
        >>> path.read_bytes()[1:4], plt.fignum_exists(figure.number)
        (b'PNG', False)
    """
    path = pathlib.Path(folder) / filename
    with atomic_path(path) as temp:  # a crash never leaves half a PNG
        figure.savefig(temp, dpi=110, bbox_inches="tight")
    if close:
        pyplot().close(figure)
    print(f"wrote {path}")
    return path


def pyplot():
    """Returns ``matplotlib.pyplot``, imported on first use.

    The backend is matplotlib's choice (Agg on a machine without a display,
    or ``MPLBACKEND``): library code never switches it for the user.
    """
    return importlib.import_module("matplotlib.pyplot")
