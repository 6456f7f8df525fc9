"""The two squared-error conventions: Keras's mean (y − ŷ)² and the slide's ½.

Oracle: the slide "Least Squares" gradient −(y_i − Θᵀx_i − b)(x_i, 1) in
NumPy, averaged over the batch; the MSE gradient is twice it.
"""

import numpy as np
import pytest
from support import lecture_data

import nda_models as nda
from nda_models.zoo import LOSSES, get_loss
from nda_models.zoo.losses import loss_definition


def _slide_gradient(x, y, w, b):
    residual = y - x @ w - b
    return -(residual[:, None] * x).mean(axis=0), -residual.mean()


@pytest.mark.parametrize(
    ("loss", "factor"), [("half_squared_error", 1.0), ("mean_squared_error", 2.0)]
)
def test_full_gradient_is_the_slide_gradient_times_the_convention_factor(loss, factor):
    x, y = lecture_data(n=300)
    model = nda.build_model("linear_regressor", input_dim=2)
    w, b = np.array([0.5, -1.0]), 0.25
    model.get_layer("prediction").set_weights(
        [w.reshape(2, 1).astype("float32"), np.array([b], "float32")]
    )
    trainer = nda.Trainer(model, loss=loss)
    value, (grad_w, grad_b) = trainer.full_loss_and_gradients(x, y)
    expected_w, expected_b = _slide_gradient(x, y, w, b)
    np.testing.assert_allclose(grad_w.ravel(), factor * expected_w, rtol=1e-4)
    np.testing.assert_allclose(grad_b, [factor * expected_b], rtol=1e-4)
    residual = y - x @ w - b
    assert value == pytest.approx(factor / 2 * np.mean(residual**2), rel=1e-5)


def test_half_loss_at_twice_the_step_takes_the_same_steps_as_mse():
    x, y = lecture_data(n=200)
    weights = []
    for loss, eta in (("mean_squared_error", 0.05), ("half_squared_error", 0.1)):
        model = nda.build_model("linear_regressor", input_dim=2)
        nda.Trainer(model, loss=loss, learning_rate=eta, batch_size=16, seed=3).fit(
            x, y, epochs=3
        )
        weights.append(np.concatenate([v.ravel() for v in model.get_weights()]))
    np.testing.assert_allclose(weights[0], weights[1], rtol=1e-5, atol=1e-6)


def test_half_squared_error_is_a_named_loss_that_round_trips():
    import keras

    loss = get_loss("half_squared_error")
    assert "half_squared_error" in LOSSES
    assert float(loss(np.array([[1.0]]), np.array([[3.0]]))) == pytest.approx(2.0)
    again = keras.losses.deserialize(keras.losses.serialize(loss))
    assert again.name == "half_squared_error"


def test_every_loss_states_its_convention():
    for name in LOSSES:
        assert loss_definition(name).startswith("J = (1/M) Σ"), name
    assert "no ½" in loss_definition("mean_squared_error")
    assert "½" in loss_definition("half_squared_error")
    assert "batch mean" in loss_definition("huber")
