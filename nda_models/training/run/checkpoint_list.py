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


def refuse_foreign_state_file(directory, candidates):
    """Refuses a ``checkpoint`` file that is not this run's list (it is kept).

    The manager deletes old checkpoints by that list, so it must name only
    the ``ckpt-N`` of this folder: a list naming another program's
    checkpoints (``model-4``) or a path elsewhere would have them deleted,
    and an unreadable file beside no checkpoint of ours is someone's own
    file (``repair_state_file`` would replace it).

    Args:
        directory: The checkpoint folder (``pathlib.Path``).
        candidates: ``checkpoint_paths(directory)``.

    Raises:
        RuntimeError: naming the file and the first entry that is not ours.
    """
    path = directory / STATE_FILE
    if not path.exists():
        return
    state = _read_state(directory)
    if state is None and not candidates:
        raise _not_this_runs(
            directory, f"{path} is not TensorFlow's checkpoint list of this run"
        )
    if state is None:
        return  # a damaged list beside our checkpoints: repair_state_file
    entries = [*state.all_model_checkpoint_paths, state.model_checkpoint_path]
    foreign = [entry for entry in entries if entry and not _own(directory, entry)]
    if foreign:
        raise _not_this_runs(
            directory,
            f"The checkpoint list {path} lists {foreign[0]!r}, which is not a "
            f"checkpoint of this run (they are {PREFIX}-N in this folder); "
            "TensorFlow's manager would delete it as an old checkpoint",
        )


def repair_state_file(directory, candidates):
    """Rewrites TensorFlow's ``checkpoint`` list if it is damaged (with a warning).

    Args:
        directory: The checkpoint folder (``pathlib.Path``).
        candidates: ``checkpoint_paths(directory)``.
    """
    path = directory / STATE_FILE
    if not path.exists() or _read_state(directory) is not None:
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


def _read_state(directory):
    """TensorFlow's ``CheckpointState`` of ``directory``, or None if unreadable."""
    try:
        return tf.train.get_checkpoint_state(str(directory))
    except (tf.errors.OpError, UnicodeDecodeError, ValueError):
        return None


def _own(directory, entry):
    """True for ``ckpt-N`` in ``directory`` (TensorFlow gives each entry of
    the list joined to the folder, or absolute as written)."""
    folder, name = os.path.split(entry)
    in_folder = os.path.realpath(folder or ".") == os.path.realpath(directory)
    return in_folder and re.fullmatch(rf"{PREFIX}-\d+", name) is not None


def _not_this_runs(directory, what):
    return RuntimeError(
        f"{what}. Move or rename it (it is not touched), or pass another "
        f"checkpoint folder. Received: checkpoint_dir={os.fspath(directory)!r}"
    )


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
