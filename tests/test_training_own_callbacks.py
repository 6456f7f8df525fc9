"""ValidationLossTracker, ModelExport and IterationTable."""

import numpy as np
import pandas as pd
import pytest
import support

import nda_models as nda
from nda_models.training import (
    IterationTable,
    ModelExport,
    Trainer,
    ValidationLossTracker,
)


def lecture_data(n=100, seed=0):
    return support.lecture_data(n, seed)


def linear_trainer(**options):
    model = nda.build_model("linear_regressor", input_dim=2)
    return Trainer(model, **{"learning_rate": 0.05, "seed": 0, **options})


def test_validation_loss_tracker_records_both_curves_and_best_epoch():
    x, y = lecture_data()
    tracker = ValidationLossTracker()
    history = linear_trainer(batch_size=10).fit(
        x[:80], y[:80], epochs=5, validation_data=(x[80:], y[80:]), callbacks=[tracker]
    )
    frame = tracker.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["loss", "val_loss"]
    assert frame.index.name == "epoch" and frame.index.tolist() == [1, 2, 3, 4, 5]
    np.testing.assert_allclose(frame["loss"], history.history["loss"])
    np.testing.assert_allclose(frame["val_loss"], history.history["val_loss"])
    assert tracker.best_epoch == int(np.argmin(history.history["val_loss"])) + 1


def test_validation_loss_tracker_without_data_raises_before_fit():
    with pytest.raises(RuntimeError, match="No finite loss"):
        ValidationLossTracker().best_epoch  # noqa: B018


def numpy_gradient_descent(x, y, learning_rate, steps):
    """Oracle: full-batch GD on the MSE; returns (loss, gradient, theta) per step.

    theta = (w1, w2, b) in the order of model.trainable_variables.
    """
    design = np.c_[x, np.ones(len(x))]
    theta, rows = np.zeros(3), []
    for _ in range(steps + 1):
        residual = design @ theta - y
        gradient = 2 * design.T @ residual / len(x)
        rows.append((np.mean(residual**2), gradient.copy(), theta.copy()))
        theta -= learning_rate * gradient
    return rows


def test_iteration_table_matches_numpy_gradient_descent():
    x, y = lecture_data()
    lines = []
    table = IterationTable(every=20, print_fn=lines.append)
    linear_trainer(batch_size=len(x), learning_rate=0.01).fit(
        x, y, epochs=100, callbacks=[table]
    )
    assert [row["iteration"] for row in table.rows] == [0, 20, 40, 60, 80, 100]
    oracle = numpy_gradient_descent(x, y, 0.01, 100)
    for row in table.rows:
        loss, gradient, theta = oracle[row["iteration"]]
        assert row["loss"] == pytest.approx(loss, rel=1e-4)
        np.testing.assert_allclose(row["gradient"], gradient, rtol=1e-3, atol=1e-4)
        np.testing.assert_allclose(row["theta"], theta, rtol=1e-3, atol=1e-4)
    assert lines[0].split()[:3] == ["#it", "Loss", "Gradient"]
    assert "Theta" in lines[0]
    assert lines[1].split() == ["∂w1", "∂w2", "∂b", "w1", "w2", "b"]
    first = lines[2].split()
    assert first[0] == "0" and first[1] == f"{oracle[0][0]:+.3f}"
    assert first[-1] == "+0.000"  # the bias starts at zero, as on the slide


def test_iteration_table_fires_every_k_steps_with_minibatches():
    x, y = lecture_data()
    table = IterationTable(every=3, print_fn=lambda line: None)
    linear_trainer(batch_size=10).fit(x, y, epochs=2, callbacks=[table])
    assert [row["iteration"] for row in table.rows] == [0, 3, 6, 9, 12, 15, 18]


def test_iteration_table_needs_the_trainer():
    import keras

    model = nda.build_model("linear_regressor", input_dim=2)
    model.compile("sgd", "mse")
    x, y = lecture_data()
    with pytest.raises(RuntimeError, match="needs the nda Trainer"):
        model.fit(x, y, verbose=0, callbacks=[IterationTable()])
    with pytest.raises(ValueError, match="every"):
        IterationTable(every=0)
    assert keras  # model.fit above used Keras's own loop


def test_model_export_writes_the_best_model(tmp_path):
    export_module = pytest.importorskip(
        "nda_models.export", reason="nda_models.export is not written yet"
    )
    if not hasattr(export_module, "save_model"):
        pytest.skip("nda_models.export.save_model is not available yet")
    x, y = lecture_data()
    rng = np.random.default_rng(3)
    y_val = (y[:40] + rng.normal(scale=3.0, size=40)).astype(np.float32)
    import keras

    weights = []
    keep = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: weights.append(trainer.model.get_weights())
    )
    export = ModelExport(tmp_path / "bundle", feature_names=["x1", "x2"])
    trainer = linear_trainer(batch_size=10, learning_rate=0.01)
    history = trainer.fit(
        x, y, epochs=6, validation_data=(x[:40], y_val), callbacks=[keep, export]
    )
    val = history.history["val_loss"]
    assert export.best_epoch == int(np.argmin(val)) + 1
    assert export.best == pytest.approx(min(val))
    bundle = (
        nda.load_model(tmp_path / "bundle")
        if hasattr(nda, "load_model")
        else (export_module.load_model(tmp_path / "bundle"))
    )
    for saved, best in zip(
        bundle.model.get_weights(), weights[export.best_epoch - 1], strict=True
    ):
        np.testing.assert_array_equal(saved, best)


def test_model_export_needs_the_monitored_key(tmp_path):
    x, y = lecture_data()
    with pytest.raises(ValueError, match="val_loss"):
        linear_trainer().fit(x, y, callbacks=[ModelExport(tmp_path / "b")])
