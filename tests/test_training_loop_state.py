"""The loop state, our callback protocol, Trainer.reset and the fast loop."""

import keras
import numpy as np
import pytest
import support

import nda_models as nda
from nda_models.callbacks import LoopCallback
from nda_models.training import ModelExport, Trainer, ValidationLossTracker


def linear_trainer(**options):
    model = nda.build_model("linear_regressor", input_dim=2)
    return Trainer(model, **{"learning_rate": 0.05, "seed": 0, **options})


def test_a_reused_tracker_records_each_fit_afresh():
    x, y = support.lecture_data(60, 0)
    tracker = ValidationLossTracker()
    trainer = linear_trainer(batch_size=10)
    for _ in range(2):
        history = trainer.fit(
            x, y, epochs=2, validation_data=(x, y), callbacks=[tracker]
        )
        assert tracker.epochs == [1, 2]
        np.testing.assert_allclose(tracker.val_losses, history.history["val_loss"])


def test_a_reused_model_export_starts_over(tmp_path):
    x, y = support.lecture_data(60, 0)
    export = ModelExport(tmp_path / "best")
    trainer = linear_trainer(batch_size=10)
    trainer.fit(x, y, epochs=3, validation_data=(x, y), callbacks=[export])
    first_best = export.best
    trainer.optimizer.learning_rate = 0.0  # the second fit cannot improve
    trainer.fit(x, y, epochs=1, validation_data=(x, y), callbacks=[export])
    assert export.best_epoch == 1 and export.best >= first_best * 0.999


class Recorder(LoopCallback):
    """Records the steps at which batch ends fire, and what it was bound to."""

    steps_per_execution = 3

    def reset(self):
        self.steps, self.bound = [], []

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        self.bound.append(self.trainer)

    def on_train_batch_end(self, batch, logs=None):
        self.steps.append(int(self.trainer.loop.step))


def test_loop_callbacks_are_bound_sized_and_released():
    x, y = support.lecture_data(40, 0)
    trainer, recorder = linear_trainer(batch_size=4), Recorder()
    trainer.fit(x, y, epochs=1, callbacks=[recorder])
    assert recorder.bound == [trainer] and recorder.trainer is None
    assert recorder.steps == [3, 6, 9, 10]  # chunks aligned on multiples of 3


def test_other_callbacks_do_not_size_the_graph_calls():
    class Lookalike(keras.callbacks.Callback):  # not a LoopCallback
        steps_per_execution = 3

        def __init__(self):
            super().__init__()
            self.batches = []

        def on_train_batch_end(self, batch, logs=None):
            self.batches.append(batch)

    x, y = support.lecture_data(40, 0)
    lookalike = Lookalike()
    linear_trainer(batch_size=4).fit(x, y, epochs=1, callbacks=[lookalike])
    assert lookalike.batches == [9]  # one graph call for the whole epoch


def fresh_history(sampling, learning_rate, batch_size, x, y):
    """Oracle for reset: a newly built model and Trainer, same seed."""
    model = nda.build_model("mlp_regressor", input_dim=2, hidden_units=(8,), seed=3)
    trainer = Trainer(model, optimizer="adam", learning_rate=learning_rate,
                      batch_size=batch_size, sampling=sampling, seed=1)  # fmt: skip
    return trainer.fit(x, y, epochs=3).history["loss"]


@pytest.mark.parametrize("sampling", ["permutation", "uniform"])
def test_reset_trains_as_a_fresh_model_and_trainer_without_retracing(sampling):
    x, y = support.lecture_data(50, 0)
    model = nda.build_model("mlp_regressor", input_dim=2, hidden_units=(8,), seed=3)
    start = [v.numpy() for v in model.variables]
    trainer = Trainer(model, optimizer="adam", learning_rate=0.01, batch_size=4,
                      sampling=sampling, seed=1)  # fmt: skip
    trainer.fit(x, y, epochs=2)
    for learning_rate, batch_size in [(0.01, 4), (0.05, 16)]:
        trainer.reset(start, learning_rate=learning_rate, batch_size=batch_size)
        history = trainer.fit(x, y, epochs=3).history["loss"]
        expected = fresh_history(sampling, learning_rate, batch_size, x, y)
        np.testing.assert_allclose(history, expected, rtol=1e-6)
    assert trainer.trace_counts == {"train_steps": 1}


def test_reset_refuses_what_it_cannot_do():
    trainer = linear_trainer(schedule="robbins_monro")
    with pytest.raises(ValueError, match=r"one value per model variable \(2"):
        trainer.reset([np.zeros((2, 1))])
    with pytest.raises(ValueError, match=r"has shape \(2, 1\).*Received: shape"):
        trainer.reset([np.zeros((3, 1)), np.zeros(1)])
    with pytest.raises(TypeError, match="constant learning rate; this one follows"):
        trainer.reset(learning_rate=0.1)
    with pytest.raises(ValueError, match="`batch_size` must be an integer >= 1"):
        trainer.reset(batch_size=0)


@pytest.mark.parametrize("learning_rate", [3.0, 1e5])
def test_the_fast_loop_finds_the_step_the_checked_loop_finds(learning_rate, tmp_path):
    """Without log_dir the loop checks divergence once per call and replays a
    failed call step by step; with log_dir every step is checked at once."""
    x, y = support.lecture_data(200, 0)
    errors, weights = [], []
    for log_dir in (None, tmp_path / "logs"):
        trainer = linear_trainer(learning_rate=learning_rate, batch_size=1,
                                 log_dir=log_dir)  # fmt: skip
        with pytest.raises(RuntimeError, match="diverged at step") as error:
            trainer.fit(x * 10, y, epochs=3)
        errors.append(str(error.value))
        weights.append([v.numpy() for v in trainer.model.variables])
        assert all(np.isfinite(w).all() for w in weights[-1])
    assert errors[0] == errors[1]
    for fast, checked in zip(*weights, strict=True):
        np.testing.assert_array_equal(fast, checked)
