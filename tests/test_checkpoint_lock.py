"""One run per checkpoint folder (issue 21, L4).

Two processes training into one checkpoint folder destroyed each other's
work (one's clean-up removed the other's live temporary folder; or both
rotated the checkpoint list and one run's checkpoints were lost). A fit now
holds an OS lock on ``run.lock`` in the folder; a second run is refused with
one line naming the process that holds it, and a killed holder releases it.
"""

import os
import pathlib
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import nda_models as nda
from nda_models.callbacks import LoopCallback
from nda_models.training import Trainer

NDA = str(pathlib.Path(sys.executable).with_name("nda"))  # the venv's command
ENV = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")

# A run that trains epoch 1 (saving its checkpoint), then, when told to
# hold, stops before epoch 2 until it is killed. It prints the global step
# it starts from (after any resume).
HOLDER = """
import pathlib, sys, time
import keras, numpy as np
import nda_models as nda
from nda_models.callbacks import LoopCallback
from nda_models.training import Trainer

class Hold(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        print("start", int(trainer.loop.step), flush=True)
    def on_epoch_begin(self, epoch, logs=None):
        if epoch == 1 and sys.argv[2] == "hold":
            pathlib.Path("holding").write_text("yes")
            while True:
                time.sleep(1)

rng = np.random.default_rng(0)
x = rng.normal(size=(64, 2)).astype(np.float32)
y = (x @ np.array([2.0, -3.0]) + 5).astype(np.float32)
model = nda.build_model("linear_regressor", input_dim=2)
trainer = Trainer(model, batch_size=16, seed=0, checkpoint_dir=sys.argv[1])
trainer.fit(x, y, epochs=3, callbacks=[Hold()])
print("done", int(trainer.loop.step), flush=True)
"""


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 2)).astype(np.float32)
    return x, (x @ np.array([2.0, -3.0]) + 5).astype(np.float32)


def _trainer(folder):
    model = nda.build_model("linear_regressor", input_dim=2)
    return Trainer(model, batch_size=16, seed=0, checkpoint_dir=folder)


def _holder(tmp_path, mode):
    return subprocess.Popen(
        [sys.executable, "-c", HOLDER, "ck", mode], cwd=tmp_path, env=ENV,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_a_second_process_is_refused_and_a_killed_holder_releases_the_folder(
    tmp_path,
):
    holder = _holder(tmp_path, "hold")
    try:
        while not (tmp_path / "holding").exists():
            assert holder.poll() is None, holder.communicate()
            time.sleep(0.05)
        # The command line: one line naming the holder, nothing trained.
        refused = subprocess.run(
            [NDA, "train", "linear_regressor", "--epochs", "2", "--quiet",
             "--logdir", "runs", "--out", "bundle", "--checkpoint-dir", "ck"],
            cwd=tmp_path, env=ENV, capture_output=True, text=True,
        )  # fmt: skip
        assert refused.returncode != 0
        lines = [line for line in refused.stderr.splitlines() if "nda:" in line]
        assert len(lines) == 1 and "Traceback" not in refused.stderr, lines
        assert lines[0].startswith("nda: error: ")
        assert f"'ck' is in use by process {holder.pid} " in lines[0], lines[0]
        assert not (tmp_path / "bundle").exists()
        # From Python: the same refusal, a RuntimeError.
        with pytest.raises(RuntimeError, match=f"in use by process {holder.pid} "):
            _trainer(tmp_path / "ck").fit(*_data(), epochs=3)
    finally:
        holder.send_signal(signal.SIGKILL)  # kill -9: no clean-up runs
        holder.communicate()
    assert holder.returncode == -signal.SIGKILL
    # The operating system released the lock: the run resumes after epoch 1.
    resumed = _holder(tmp_path, "run")
    out, err = resumed.communicate()
    assert resumed.returncode == 0, err
    assert out.split() == ["start", "4", "done", "12"], out  # 4 steps per epoch


def test_a_second_fit_in_the_same_process_is_refused(tmp_path):
    x, y = _data()
    folder = tmp_path / "ck"
    refusals = []

    class SecondRun(LoopCallback):
        def on_epoch_end(self, epoch, logs=None):
            with pytest.raises(RuntimeError, match="in use by process") as caught:
                _trainer(folder).fit(x, y, epochs=1)
            refusals.append(str(caught.value))

    history = _trainer(folder).fit(x, y, epochs=2, callbacks=[SecondRun()])
    assert len(history.epoch) == 2 and len(refusals) == 2
    assert f"process {os.getpid()} " in refusals[0]
    assert (folder / "run.lock").read_text().split()[0] == str(os.getpid())
    _trainer(folder).fit(x, y, epochs=3)  # the first fit ended: free again


def test_the_lock_is_released_when_a_fit_fails(tmp_path):
    x, y = _data()

    class Interrupt(LoopCallback):
        def on_epoch_end(self, epoch, logs=None):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _trainer(tmp_path).fit(x, y, epochs=3, callbacks=[Interrupt()])
    with pytest.raises(ValueError, match="different run"):  # refused, not locked
        Trainer(
            nda.build_model("linear_regressor", input_dim=2), batch_size=8,
            checkpoint_dir=tmp_path,
        ).fit(x, y, epochs=3)  # fmt: skip
    history = _trainer(tmp_path).fit(x, y, epochs=3)
    assert history.epoch == [0, 1, 2]


@pytest.mark.parametrize("kind", ["symlink", "folder"])
def test_a_lock_file_that_is_not_a_file_is_refused_and_kept(tmp_path, kind):
    folder = tmp_path / "ck"
    folder.mkdir()
    target = tmp_path / "elsewhere.txt"
    target.write_text("user data")
    if kind == "symlink":
        (folder / "run.lock").symlink_to(target)
    else:
        (folder / "run.lock").mkdir()
    with pytest.raises(RuntimeError, match="run.lock is not a regular file"):
        _trainer(folder).fit(*_data(), epochs=1)
    assert target.read_text() == "user data"
    assert os.path.lexists(folder / "run.lock")
    assert not list(folder.glob("ckpt-*"))  # nothing was written
