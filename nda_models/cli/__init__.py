"""The ``nda`` command line: one entry point, one module per sub-command.

Each sub-command lives in ``nda_models/cli/<name>.py`` and exposes
``HELP`` (one line), ``add_arguments(parser)`` and ``run(args) -> int``.
Modules are imported only when their command runs, so ``nda list`` and
``nda --help`` never import TensorFlow.
"""

from nda_models.cli.main import main

__all__ = ["main"]
