"""A run interrupted and resumed from its checkpoint is ONE TensorBoard run:
the same folder, its steps continuing (issue 26)."""

import keras
import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from nda_models.workflows import train_model


class InterruptAfterEpoch(keras.callbacks.Callback):
    """Ctrl-C at the end of an epoch (raised, as Python's handler does)."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            raise KeyboardInterrupt


def _steps(folder, tag):
    events = EventAccumulator(str(folder), size_guidance={"tensors": 0})
    events.Reload()
    return [event.step for event in events.Tensors(tag)]


def test_a_resumed_run_continues_its_own_folder(tmp_path):
    places = dict(logdir=tmp_path / "runs", checkpoint_dir=tmp_path / "ck",
                  epochs=4, batch_size=100, verbose=0)  # fmt: skip
    with pytest.raises(KeyboardInterrupt):
        train_model("linear_regressor", callbacks=[InterruptAfterEpoch(1)], **places)
    (folder,) = (tmp_path / "runs" / "linear_regressor").iterdir()
    before = _steps(folder / "train", "loss")
    run = train_model("linear_regressor", **places)
    assert list((tmp_path / "runs" / "linear_regressor").iterdir()) == [folder]
    assert run.log_dir == folder and run.learning_curve.parent == folder
    assert _steps(folder / "train", "epoch_loss") == [0, 1, 2, 3]
    assert _steps(folder / "validation", "epoch_loss") == [0, 1, 2, 3]
    steps = _steps(folder / "train", "loss")  # the loop's per-step summaries
    assert steps[: len(before)] == before and len(steps) > len(before)
    assert np.all(np.diff(steps) > 0)  # continuing, never starting over
    assert len(run.history["loss"]) == 4


def test_another_logdir_or_no_checkpoint_starts_a_new_run(tmp_path):
    places = dict(checkpoint_dir=tmp_path / "ck", epochs=2, verbose=0)
    train_model("linear_regressor", logdir=tmp_path / "a", **places)
    # The finished run's checkpoint is there, but the logs go elsewhere now.
    other = train_model("linear_regressor", logdir=tmp_path / "b", epochs=3,
                        checkpoint_dir=tmp_path / "ck", verbose=0)  # fmt: skip
    assert other.log_dir.parent == tmp_path / "b" / "linear_regressor"
    fresh = train_model("linear_regressor", logdir=tmp_path / "a", epochs=2,
                        checkpoint_dir=tmp_path / "ck2", verbose=0)  # fmt: skip
    assert len(list((tmp_path / "a" / "linear_regressor").iterdir())) == 2
    assert fresh.log_dir.parent == tmp_path / "a" / "linear_regressor"


@pytest.mark.parametrize(
    "record",
    [
        b"\x00\xff not json",
        b'{"logdir": 1, "model": "linear_regressor", "run": "x"}',
        b'{"model": "linear_regressor", "run": "x"}',
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]",
    ],
)
def test_a_damaged_record_gives_a_new_folder(tmp_path, record):
    import tensorflow as tf

    from nda_models.workflows.run_folder import RECORD, run_folder

    tf.train.Checkpoint(v=tf.Variable(1.0)).save(str(tmp_path / "ck" / "ckpt"))
    (tmp_path / "ck" / RECORD).write_bytes(record)
    folder = run_folder(
        tmp_path / "runs", "linear_regressor", checkpoint_dir=tmp_path / "ck"
    )
    assert folder.parent == tmp_path / "runs" / "linear_regressor"
    assert not folder.exists()  # fresh: a new timestamp


@pytest.mark.parametrize("run", ["../../elsewhere", "/tmp/elsewhere", "a/../../b"])
def test_a_record_cannot_point_outside_the_model_folder(tmp_path, run):
    import json

    import tensorflow as tf

    from nda_models.workflows.run_folder import RECORD, run_folder

    tf.train.Checkpoint(v=tf.Variable(1.0)).save(str(tmp_path / "ck" / "ckpt"))
    record = {"logdir": str(tmp_path / "runs"), "model": "linear_regressor", "run": run}
    (tmp_path / "ck" / RECORD).write_text(json.dumps(record))
    folder = run_folder(
        tmp_path / "runs", "linear_regressor", checkpoint_dir=tmp_path / "ck"
    )
    assert folder.parent == tmp_path / "runs" / "linear_regressor" and ".." not in str(
        folder
    )
    # The same record with a plain run name is followed.
    record["run"] = "20261202-101500-000000"
    (tmp_path / "ck" / RECORD).write_text(json.dumps(record))
    assert run_folder(tmp_path / "runs", "linear_regressor",
                      checkpoint_dir=tmp_path / "ck").name == record["run"]  # fmt: skip
