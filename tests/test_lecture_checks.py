"""The lecture helpers behind scripts 01, 05, 09 and 10, against NumPy oracles."""

import numpy as np
import pytest
from support import lecture_data

import nda_models as nda
from nda_models.lecture.activation_derivatives import softmax_jacobian
from nda_models.lecture.monotone_decrease import (
    check_monotone_decrease,
    loss_increases,
)


def test_loss_increases_and_the_monotone_check():
    assert loss_increases([3.0, 2.0, 2.0, 1.0]).tolist() == []
    assert loss_increases([3.0, 2.0, 2.5, 1.0, 1.2]).tolist() == [1, 3]
    assert loss_increases([1.0, 1.0 + 1e-9]).tolist() == []  # float32 round-off
    assert check_monotone_decrease([3.0, 2.0, 1.0], what="GD") == 2
    with pytest.raises(RuntimeError, match=r"GD: the loss went up at 1 of 3 steps, "
                       r"first at step 2 \(2 -> 2.5\).*Received"):  # fmt: skip
        check_monotone_decrease([3.0, 2.0, 2.5, 1.0], what="GD")


def test_softmax_jacobian_is_diag_p_minus_p_p_transposed():
    z = np.array([0.3, -1.2, 2.0])
    p = np.exp(z) / np.exp(z).sum()
    jacobian = softmax_jacobian(z)
    for i in range(3):
        for j in range(3):
            assert jacobian[i, j] == pytest.approx(p[i] * ((i == j) - p[j]))
    np.testing.assert_allclose(jacobian.sum(axis=0), 0.0, atol=1e-15)


def _fitted_linear_regressor(x, y):
    model = nda.build_model("linear_regressor", input_dim=2)
    design = np.hstack([x, np.ones((len(x), 1))]).astype(np.float64)
    theta = np.linalg.lstsq(design, y.astype(np.float64), rcond=None)[0]
    model.get_layer("prediction").set_weights(
        [theta[:2].reshape(2, 1).astype("float32"), theta[2:].astype("float32")]
    )
    return model, design, theta


def test_sharpness_at_the_least_squares_optimum_is_the_quadratic_form():
    """At θ*, J(θ* + δ) − J(θ*) = δᵀ(ÃᵀÃ/n)δ for the MSE (no ½), Ã = [x, 1]."""
    from nda_models.lecture.sharpness import sharpness

    x, y = lecture_data(n=400)
    model, design, theta = _fitted_linear_regressor(x, y)
    trainer = nda.Trainer(model)
    rise, se = sharpness(trainer, x, y, radius=0.1, draws=6, seed=4)
    rng = np.random.default_rng(4)
    hessian_half = design.T @ design / len(x)
    expected = []
    for _ in range(6):
        u = rng.normal(size=3)
        delta = 0.1 * np.linalg.norm(theta) * u / np.linalg.norm(u)
        expected.append(delta @ hessian_half @ delta)
    assert rise == pytest.approx(np.mean(expected), rel=2e-3)
    assert se == pytest.approx(np.std(expected, ddof=1) / np.sqrt(6), rel=2e-2)
    kernel, bias = model.get_layer("prediction").get_weights()  # restored
    np.testing.assert_allclose([*kernel.ravel(), *bias], theta, rtol=1e-6)


def test_train_to_loss_stops_at_the_target_or_at_max_epochs():
    from nda_models.lecture.sharpness import train_to_loss

    x, y = lecture_data(n=200)
    model = nda.build_model("linear_regressor", input_dim=2)
    trainer = nda.Trainer(model, learning_rate=0.05, batch_size=200, seed=0)
    epochs, loss = train_to_loss(trainer, x, y, target=2.0, max_epochs=500)
    assert loss <= 2.0 < trainer.evaluate(x, y)["loss"] + 10  # reached
    assert 0 < epochs < 500
    epochs, loss = train_to_loss(trainer, x, y, target=0.0, max_epochs=3)
    assert epochs == 3 and loss > 0.0


def test_stop_after_steps_runs_exactly_that_many_steps():
    from nda_models.callbacks.stop_after_steps import StopAfterSteps
    from nda_models.lecture.step_cost import seconds_per_step

    x, y = lecture_data(n=50)
    model = nda.build_model("linear_regressor", input_dim=2)
    trainer = nda.Trainer(model, batch_size=1, seed=0)
    trainer.fit(x, y, epochs=10**6, callbacks=[StopAfterSteps(37)])
    assert int(model.optimizer.iterations) == 37
    trainer.fit(x, y, epochs=10**6, callbacks=[StopAfterSteps(10)])
    assert int(model.optimizer.iterations) == 50  # aligned on multiples of 10
    assert seconds_per_step(trainer, x, y, steps=10, repeats=1) > 0
    assert int(model.optimizer.iterations) == 70  # trace run + one timing
    with pytest.raises(ValueError, match=r"`steps` must be.*Received: steps=0"):
        StopAfterSteps(0)
    with pytest.raises(ValueError, match=r"`repeats` must be.*Received: repeats=0"):
        seconds_per_step(trainer, x, y, steps=10, repeats=0)


@pytest.mark.parametrize(
    ("keyword", "value", "error"),
    [("radius", 0.0, ValueError), ("radius", "big", TypeError),
     ("draws", 1, ValueError), ("draws", 2.5, TypeError)],
)  # fmt: skip
def test_sharpness_refuses_bad_arguments(keyword, value, error):
    from nda_models.lecture.sharpness import sharpness

    x, y = lecture_data(n=20)
    trainer = nda.Trainer(nda.build_model("linear_regressor", input_dim=2))
    with pytest.raises(error, match=rf"`{keyword}` must be.*Received: {keyword}="):
        sharpness(trainer, x, y, **{keyword: value})


def test_train_to_loss_refuses_a_check_interval_below_1():
    from nda_models.lecture.sharpness import train_to_loss

    x, y = lecture_data(n=20)
    trainer = nda.Trainer(nda.build_model("linear_regressor", input_dim=2))
    with pytest.raises(ValueError, match=r"`epochs_per_check` must be.*=0"):
        train_to_loss(trainer, x, y, target=0.1, max_epochs=5, epochs_per_check=0)
