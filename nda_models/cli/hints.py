"""Commands the CLI suggests to the user, spelled so they work as printed."""

import pathlib
import shlex
import shutil
import sys


def tensorboard_command(logdir):
    """Returns the command that opens TensorBoard on ``logdir``.

    If ``tensorboard`` is not on PATH (a virtual environment that is not
    activated, as after ``make demo``), the path beside this Python is used.
    Paths are quoted for the shell where they need it (a space, a quote).

    Example:
        >>> command = tensorboard_command("runs")
        >>> command.endswith("tensorboard --logdir runs")
        True
        >>> # Skipped: with a venv that is not activated, the program is this
        >>> # machine's path, e.g. '/home/me/nda/.venv/bin/tensorboard --logdir runs'.
        >>> command  # doctest: +SKIP
        'tensorboard --logdir runs'
        >>> tensorboard_command("my runs").endswith("--logdir 'my runs'")
        True
    """
    program = "tensorboard"
    if shutil.which(program) is None:
        beside = pathlib.Path(sys.executable).parent / program
        if beside.exists():
            program = str(beside)
    return shlex.join([program, "--logdir", str(logdir)])
