"""Import TensorFlow without its C++ start-up chatter on the terminal.

TensorFlow 2.21 logs through absl before ``TF_CPP_MIN_LOG_LEVEL`` is read
("All log messages before absl::InitializeLog()...", oneDNN, cudart and
cpu_feature_guard notices, and "failed call to cuInit" when the devices are
first listed), so setting the variable is not enough: the only way to keep
those lines off the terminal is to point file descriptor 2 at /dev/null while
TensorFlow loads and finds its devices.

That changes the process (an environment variable, TensorFlow's logger, an
import hook), which is an application's choice, not a library's: importing
``nda_models`` does none of it. The ``nda`` command line and the lecture
scripts call ``quiet_tensorflow()`` at start-up; a user who wants the same in
their own program or notebook calls ``nda.quiet_tensorflow()`` before
anything imports TensorFlow. A user who sets ``TF_CPP_MIN_LOG_LEVEL``
themselves gets TensorFlow's own behaviour.
"""

import importlib.abc
import importlib.util
import os
import sys

USER_LOG_LEVEL = "TF_CPP_MIN_LOG_LEVEL"
# Set beside it when we chose the level, so child processes (``nda`` run from
# a script) know the level was ours, not the user's, and stay quiet too.
OUR_MARK = "NDA_MODELS_QUIET_TF"


def quiet_tensorflow():
    """Keeps TensorFlow quiet in this process, from its first import on.

    The next ``import tensorflow`` (by Keras, by a builder, by the user) runs
    with file descriptor 2 pointed at /dev/null while TensorFlow loads and
    lists its devices, sets ``TF_CPP_MIN_LOG_LEVEL=3`` (inherited by child
    processes) and TensorFlow's Python logger to ERROR (its retracing
    notices count new Trainers, not real retraces). Python exceptions are
    unaffected. If TensorFlow is already imported, its start-up lines are
    printed by then: only the logger is set. If the user set
    ``TF_CPP_MIN_LOG_LEVEL``, nothing changes.

    Example:
        >>> import nda_models as nda
        >>> # Skipped: it would quiet TensorFlow for every test after this one.
        >>> nda.quiet_tensorflow()  # doctest: +SKIP
    """
    if user_chose_log_level():
        return
    if "tensorflow" in sys.modules:
        sys.modules["tensorflow"].get_logger().setLevel("ERROR")
        return
    install_import_hook()


def import_tensorflow_quietly():
    """Imports TensorFlow now, through ``quiet_tensorflow``'s hook.

    Returns:
        The ``tensorflow`` module.
    """
    quiet_tensorflow()
    if "tensorflow" not in sys.modules:
        # Here, not at the top: the hook must be in place first.
        import tensorflow  # noqa: F401
    return sys.modules["tensorflow"]


class _QuietLoader(importlib.abc.Loader):
    """Runs TensorFlow's own loader with stderr silenced, then steps aside."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        if USER_LOG_LEVEL not in os.environ:
            os.environ[USER_LOG_LEVEL] = os.environ[OUR_MARK] = "3"
        sys.stderr.flush()
        saved = os.dup(2)
        try:
            with open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), 2)
                self.loader.exec_module(module)
                # Listing the devices prints "failed call to cuInit" on
                # machines without a GPU: do it now, while stderr is silenced.
                module.config.list_physical_devices()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        module.__loader__ = module.__spec__.loader = self.loader
        # Its Python logger's "N out of the last M calls triggered retracing"
        # counts new Trainers (nda tune builds one per pair), not real retraces.
        module.get_logger().setLevel("ERROR")


class _QuietTensorFlowFinder(importlib.abc.MetaPathFinder):
    """Finds ``tensorflow`` as usual, but loads it through ``_QuietLoader``."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "tensorflow":
            return None
        uninstall_import_hook()
        spec = importlib.util.find_spec("tensorflow")
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _QuietLoader(spec.loader)
        return spec


_HOOK = _QuietTensorFlowFinder()


def install_import_hook():
    """Makes the next ``import tensorflow`` quiet (see ``quiet_tensorflow``).

    Does nothing if TensorFlow is already imported or the user set
    ``TF_CPP_MIN_LOG_LEVEL``.
    """
    if "tensorflow" in sys.modules or user_chose_log_level():
        return
    if _HOOK not in sys.meta_path:
        sys.meta_path.insert(0, _HOOK)


def user_chose_log_level():
    """True if ``TF_CPP_MIN_LOG_LEVEL`` is set, and not by this module."""
    level = os.environ.get(USER_LOG_LEVEL)
    return level is not None and level != os.environ.get(OUR_MARK)


def uninstall_import_hook():
    """Removes the hook (after it has fired once)."""
    if _HOOK in sys.meta_path:
        sys.meta_path.remove(_HOOK)
