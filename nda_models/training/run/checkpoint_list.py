"""Which checkpoints a folder holds, and TensorFlow's list of them.

Resuming reads the files themselves (``checkpoint_paths``: every
``ckpt-N.index``, newest first), so a damaged ``checkpoint`` state file never
hides a good checkpoint. That file still decides which old checkpoints
``tf.train.CheckpointManager`` deletes, so a damaged one is rebuilt from the
files with TensorFlow's own ``generate_checkpoint_state_proto`` (with a
warning), and the rotation goes on.

Example:
    >>> import pathlib, tensorflow as tf
    >>> w = tf.Variable(1.0)
    >>> manager = tf.train.CheckpointManager(tf.train.Checkpoint(w=w), "ck", 3)
    >>> _ = manager.save(); _ = manager.save()
    >>> [pathlib.Path(p).name for p in checkpoint_paths("ck")]
    ['ckpt-2', 'ckpt-1']
    >>> _ = pathlib.Path("ck/checkpoint").write_bytes(b"\\xff garbage")
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     repair_state_file(pathlib.Path("ck"), checkpoint_paths("ck"))
    >>> print(caught[0].message)
    TensorFlow's checkpoint list ck/checkpoint is unreadable; rebuilding it ...
    >>> pathlib.Path(tf.train.latest_checkpoint("ck")).name  # rebuilt
    'ckpt-2'
"""

import os
import pathlib
import re
import warnings

import tensorflow as tf
from google.protobuf import text_format

from nda_models.core.atomic_file import atomic_path

STATE_FILE = "checkpoint"  # TensorFlow's list of checkpoints
PREFIX = "ckpt"


def checkpoint_paths(directory):
    """Checkpoint prefixes in ``directory``, newest (highest number) first.

    Files are listed directly (not through TensorFlow's ``checkpoint`` state
    file), so a damaged state file does not hide good checkpoints.
    """
    pattern = re.compile(rf"^{PREFIX}-(\d+)\.index$")
    numbers = [
        int(match.group(1))
        for name in os.listdir(directory)
        if (match := pattern.match(name))
    ]
    return [
        str(pathlib.Path(directory) / f"{PREFIX}-{n}") for n in sorted(numbers)[::-1]
    ]


def repair_state_file(directory, candidates):
    """Rewrites TensorFlow's ``checkpoint`` list if it is damaged (with a warning).

    Args:
        directory: The checkpoint folder (``pathlib.Path``).
        candidates: ``checkpoint_paths(directory)``.
    """
    path = directory / STATE_FILE
    if not path.exists():
        return
    try:
        state = tf.train.get_checkpoint_state(str(directory))
    except (tf.errors.OpError, UnicodeDecodeError, ValueError):
        state = None
    if state is not None:
        return
    warnings.warn(
        f"TensorFlow's checkpoint list {path} is unreadable; rebuilding it from "
        f"the checkpoint files in {directory}.",
        RuntimeWarning,
        stacklevel=4,
    )
    path.unlink()
    if candidates:
        _write_state_file(directory, candidates[::-1])


def _write_state_file(directory, oldest_first):
    """Writes the ``checkpoint`` list as TensorFlow's ``CheckpointManager`` does:
    its ``CheckpointState`` proto in text form, newest last, with each file's
    time (the manager deletes by that order)."""
    names = [os.path.basename(c) for c in oldest_first]
    state = tf.compat.v1.train.generate_checkpoint_state_proto(
        str(directory.absolute()),
        names[-1],
        all_model_checkpoint_paths=names,
        all_model_checkpoint_timestamps=[
            os.path.getmtime(c + ".index") for c in oldest_first
        ],
    )
    with atomic_path(directory / STATE_FILE) as temp:
        temp.write_text(text_format.MessageToString(state))
