"""Checkpoints of a training run: save often, resume exactly, never save NaN.

A run's state is everything that decides the next step: the model's
variables (weights and dropout seed generators), the optimizer's (step
counter, momenta), the sampling generator, the step/epoch/batch counters,
the epoch's data order, and the host-side progress (History so far and the
running means of the current epoch). ``RunCheckpoints`` saves all of it
with ``tf.train.CheckpointManager`` (``max_to_keep=3``; TensorFlow writes a
``ckpt-N_temp`` folder, then renames, so a crash never damages a finished
checkpoint). Beside it, ``run_signature.json`` records what the run is
(model, trainer settings, data); resuming anything else is refused. A fit
holds the folder's lock (``run.lock``, see ``folder_lock.py``) from start to
end, so a second run on the same folder is refused instead of destroying
the first one's checkpoints.

What ``keras.callbacks.BackupAndRestore`` leaves undone and this does:
resume mid-epoch with the same mini-batches, keep the History of earlier
epochs, remove the temporaries a killed save left (by exact name, see
``checkpoint_temporaries.py``), fall back to the previous checkpoint
when the newest is unreadable, refuse a changed run, and never write
non-finite weights.
"""

import contextlib
import json
import numbers
import os
import pathlib
import warnings

import numpy as np
import tensorflow as tf

from nda_models.core.atomic_file import write_failure
from nda_models.core.constraints import Interval
from nda_models.core.deferred_interrupts import deferred_interrupts
from nda_models.core.path_argument import optional_path
from nda_models.training.run.checkpoint_list import (
    PREFIX,
    STATE_FILE,
    checkpoint_paths,
    refuse_foreign_state_file,
    repair_state_file,
)
from nda_models.training.run.checkpoint_temporaries import remove_stale_temporaries
from nda_models.training.run.folder_lock import FolderLock
from nda_models.training.run.signature_file import (
    check_saved_signature,
    refuse_foreign_signature,
    refuse_non_file,
    write_signature,
)

EVERY = Interval(numbers.Integral, 1, allow_none=True)  # checkpoint_every
SIGNATURE_FILE = "run_signature.json"

# What reading a damaged checkpoint raises: TensorFlow's errors, a failed
# match, and (for a truncated .data file) "IndexError: Read less bytes than
# requested" from the reader.
_UNREADABLE = (tf.errors.OpError, ValueError, AssertionError, IndexError)


