"""The TensorBoard folder of a run, kept across an interruption and a resume.

A run writes its logs to ``logdir/MODEL/TIMESTAMP``. A checkpointed run that
is interrupted (Ctrl-C, a closed pipe, a crash) and resumed from its
checkpoint is still one run: the folder is recorded in the checkpoint folder
(``tensorboard_run.json``) when training starts, and a resume with the same
``logdir`` writes into it again, its steps continuing, instead of starting a
second run beside it.

Example:
    >>> run_folder("runs", "perceptron", checkpoint_dir=None)  # doctest: +ELLIPSIS
    PosixPath('runs/perceptron/...')
"""

import datetime
import json
import os
import pathlib

from nda_models.core.lazy_module import lazy_module

tf = lazy_module("tensorflow")

RECORD = "tensorboard_run.json"
_MAX_RECORD = 1 << 16  # a record is a few hundred bytes


def run_folder(logdir, model_name, label=None, *, checkpoint_dir=None):
    """The run's folder: the recorded one when resuming, else a fresh one.

    Args:
        logdir: TensorBoard root.
        model_name: Registry key (the runs of a model share ``logdir/MODEL``).
        label: Sub-folder of the run inside its timestamp folder, or ``None``.
        checkpoint_dir: The run's checkpoint folder, or ``None``.

    Returns:
        A ``pathlib.Path`` under ``logdir/MODEL``.
    """
    recorded = _recorded(checkpoint_dir, logdir, model_name)
    return recorded if recorded is not None else run_dir(logdir, model_name, label)


def run_stamp():
    """The timestamp naming a run's folders: ``"20261202-101500-123456"``."""
    return datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def run_dir(logdir, model_name, label=None, stamp=None):
    """Returns ``logdir/MODEL/TIMESTAMP`` (plus ``label``), a fresh run folder.

    Example:
        >>> run_dir("runs", "perceptron", stamp="20261202-101500-000000")
        PosixPath('runs/perceptron/20261202-101500-000000')
    """
    folder = pathlib.Path(logdir) / model_name / (stamp or run_stamp())
    return folder / label if label else folder


def _recorded(checkpoint_dir, logdir, model_name):
    """The folder recorded with a checkpoint that a resume will restore."""
    if checkpoint_dir is None or not _has_checkpoint(checkpoint_dir):
        return None
    try:
        record = json.loads((pathlib.Path(checkpoint_dir) / RECORD).read_text())
        run = pathlib.PurePosixPath(record["run"])
        same = (
            record["logdir"] == absolute_path(logdir) and record["model"] == model_name
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no record (or a damaged one): a new folder
    if not same or run.is_absolute() or ".." in run.parts:
        return None
    return pathlib.Path(logdir) / model_name / run


def is_record(path):
    """True if ``path`` holds a record this module writes (empty counts too).

    Example:
        >>> _ = open("tensorboard_run.json", "w").write("my notes")
        >>> is_record("tensorboard_run.json")
        False
    """
    try:
        with open(path, "rb") as stream:
            data = stream.read(_MAX_RECORD + 1)
        record = json.loads(data) if data.strip() else {}
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(record, dict) and set(record) <= {"logdir", "model", "run"}


def _has_checkpoint(checkpoint_dir):
    return tf.train.latest_checkpoint(os.fspath(checkpoint_dir)) is not None


def absolute_path(path):
    """The absolute form of ``path``, as the record writes it."""
    return os.path.abspath(os.fspath(path))
