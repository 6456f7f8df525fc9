"""A run deletes or overwrites only what it wrote (attack on issue 21 L1-L4).

``tf.train.CheckpointManager`` deletes old checkpoints by the list in the
folder's ``checkpoint`` file. Pointed at the folder of another TensorFlow
project (its ``model-1`` ... ``model-4`` listed there), a fit deleted all
four as it saved its own; a user's own file named ``checkpoint`` was
deleted as "unreadable"; a list naming a path elsewhere would have the run
delete that path's ``.index`` and ``.data-*`` files. A checkpoint list that
is not this run's (an entry that is not a ``ckpt-N`` of this folder, or an
unreadable file beside no checkpoint of ours) is now refused before anything
in the folder changes, and kept. So is a file of the user's named
``run.lock``, which taking the lock overwrote with a process id.
"""

import os

import numpy as np
import pytest
import tensorflow as tf

import nda_models as nda
from nda_models.training import Trainer


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 2)).astype(np.float32)
    return x, (x @ np.array([2.0, -3.0]) + 5).astype(np.float32)


def _fit(folder, epochs=3):
    model = nda.build_model("linear_regressor", input_dim=2)
    trainer = Trainer(model, batch_size=16, seed=0, checkpoint_dir=folder)
    return trainer.fit(*_data(), epochs=epochs)


def _snapshot(folder):
    return {name: (folder / name).read_bytes() for name in sorted(os.listdir(folder))}


def _other_project(folder, prefix="model"):
    """Four checkpoints of another TensorFlow program, with its list."""
    manager = tf.train.CheckpointManager(
        tf.train.Checkpoint(w=tf.Variable(3.0)), str(folder), 10, checkpoint_name=prefix
    )
    for _ in range(4):
        manager.save()
    (folder / "notes.txt").write_text("step 3 was best")
    return _snapshot(folder)


def test_another_projects_checkpoints_are_refused_not_deleted(tmp_path):
    folder = tmp_path / "other"
    before = _other_project(folder)
    with pytest.raises(
        RuntimeError,
        match=r"checkpoint list .*checkpoint lists '.*other/model-1', which is not a "
        r"checkpoint of this run.*would delete.*Received: checkpoint_dir=",
    ):
        _fit(folder)
    after = _snapshot(folder)
    assert {name: after[name] for name in before} == before
    assert not [name for name in after if name.startswith("ckpt")]


def test_a_list_naming_files_elsewhere_never_deletes_them(tmp_path):
    victim = tmp_path / "elsewhere"
    victim.mkdir()
    for name in ("thesis.index", "thesis.data-00000-of-00001"):
        (victim / name).write_text("keep me")
    folder = tmp_path / "run"
    folder.mkdir()
    entries = [str(victim / "thesis")] + [f"ckpt-{n}" for n in range(1, 5)]
    (folder / "checkpoint").write_text(
        f'model_checkpoint_path: "{entries[-1]}"\n'
        + "".join(f'all_model_checkpoint_paths: "{e}"\n' for e in entries)
        + "all_model_checkpoint_timestamps: 1.0\n" * len(entries)
    )  # with times, the manager deletes the oldest entries beyond three
    with pytest.raises(RuntimeError, match=r"lists '.*elsewhere/thesis'"):
        _fit(folder)
    assert sorted(os.listdir(victim)) == ["thesis.data-00000-of-00001", "thesis.index"]


def test_a_users_file_named_checkpoint_is_refused_not_deleted(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "checkpoint").write_text("my notes: the checkpoint at step 5 was good")
    with pytest.raises(
        RuntimeError,
        match=r"checkpoint is not TensorFlow's checkpoint list of this run.*"
        r"Move or rename it",
    ):
        _fit(folder)
    assert (folder / "checkpoint").read_text().startswith("my notes")


def test_this_runs_own_list_still_resumes_and_rotates(tmp_path):
    folder = tmp_path / "run"
    _fit(folder, epochs=4)
    history = _fit(folder, epochs=6)
    assert len(history.history["loss"]) == 6
    kept = sorted(n for n in os.listdir(folder) if n.endswith(".index"))
    assert kept == ["ckpt-4.index", "ckpt-5.index", "ckpt-6.index"]


@pytest.mark.parametrize("text", ["my lock notes\n", "12 host\nand more"])
def test_a_users_file_named_run_lock_is_refused_not_overwritten(tmp_path, text):
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "run.lock").write_text(text)
    with pytest.raises(RuntimeError, match=r"run.lock holds something else.*Move"):
        _fit(folder)
    assert (folder / "run.lock").read_text() == text
    assert sorted(os.listdir(folder)) == ["run.lock"]


def test_a_lock_record_left_by_a_killed_run_is_taken_over(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "run.lock").write_text("999999999 gone-host\n")
    assert len(_fit(folder, epochs=1).history["loss"]) == 1
    assert (folder / "run.lock").read_text().split()[0] == str(os.getpid())