class RunCheckpoints:
    """Saves and restores one training run in ``directory``.

    Args:
        directory: Folder of the run's checkpoints (created if missing).
        trackables: Dict of what to save (variables, lists of variables,
            the ``tf.random.Generator``); see ``make_checkpoints``.
        guarded: Variables that must be finite for a save to happen.
        every: Save every ``every`` global steps; ``None`` saves only at the
            end of each epoch (and on Ctrl-C).
        max_to_keep: Checkpoints kept; older ones are deleted.

    Example:
        >>> from nda_models.training.run.run_signature import REQUIRED_KEYS
        >>> run = dict.fromkeys(REQUIRED_KEYS, 0)  # what run_signature() gives
        >>> w = tf.Variable([1.0, 2.0])
        >>> checkpoints = RunCheckpoints("ckpts", {"w": w}, guarded=[w], every=50)
        >>> with checkpoints.session(run) as progress:
        ...     print(progress)  # a fresh run: nothing to resume
        ...     _ = w.assign([3.0, 4.0])
        ...     print(os.path.basename(checkpoints.save({"epochs": [0]}, step=50)))
        None
        ckpt-1
        >>> _ = w.assign([0.0, 0.0])
        >>> with checkpoints.session(run) as progress:
        ...     progress, w.numpy().tolist()  # restored
        ({'epochs': [0]}, [3.0, 4.0])
        >>> with checkpoints.session({**run, "trainer.seed": 1}):
        ...     pass
        Traceback (most recent call last):
        ValueError: The checkpoints in ckpts belong to a different run, ...
    """

    def __init__(self, directory, trackables, *, guarded, every=None, max_to_keep=3):
        self.directory = pathlib.Path(directory)
        self.every = every
        self.guarded = [v for v in guarded if tf.as_dtype(v.dtype).is_floating]
        self.progress = tf.Variable("", dtype=tf.string, trainable=False)
        self.checkpoint = tf.train.Checkpoint(progress=self.progress, **trackables)
        self.max_to_keep = max_to_keep
        self.manager = None
        self.saved_step = None

    @contextlib.contextmanager
    def session(self, signature):
        """The folder held and prepared for one ``fit``, as a context.

        The folder's lock (``folder_lock.py``) is taken before anything in
        the folder is touched and held until the block ends; then the
        folder is prepared and restored (``begin``). No checkpoint is
        written outside a session.

        Yields:
            The progress to resume from, or ``None`` (a fresh run).

        Raises:
            RuntimeError: if another run holds the folder (naming its
                process), or for the reasons of ``begin``.
            ValueError: for the reasons of ``begin``.
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        with FolderLock(self.directory):
            try:
                yield self.begin(signature)
            finally:
                self.manager = None

    def begin(self, signature):
        """Prepares the folder and restores the newest readable checkpoint.

        Removes stale temporary folders, compares ``signature`` with the one
        saved by the run (refusing a different run), then restores.

        Returns:
            The progress dict saved with the checkpoint, or ``None`` if the
            folder holds no checkpoint (a fresh run).

        Raises:
            ValueError: if the folder belongs to a different run.
            RuntimeError: if checkpoints exist but none can be read, a
                folder, FIFO... stands where a run file belongs, or the
                ``checkpoint`` list is another's (``refuse_foreign_state_file``).
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.directory, PREFIX, SIGNATURE_FILE)
        for name in (STATE_FILE, SIGNATURE_FILE):
            refuse_non_file(self.directory / name)
        candidates = checkpoint_paths(self.directory)
        refuse_foreign_state_file(self.directory, candidates)
        path = self.directory / SIGNATURE_FILE
        if candidates:
            check_saved_signature(path, signature, self.directory)
        else:
            refuse_foreign_signature(path, self.directory)
            write_signature(path, signature)
        repair_state_file(self.directory, candidates)
        self.manager = tf.train.CheckpointManager(
            self.checkpoint,
            str(self.directory),
            self.max_to_keep,
            checkpoint_name=PREFIX,
        )
        return self._restore(candidates) if candidates else None

    def due(self, step):
        """True when global step ``step`` ends a checkpoint interval."""
        return self.every is not None and step % self.every == 0

    def save(self, progress, step):
        """Writes a checkpoint with ``progress`` unless a variable is not finite.

        A Ctrl-C during the write is held back until the write is done, so
        an interrupt never leaves a half-registered checkpoint.

        Returns:
            The checkpoint path, or ``None`` if nothing was written.

        Raises:
            OSError: when the disk, the quota or the file-size limit runs out
                (one line, ``atomic_file.write_failure``).
        """
        if self.manager is None or step == self.saved_step:
            return None
        bad = self._non_finite()
        if bad is not None:
            warnings.warn(
                f"Not saving a checkpoint at step {step}: variable {bad!r} is not "
                f"finite. The last good checkpoint in {self.directory} is kept.",
                RuntimeWarning,
                stacklevel=2,
            )
            return None
        with deferred_interrupts():
            self.progress.assign(json.dumps(progress))
            path = self._write()
        self.saved_step = step
        return path

    def _write(self):
        """``manager.save()``; a disk that runs out says so in one line."""
        try:
            return self.manager.save()
        except (OSError, tf.errors.OpError) as error:
            kept = "the checkpoints already there are kept"
            failure = write_failure(error, "a checkpoint in", self.directory, kept)
            if failure is None:
                raise
            raise failure from error

    def _non_finite(self):
        for variable in self.guarded:
            if not np.all(np.isfinite(np.asarray(tf.convert_to_tensor(variable)))):
                return getattr(variable, "path", None) or variable.name
        return None

    def _restore(self, candidates):
        """Restores the newest checkpoint that reads; warns on each fallback."""
        failures = []
        for path in candidates:
            try:
                self.checkpoint.restore(path).assert_existing_objects_matched()
                progress = json.loads(self.progress.numpy().decode() or "{}")
            except _UNREADABLE as error:
                failures.append(f"{os.path.basename(path)}: {_one_line(error)}")
                continue
            if failures:
                warnings.warn(
                    f"The newest checkpoint(s) in {self.directory} could not be "
                    f"read ({'; '.join(failures)}); resumed from the previous one, "
                    f"{os.path.basename(path)}, instead.",
                    RuntimeWarning,
                    stacklevel=3,
                )
            return progress
        raise RuntimeError(
            f"No checkpoint in {self.directory} could be read, so training cannot "
            "resume. Delete the folder to start afresh or restore it from a "
            f"backup. Received: {'; '.join(failures)}"
        )


