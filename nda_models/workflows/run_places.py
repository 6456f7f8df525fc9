"""The places one training run writes must not overlap in ways that lose work.

A run writes three places: the bundle folder B (``out``), the checkpoint
folder C (``checkpoint_dir``) and its TensorBoard run folder R, a new
``logdir/MODEL/TIMESTAMP``. Where they overlap, one would destroy or block
another, after minutes of training; so ``check_run_places`` refuses, before
anything is trained or written:

- C = B: the checkpoints would make B a folder that is not a bundle, and
  the bundle could never be saved there (nor on any re-run).
- B inside C: the checkpoint folder is the run's, deleted to start afresh.
- C inside B deeper than a direct sub-folder, or under a name of the
  bundle's own (``saved_model``, ``model.keras``...): the bundle writer keeps
  a direct sub-folder of checkpoints when it replaces B (``B/ckpt``), not
  those.
- R inside B (``logdir`` = B, inside B, or B = ``logdir/MODEL``): B would
  hold run folders that are not a bundle's.

Allowed: C as a direct sub-folder of B, R inside C, and B inside ``logdir``
beside the model's run folders. Paths are compared resolved (``./x/``,
absolute, through a symbolic link: the same folder). Nothing here imports
TensorFlow.

Example:
    >>> check_run_places("perceptron", out="b", checkpoint_dir="b/ckpt")
    >>> check_run_places("perceptron", out="x", checkpoint_dir="./x/")
    Traceback (most recent call last):
    ValueError: checkpoint_dir './x/' is also the bundle folder (out='x'): ...
"""

import os
import pathlib

from nda_models.export.format.bundle_layout import (
    HISTORY_FILE,
    KERAS_FILE,
    METADATA_FILE,
    ONNX_FILE,
    SAVED_MODEL_DIR,
)

BUNDLE_NAMES = (KERAS_FILE, SAVED_MODEL_DIR, ONNX_FILE, METADATA_FILE, HISTORY_FILE)
PYTHON_NAMES = {"out": "out", "logdir": "logdir", "checkpoint_dir": "checkpoint_dir"}


def check_run_places(model_name, *, out=None, logdir=None, checkpoint_dir=None,
                     names=None):  # fmt: skip
    """Raises ``ValueError`` if the run's places overlap as the module says.

    Args:
        model_name: The registry key (the run folders are ``logdir/MODEL/...``).
        out: The bundle folder, or ``None``.
        logdir: The TensorBoard root, or ``None``.
        checkpoint_dir: The checkpoint folder, or ``None``.
        names: How the message names each place (``{"out": "--out", ...}``
            on the command line); Python's argument names by default.
    """
    names = {**PYTHON_NAMES, **(names or {})}
    given = {"out": out, "logdir": logdir, "checkpoint_dir": checkpoint_dir}
    received = "Received: " + ", ".join(
        f"{names[key]}={os.fspath(value)!r}"
        for key, value in given.items()
        if value is not None
    )
    bundle, checkpoints = _real(out), _real(checkpoint_dir)
    if bundle is not None and checkpoints is not None:
        _check_checkpoints_and_bundle(checkpoints, bundle, given, names, received)
    runs = None if logdir is None else _real(pathlib.Path(logdir) / model_name)
    if bundle is not None and runs is not None and _within(runs, bundle):
        raise ValueError(
            f"{names['logdir']} {os.fspath(logdir)!r} would put the TensorBoard run "
            f"folders ({os.fspath(pathlib.Path(logdir) / model_name)}/...) inside "
            f"the bundle folder ({names['out']}={os.fspath(out)!r}), which must "
            f"hold a bundle only. Choose a log folder outside it. {received}"
        )


def _check_checkpoints_and_bundle(checkpoints, bundle, given, names, received):
    c_name, b_name = names["checkpoint_dir"], names["out"]
    shown_c, shown_b = os.fspath(given["checkpoint_dir"]), os.fspath(given["out"])
    suggestion = os.path.join(shown_b, "ckpt")
    if checkpoints == bundle:
        raise ValueError(
            f"{c_name} {shown_c!r} is also the bundle folder ({b_name}={shown_b!r}): "
            "the checkpoints would stop the bundle from ever being saved there. "
            f"Use a sub-folder of the bundle, such as {suggestion!r}, or another "
            f"folder. {received}"
        )
    if _within(bundle, checkpoints):
        raise ValueError(
            f"The bundle folder {b_name}={shown_b!r} is inside the checkpoint folder "
            f"{c_name}={shown_c!r}, which holds one run's checkpoints (and is "
            "deleted to start afresh). Save the bundle elsewhere, or keep the "
            f"checkpoints in {suggestion!r}. {received}"
        )
    if _within(checkpoints, bundle):
        inner = checkpoints.relative_to(bundle).parts
        if inner[0] in BUNDLE_NAMES:
            raise ValueError(
                f"{c_name} {shown_c!r} is under {inner[0]!r}, one of the bundle's own "
                f"entries, which saving the bundle replaces. Use {suggestion!r}. "
                f"{received}"
            )
        if len(inner) > 1:
            raise ValueError(
                f"{c_name} {shown_c!r} is inside the bundle folder {shown_b!r} but "
                "not a direct sub-folder of it, the only place inside a bundle "
                f"that saving keeps. Use {suggestion!r}. {received}"
            )


def _real(path):
    """``path`` absolute, with every symbolic link of its existing part resolved."""
    return None if path is None else pathlib.Path(os.path.realpath(os.fspath(path)))


def _within(inner, outer):
    """True if ``inner`` is ``outer`` or lies inside it (resolved paths)."""
    return inner == outer or outer in inner.parents
