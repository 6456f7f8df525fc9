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

import json
import os
import pathlib

import keras

from nda_models.core.atomic_file import atomic_path

RECORD = "tensorboard_run.json"


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
    from nda_models.workflows.train import run_dir

    recorded = _recorded(checkpoint_dir, logdir, model_name)
    return recorded if recorded is not None else run_dir(logdir, model_name, label)


def _recorded(checkpoint_dir, logdir, model_name):
    """The folder recorded with a checkpoint that a resume will restore."""
    if checkpoint_dir is None or not _has_checkpoint(checkpoint_dir):
        return None
    try:
        record = json.loads((pathlib.Path(checkpoint_dir) / RECORD).read_text())
        run = pathlib.PurePosixPath(record["run"])
        same = record["logdir"] == _absolute(logdir) and record["model"] == model_name
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no record (or a damaged one): a new folder
    if not same or run.is_absolute() or ".." in run.parts:
        return None
    return pathlib.Path(logdir) / model_name / run


def _has_checkpoint(checkpoint_dir):
    import tensorflow as tf

    return tf.train.latest_checkpoint(os.fspath(checkpoint_dir)) is not None


def _absolute(path):
    return os.path.abspath(os.fspath(path))


class RecordRunFolder(keras.callbacks.Callback):
    """Writes the run folder into the checkpoint folder when training starts.

    At ``on_train_begin`` the Trainer holds the checkpoint folder (a run
    refused there never reaches this point, so it cannot overwrite another
    run's record).
    """

    def __init__(self, checkpoint_dir, logdir, model_name, log_dir):
        super().__init__()
        self.path = pathlib.Path(checkpoint_dir) / RECORD
        relative = pathlib.Path(log_dir).relative_to(pathlib.Path(logdir) / model_name)
        self.record = {"logdir": _absolute(logdir), "model": model_name,
                       "run": relative.as_posix()}  # fmt: skip

    def on_train_begin(self, logs=None):
        text = json.dumps(self.record, indent=2) + "\n"
        if self.path.is_file() and self.path.read_text() == text:
            return
        with atomic_path(self.path) as temp:
            pathlib.Path(temp).write_text(text)