def warn_if_past_end(checkpoints, epoch, batch, epochs):
    """Warns when the restored run is already past ``epochs``.

    With a checkpoint folder, ``epochs`` counts the whole run (as with
    ``keras.callbacks.BackupAndRestore``), so a run restored at epoch 3 and
    asked for ``epochs=2`` trains nothing: ``fit`` returns the saved History
    and the model keeps the restored weights, which this warning says.
    """
    if epoch < epochs or (epoch == epochs and batch == 0):
        return
    done = f"{epoch} epoch(s)" + (f" and {batch} batch(es)" if batch else "")
    warnings.warn(
        f"The checkpoints in {checkpoints.directory} already hold {done}, more "
        f"than epochs={epochs}, so nothing was trained: fit returns the saved "
        "History and the model keeps the restored weights. With a checkpoint "
        "folder, epochs counts the whole run; to train a shorter run, use "
        "another checkpoint_dir or delete this one.",
        RuntimeWarning,
        stacklevel=4,
    )


def make_checkpoints(directory, every, *, model_variables, optimizer_variables,
                     loop_items, strategy=None):  # fmt: skip
    """Returns the ``RunCheckpoints`` of a run (``None`` without a folder).

    Args:
        directory: The checkpoint folder, or ``None``.
        every: Steps between checkpoints, or ``None`` (epoch ends).
        model_variables: All of ``model.variables`` (including dropout
            seed generators, which ``tf.train.Checkpoint(model=...)`` would
            miss).
        optimizer_variables: All of ``optimizer.variables``.
        loop_items: ``LoopState.checkpoint_items()``: generator, step,
            epoch, batch and the permutation sampler's epoch order.
        strategy: The ``tf.distribute.Strategy`` or ``None``: a multi-worker
            run saves the chief's checkpoints in ``directory``, the other
            workers' in sub-folders.

    Raises:
        ValueError: if ``every`` is not a positive integer or is given
            without a folder, or the folder cannot be created.
        TypeError: if ``directory`` is not a path.
    """
    every = EVERY.check("checkpoint_every", every)
    if directory is None:
        if every is not None:
            raise ValueError(
                "`checkpoint_every` needs a `checkpoint_dir` to save into. "
                f"Received: checkpoint_dir=None, checkpoint_every={every!r}"
            )
        return None
    if not isinstance(directory, (str, os.PathLike)):
        raise TypeError(
            "`checkpoint_dir` must be a folder path (str or pathlib.Path). "
            f"Received: checkpoint_dir of type {type(directory).__name__}"
        )
    optional_path(directory, "checkpoint_dir", "checkpoints/NAME")  # not ""
    directory = _writer_directory(pathlib.Path(directory), strategy)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ValueError(
            f"Cannot create the checkpoint folder {str(directory)!r} "
            f"({error.strerror or error}). Pass a writable folder. "
            f"Received: checkpoint_dir={str(directory)!r}"
        ) from None
    items = dict(loop_items)
    items["model_variables"] = list(model_variables)
    items["optimizer_variables"] = list(optimizer_variables)
    guarded = [*model_variables, *optimizer_variables]
    return RunCheckpoints(directory, items, guarded=guarded, every=every)


def _writer_directory(directory, strategy):
    """The chief writes to ``directory``; other workers of a multi-worker
    strategy write to their own sub-folder (all must save, one place wins)."""
    resolver = getattr(strategy, "cluster_resolver", None)
    task_type = getattr(resolver, "task_type", None)
    if not task_type:
        return directory
    task_id = resolver.task_id
    jobs = resolver.cluster_spec().as_dict()
    chief = task_type == "chief" or (
        task_type == "worker" and task_id == 0 and "chief" not in jobs
    )
    return directory if chief else directory / f"worker-{task_type}-{task_id}"


def _one_line(error):
    text = getattr(error, "message", None) or str(error) or type(error).__name__
    return " ".join(text.split())[:200]
