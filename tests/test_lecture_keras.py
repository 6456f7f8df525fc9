"""Tests of the Keras-facing lecture helpers: trajectory, SGD step, formula checks.

Oracles: keras.optimizers.SGD's own update, the weights before and after
``model.fit``, NumPy formulas.
"""

import sys

import numpy as np
import pytest

import nda_models as nda

keras = pytest.importorskip("keras")

from nda_models.callbacks.parameter_trajectory import ParameterTrajectory  # noqa: E402
from nda_models.lecture import check_activations, check_losses, sgd_update  # noqa: E402
from nda_models.training.backprop import backprop_trace  # noqa: E402


def test_importing_lecture_does_not_import_tensorflow():
    import subprocess

    code = (
        "import sys, nda_models.lecture as L; "
        "print('tensorflow' in sys.modules or 'keras' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False"


def test_lazy_attribute_is_the_callback_class():
    import nda_models.lecture as lecture

    assert lecture.ParameterTrajectory is ParameterTrajectory
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        lecture.nope  # noqa: B018


def _fit_linear(callbacks, steps=5, batch_size=4):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(steps * batch_size, 2)).astype("float32")
    y = (5 + x @ np.array([2.0, -3.0])).astype("float32")
    model = nda.build_model("linear_regressor", input_dim=2)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    model.fit(
        x,
        y,
        batch_size=batch_size,
        epochs=1,
        shuffle=False,
        verbose=0,
        callbacks=callbacks,
    )
    return model


def test_trajectory_records_start_every_step_and_end():
    trajectory = ParameterTrajectory(layer="prediction")
    model = _fit_linear([trajectory], steps=5)
    path = trajectory.path
    assert path.shape == (6, 3)
    np.testing.assert_allclose(path[0], 0.0)
    kernel, bias = model.get_layer("prediction").get_weights()
    np.testing.assert_allclose(path[-1], [*kernel.ravel(), *bias], rtol=1e-6)
    assert trajectory.names == ["prediction/kernel", "prediction/bias"]
    assert len(np.unique(path, axis=0)) == 6  # every step moved θ


def test_trajectory_every_keeps_last_row():
    trajectory = ParameterTrajectory(every=2)
    _fit_linear([trajectory], steps=5)
    assert trajectory.path.shape == (4, 3)  # θ_0, θ_2, θ_4, θ_5
    np.testing.assert_array_equal(trajectory.iterations, [0, 2, 4, 5])


def test_trajectory_rejects_bad_every_and_early_path():
    with pytest.raises(ValueError, match=r"`every` must be an integer >= 1"):
        ParameterTrajectory(every=0)
    with pytest.raises(RuntimeError, match="recorded nothing yet"):
        ParameterTrajectory().path  # noqa: B018


def test_sgd_update_equals_keras_sgd_step():
    model = nda.build_model(
        "mlp_classifier", input_dim=3, num_classes=3, hidden_units=(4,), seed=0
    )
    rng = np.random.default_rng(1)
    x = rng.normal(size=(8, 3)).astype("float32")
    y = rng.integers(0, 3, size=8)
    trace = backprop_trace(model, x, y)
    expected = sgd_update(model, trace, 0.5)
    # Oracle: Keras's SGD applying the tape gradients of the training view.
    import tensorflow as tf

    from nda_models.zoo import default_loss, training_view

    with tf.GradientTape() as tape:
        loss = default_loss(model)(y, training_view(model)(x))
    grads = tape.gradient(loss, model.trainable_variables)
    keras.optimizers.SGD(0.5).apply_gradients(
        zip(grads, model.trainable_variables, strict=True)
    )
    for variable in model.trainable_variables:
        np.testing.assert_allclose(variable.numpy(), expected[variable.path], atol=1e-6)


def test_sgd_update_rejects_a_trace_of_another_model():
    x, y = np.zeros((2, 2)), np.zeros(2)
    trace = backprop_trace(nda.build_model("linear_regressor", input_dim=2), x, y)
    other = nda.build_model("logistic_neuron", input_dim=2)
    with pytest.raises(ValueError, match="no gradient for 'logits/kernel'"):
        sgd_update(other, trace, 0.1)


def test_formula_checks_report_float32_round_off():
    for name, error in check_activations():
        assert error < 1e-6, name
    errors = dict(check_losses())
    assert set(errors) == {
        "mean_squared_error",
        "binary_crossentropy",
        "negative_log_likelihood",
    }
    assert errors["binary_crossentropy"] < 1e-5
    assert errors["negative_log_likelihood"] < 1e-5
    assert errors["mean_squared_error"] < 1e-4  # values up to ~100, float32


def test_trajectory_with_trainer_sees_every_kth_step():
    from nda_models.training import Trainer

    rng = np.random.default_rng(0)
    x = rng.normal(size=(20, 2)).astype("float32")
    y = (5 + x @ np.array([2.0, -3.0])).astype("float32")
    model = nda.build_model("linear_regressor", input_dim=2)
    trajectory = ParameterTrajectory(layer="prediction", every=3)
    Trainer(model, learning_rate=0.1, batch_size=2, seed=0).fit(
        x, y, epochs=1, callbacks=[trajectory]
    )
    np.testing.assert_array_equal(trajectory.iterations, [0, 3, 6, 9, 10])
    kernel, bias = model.get_layer("prediction").get_weights()
    np.testing.assert_allclose(trajectory.path[-1], [*kernel.ravel(), *bias], rtol=1e-6)


def test_gradient_timings_run_inside_one_graph_call(monkeypatch):
    """seconds_per_gradient called the compiled gradient from Python once per
    evaluation: that call's overhead (about 1 ms) outweighed the arithmetic,
    and notebook 9 showed ∇J on n = 10⁵ rows as fast as on one row, against
    the slide's claim. The evaluations now run in one graph: Python sees the
    function only while tracing."""
    from nda_models.lecture.step_cost import seconds_per_gradient

    x = np.arange(12, dtype="float32").reshape(6, 2) / 10
    y = np.ones(6, "float32")
    trainer = nda.Trainer(nda.build_model("linear_regressor", input_dim=2))
    compiled = trainer.loops.loss_and_gradients
    seen = []

    def counted(xs, ys):
        seen.append(1)
        return compiled(xs, ys)

    monkeypatch.setattr(trainer.loops, "loss_and_gradients", counted)
    seconds_per_gradient(trainer, x, y, batch_size=6, calls=7, repeats=3)
    assert len(seen) <= 2  # traced, not called 1 + 7 × 3 times
