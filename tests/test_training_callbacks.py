"""Stock Keras callbacks work unchanged in Trainer.fit."""

import csv

import keras
import numpy as np
import pytest
from support import lecture_data

import nda_models as nda
from nda_models.training import Trainer


def make_trainer(**options):
    model = nda.build_model("linear_regressor", input_dim=2)
    options = {"learning_rate": 0.05, "batch_size": 50, "seed": 0, **options}
    return Trainer(model, **options)


class Recorder(keras.callbacks.Callback):
    """Records every hook call, as (hook, argument)."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def __getattribute__(self, name):
        if name.startswith("on_") and name not in ("on_batch_begin", "on_batch_end"):

            def record(*args, **kwargs):
                self.calls.append(
                    (
                        name,
                        args[0]
                        if args
                        and name != "on_train_begin"
                        and not isinstance(args[0], dict)
                        else None,
                    )
                )

            return record
        return super().__getattribute__(name)


def test_hooks_are_called_like_model_fit():
    x, y = lecture_data()
    recorder = Recorder()
    trainer = make_trainer(steps_per_execution=2)
    trainer.fit(x, y, epochs=2, validation_data=(x, y), callbacks=[recorder])
    hooks = [name for name, _ in recorder.calls]
    epoch = [
        "on_epoch_begin",
        "on_train_batch_begin", "on_train_batch_end",
        "on_train_batch_begin", "on_train_batch_end",
        "on_test_begin", "on_test_batch_begin", "on_test_batch_end", "on_test_end",
        "on_epoch_end",
    ]  # fmt: skip
    assert hooks == ["on_train_begin", *epoch, *epoch, "on_train_end"]
    batches = [arg for name, arg in recorder.calls if name == "on_train_batch_end"]
    assert batches == [1, 3, 1, 3]  # 4 batches per epoch, 2 steps per call
    assert trainer.model.optimizer is trainer.optimizer


def test_early_stopping_stops_and_restores_best_weights():
    x, y = lecture_data()
    rng = np.random.default_rng(1)
    y_val = rng.normal(size=len(y)).astype(np.float32)  # unlearnable: val_loss rises
    stopper = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    trainer = make_trainer()
    history = trainer.fit(
        x, y, epochs=50, validation_data=(x, y_val), callbacks=[stopper]
    )
    val = history.history["val_loss"]
    assert len(val) < 50
    best = int(np.argmin(val))
    assert len(val) == best + 3
    assert trainer.evaluate(x, y_val)["loss"] == pytest.approx(val[best], rel=1e-5)


def test_stop_training_is_honoured_after_a_batch():
    class StopAfterFirstCall(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            self.model.stop_training = True

    x, y = lecture_data()
    trainer = make_trainer(steps_per_execution=1)
    history = trainer.fit(x, y, epochs=5, callbacks=[StopAfterFirstCall()])
    assert len(history.history["loss"]) == 1
    assert int(trainer.optimizer.iterations) == 1


def test_model_checkpoint_saves_a_loadable_model(tmp_path):
    x, y = lecture_data()
    path = tmp_path / "best.keras"
    checkpoint = keras.callbacks.ModelCheckpoint(path, monitor="val_loss")
    trainer = make_trainer()
    trainer.fit(x, y, epochs=3, validation_data=(x, y), callbacks=[checkpoint])
    restored = keras.saving.load_model(path, compile=False)
    np.testing.assert_allclose(restored.predict(x, verbose=0), trainer.predict(x))


def test_csv_logger_writes_one_row_per_epoch(tmp_path):
    x, y = lecture_data()
    path = tmp_path / "log.csv"
    make_trainer().fit(x, y, epochs=4, callbacks=[keras.callbacks.CSVLogger(path)])
    with open(path) as file:
        rows = list(csv.DictReader(file))
    assert [int(r["epoch"]) for r in rows] == [0, 1, 2, 3]
    assert {"loss", "learning_rate", "mean_absolute_error"} <= set(rows[0])


def test_terminate_on_nan_stops_instead_of_raising():
    x, y = lecture_data()
    trainer = make_trainer(learning_rate=1e3)
    history = trainer.fit(x, y, epochs=10, callbacks=[keras.callbacks.TerminateOnNaN()])
    losses = history.history["loss"]
    assert len(losses) < 10 and not np.isfinite(losses[-1])
    assert all(np.all(np.isfinite(w)) for w in trainer.model.get_weights())


def test_reduce_lr_on_plateau_lowers_the_learning_rate_without_retracing():
    x, y = lecture_data()
    reduce = keras.callbacks.ReduceLROnPlateau(
        monitor="loss", factor=0.5, patience=0, min_delta=1e6
    )
    trainer = make_trainer()
    history = trainer.fit(x, y, epochs=4, callbacks=[reduce])
    # Keras logs the rate used in the epoch, then reduces it from epoch 1 on.
    np.testing.assert_allclose(
        history.history["learning_rate"], [0.05, 0.05, 0.025, 0.0125], rtol=1e-5
    )
    assert trainer.learning_rate == pytest.approx(0.00625)
    assert trainer.trace_counts == {"train_steps": 1}


def test_backup_and_restore_resumes_at_the_saved_epoch(tmp_path):
    x, y = lecture_data()

    class Crash(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.saved = [w.copy() for w in self.model.get_weights()]
            if epoch == 2:
                raise KeyboardInterrupt("simulated crash")

    crash = Crash()
    backup = keras.callbacks.BackupAndRestore(tmp_path / "backup")
    with pytest.raises(KeyboardInterrupt):
        make_trainer().fit(x, y, epochs=6, callbacks=[crash, backup])

    class FirstWeights(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if not hasattr(self, "weights_at_start"):
                self.weights_at_start = self.model.get_weights()

    resumed = make_trainer()
    recorder = Recorder()
    backup = keras.callbacks.BackupAndRestore(tmp_path / "backup")
    first = FirstWeights()
    history = resumed.fit(x, y, epochs=6, callbacks=[backup, recorder, first])
    epochs = [arg for name, arg in recorder.calls if name == "on_epoch_begin"]
    assert epochs == [2, 3, 4, 5]
    assert len(history.history["loss"]) == 4
    for restored, saved in zip(first.weights_at_start, crash.saved, strict=True):
        np.testing.assert_array_equal(restored, saved)


def test_stock_tensorboard_callback_writes_epoch_logs(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import (
        EventAccumulator,
    )

    x, y = lecture_data()
    board = keras.callbacks.TensorBoard(tmp_path, histogram_freq=1)
    make_trainer().fit(x, y, epochs=2, validation_data=(x, y), callbacks=[board])
    train = EventAccumulator(str(tmp_path / "train"))
    train.Reload()
    tags = set(train.Tags()["tensors"])
    assert {"epoch_loss", "epoch_learning_rate"} <= tags
    validation = EventAccumulator(str(tmp_path / "validation"))
    validation.Reload()
    assert "epoch_loss" in validation.Tags()["tensors"]


def test_progress_bar_prints_with_verbose_and_is_silent_otherwise(capsys):
    x, y = lecture_data()
    make_trainer().fit(x, y, epochs=2, verbose=0)
    assert capsys.readouterr().out == ""
    make_trainer().fit(x, y, epochs=2, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch 2/2" in out and "loss" in out
