"""Checkpoint and resume: killed runs resume bit-identically; bad folders are handled.

The kill test runs training in a subprocess, SIGKILLs it at a random moment
after its first checkpoint, runs it again (it resumes) and compares the final
weights with an uninterrupted run's, bit for bit.
"""

import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid

import keras
import numpy as np
import pytest

import nda_models as nda
from nda_models.training import Trainer

SCRIPT = """
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
from sklearn.datasets import make_classification
import nda_models as nda
from nda_models.training import Trainer

checkpoint_dir, out = sys.argv[1], sys.argv[2]
x, y = make_classification(n_samples=600, n_features=8, n_informative=5,
                           n_classes=3, random_state=0)
model = nda.build_model("mlp_classifier", input_dim=8, num_classes=3,
                        hidden_units=(16,), dropout=0.1, seed=0)
trainer = Trainer(model, optimizer="adam", learning_rate=0.01, batch_size=16,
                  seed=1, checkpoint_dir=None if checkpoint_dir == "-" else
                  checkpoint_dir, checkpoint_every=7 if checkpoint_dir != "-" else None)
history = trainer.fit(x.astype(np.float32), y.astype(np.int32), epochs=12)
np.savez(out, *model.get_weights(), loss=np.array(history.history["loss"]))
"""


def _run(script, *args):
    return subprocess.run(
        [sys.executable, str(script), *map(str, args)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip


def _kill_during_training(script, checkpoint_dir, out, seed):
    """Starts a run, waits for its first checkpoint, SIGKILLs it at random."""
    process = subprocess.Popen(
        [sys.executable, str(script), str(checkpoint_dir), str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    while not (checkpoint_dir / "checkpoint").exists() and process.poll() is None:
        time.sleep(0.02)
    time.sleep(random.Random(seed).uniform(0.0, 1.5))
    process.send_signal(signal.SIGKILL)
    process.wait()


def _kill_and_resume(tmp_path, kills):
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)
    _run(script, "-", tmp_path / "reference.npz")
    reference = np.load(tmp_path / "reference.npz")
    for trial in range(kills):
        checkpoint_dir = tmp_path / f"run{trial}"
        out = tmp_path / f"resumed{trial}.npz"
        _kill_during_training(script, checkpoint_dir, out, seed=trial)
        _run(script, checkpoint_dir, out)  # resumes from the newest checkpoint
        resumed = np.load(out)
        for key in reference.files:
            if key != "loss":
                assert np.array_equal(reference[key], resumed[key]), (trial, key)
        # Epoch losses are float32 sums per graph call: chunking changes rounding.
        np.testing.assert_allclose(reference["loss"], resumed["loss"], rtol=1e-6)


def test_killed_run_resumes_with_bit_identical_weights(tmp_path):
    _kill_and_resume(tmp_path, kills=2)


@pytest.mark.slow
def test_killed_run_resumes_with_bit_identical_weights_ten_times(tmp_path):
    _kill_and_resume(tmp_path, kills=10)


def _data(n=120, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int32) + (x[:, 2] > 1).astype(np.int32)
    return x, y


def _trainer(checkpoint_dir=None, learning_rate=0.05, hidden=(6,), **options):
    model = nda.build_model(
        "mlp_classifier", input_dim=3, num_classes=3, hidden_units=hidden,
        dropout=0.1, seed=0,
    )  # fmt: skip
    return Trainer(
        model, optimizer="momentum", learning_rate=learning_rate, batch_size=16,
        seed=2, checkpoint_dir=checkpoint_dir, **options,
    )  # fmt: skip


class InterruptAt(keras.callbacks.Callback):
    """Raises KeyboardInterrupt (as Ctrl-C would) after a given global batch."""

    def __init__(self, epoch, batch):
        super().__init__()
        self.at, self.epoch = (epoch, batch), None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if (self.epoch, batch) >= self.at:
            raise KeyboardInterrupt


def test_interrupt_mid_epoch_saves_and_resume_matches_uninterrupted(tmp_path):
    x, y = _data()
    reference = _trainer()
    expected = reference.fit(x, y, epochs=4).history
    first = _trainer(tmp_path, checkpoint_every=3)
    with pytest.raises(KeyboardInterrupt):
        first.fit(x, y, epochs=4, callbacks=[InterruptAt(epoch=2, batch=4)])
    resumed = _trainer(tmp_path, checkpoint_every=3)
    history = resumed.fit(x, y, epochs=4).history
    for a, b in zip(
        reference.model.get_weights(), resumed.model.get_weights(), strict=True
    ):
        np.testing.assert_array_equal(a, b)
    assert len(history["loss"]) == 4  # earlier epochs' History is kept
    np.testing.assert_allclose(history["loss"], expected["loss"], rtol=1e-6)


def test_finished_run_resumes_to_train_longer(tmp_path):
    x, y = _data()
    reference = _trainer()
    reference.fit(x, y, epochs=5)
    _trainer(tmp_path).fit(x, y, epochs=3)
    longer = _trainer(tmp_path)
    history = longer.fit(x, y, epochs=5).history
    assert len(history["loss"]) == 5
    for a, b in zip(
        reference.model.get_weights(), longer.model.get_weights(), strict=True
    ):
        np.testing.assert_array_equal(a, b)


def test_unreadable_newest_checkpoint_warns_and_uses_previous(tmp_path):
    x, y = _data()
    after_two = _trainer()
    after_two.fit(x, y, epochs=2)
    _trainer(tmp_path).fit(x, y, epochs=3)  # ckpt-1, ckpt-2, ckpt-3 (epoch ends)
    data = tmp_path / "ckpt-3.data-00000-of-00001"
    data.write_bytes(b"\x00" * data.stat().st_size)  # same size, wrong bytes
    trainer = _trainer(tmp_path)
    with pytest.warns(RuntimeWarning, match=r"could not be read.*previous one, ckpt-2"):
        trainer.fit(x, y, epochs=2)  # nothing left to train after epoch 2
    for a, b in zip(
        after_two.model.get_weights(), trainer.model.get_weights(), strict=True
    ):
        np.testing.assert_array_equal(a, b)


def test_no_readable_checkpoint_is_refused(tmp_path):
    x, y = _data()
    _trainer(tmp_path).fit(x, y, epochs=1)
    (tmp_path / "ckpt-1.index").write_bytes(b"garbage")
    with pytest.raises(RuntimeError, match="No checkpoint in .* could be read"):
        _trainer(tmp_path).fit(x, y, epochs=2)


def test_different_hyperparameters_are_refused_with_the_difference(tmp_path):
    x, y = _data()
    _trainer(tmp_path).fit(x, y, epochs=1)
    with pytest.raises(ValueError, match=r"learning_rate: 0\.05 → 0\.1"):
        _trainer(tmp_path, learning_rate=0.1).fit(x, y, epochs=2)
    with pytest.raises(ValueError, match=r"different run.*model\.layers\[\d\]"):
        _trainer(tmp_path, hidden=(7,)).fit(x, y, epochs=2)
    with pytest.raises(ValueError, match=r"data\.num_samples: 120 → 100"):
        _trainer(tmp_path).fit(x[:100], y[:100], epochs=2)


def test_stale_temporary_files_are_removed_at_start(tmp_path):
    x, y = _data()
    _trainer(tmp_path).fit(x, y, epochs=1)
    stale = tmp_path / "ckpt-2_temp"
    stale.mkdir()
    (stale / "part-00000-of-00001.data-00000-of-00001").write_bytes(b"half")
    (tmp_path / f"checkpoint.tmp{uuid.uuid4().hex}").write_text("half")
    _trainer(tmp_path).fit(x, y, epochs=2)
    names = sorted(os.listdir(tmp_path))
    assert not any("_temp" in n or ".tmp" in n for n in names), names
    assert "ckpt-2.index" in names


def test_checkpoints_keep_three_and_record_the_signature(tmp_path):
    x, y = _data()
    _trainer(tmp_path, checkpoint_every=2).fit(x, y, epochs=2)
    indexes = sorted(n for n in os.listdir(tmp_path) if n.endswith(".index"))
    assert len(indexes) == 3
    signature = json.loads((tmp_path / "run_signature.json").read_text())
    assert signature["model.name"] == "mlp_classifier"
    assert signature["trainer.batch_size"] == 16
    assert signature["data.num_samples"] == 120


def test_diverging_run_never_writes_non_finite_checkpoints(tmp_path):
    import tensorflow as tf

    x, y = _data()
    x = x * 100.0
    good = tmp_path / "good"
    _trainer(good, learning_rate=0.05).fit(x, y, epochs=1)
    before = {n: (good / n).read_bytes() for n in os.listdir(good)}
    trainer = _trainer(tmp_path / "bad", learning_rate=1e6, checkpoint_every=1)
    with pytest.raises(
        RuntimeError, match=r"diverged at step \d+.*learning_rate=1e\+06"
    ):
        trainer.fit(x, y, epochs=3)
    for path in [*(tmp_path / "bad").glob("*.index"), *good.glob("*.index")]:
        reader = tf.train.load_checkpoint(str(path)[: -len(".index")])
        for name in reader.get_variable_to_shape_map():
            value = reader.get_tensor(name)
            if isinstance(value, np.ndarray) and value.dtype.kind == "f":
                assert np.all(np.isfinite(value)), (path, name)
    assert {n: (good / n).read_bytes() for n in os.listdir(good)} == before


def test_checkpoint_every_without_a_folder_and_bad_folders_are_refused(tmp_path):
    with pytest.raises(ValueError, match="`checkpoint_every` needs a `checkpoint_dir`"):
        _trainer(None, checkpoint_every=5)
    with pytest.raises(TypeError, match="`checkpoint_dir` must be a folder path"):
        _trainer(3)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ValueError, match="Cannot create the checkpoint folder"):
        _trainer(blocker / "sub")
