"""The slide "Regression Example" table, run by the Trainer, against the slide.

Oracle: the 11 rows typed in from the slide text (lecture 12, "Regression
Example"): iteration, loss, gradient (2 components), theta (2 components).
"""

import numpy as np
import pytest

from nda_models.lecture.regression_example import (
    LEARNING_RATE,
    NOISE_STD,
    THETA_STAR,
    run_regression_example,
    slide_loss,
    whitened_data,
)

# #it   Loss     Gradient          Theta        (as printed on the slide)
SLIDE = [
    (0, 12.481, -6.777, -1.732, -3.388, 0.000),
    (20, 4.653, -4.066, -1.039, -2.033, 0.346),
    (40, 1.835, -2.440, -0.624, -1.220, 0.554),
    (60, 0.821, -1.464, -0.374, -0.732, 0.679),
    (80, 0.455, -0.878, -0.224, -0.439, 0.754),
    (100, 0.324, -0.527, -0.135, -0.263, 0.799),
    (120, 0.277, -0.316, -0.081, -0.158, 0.826),
    (140, 0.260, -0.190, -0.048, -0.095, 0.842),
    (160, 0.253, -0.114, -0.029, -0.057, 0.851),
    (180, 0.251, -0.068, -0.017, -0.034, 0.857),
    (200, 0.250, -0.041, -0.010, -0.020, 0.861),
]


def test_trainer_and_iteration_table_print_the_slides_table():
    lines = []
    rows, losses = run_regression_example(print_fn=lines.append)
    assert len(rows) == len(SLIDE) == 11
    for row, slide in zip(rows, SLIDE, strict=True):
        assert row["iteration"] == slide[0]
        ours = [row["loss"], *row["gradient"], *row["theta"]]
        np.testing.assert_allclose(ours, slide[1:], atol=0.005, rtol=0)
    # The printed table shows the slide's digits (signed, three decimals).
    assert lines[2].split() == "0 +12.481 -6.777 -1.732 -3.388 +0.000".split()
    assert lines[-1].split() == "200 +0.250 -0.041 -0.010 -0.020 +0.861".split()
    # Gradient descent decreases the loss at every one of the 200 steps:
    # 201 losses J(θ_0), ..., J(θ_200), counted as the slide counts rows.
    assert len(losses) == 201 and np.all(np.diff(losses) < 0)
    for row in rows:
        assert losses[row["iteration"]] == pytest.approx(row["loss"], rel=1e-5)


def test_learning_rate_shrinks_the_error_by_0_6_every_20_steps():
    assert (1 - 2 * LEARNING_RATE) ** 20 == pytest.approx(0.6, rel=1e-12)
    assert 0.0126085 <= LEARNING_RATE <= 0.0126096


def test_whitened_sample_loss_is_exactly_the_slide_quadratic():
    x, y = whitened_data(500, seed=3)
    x64, y64 = x.astype(np.float64), y.astype(np.float64)
    np.testing.assert_allclose(x64.T @ x64 / 500, np.eye(2), atol=1e-5)
    residual = y64 - x64 @ np.array(THETA_STAR)
    np.testing.assert_allclose(x64.T @ residual / 500, [0, 0], atol=1e-5)
    assert residual @ residual / 500 == pytest.approx(NOISE_STD**2, rel=1e-5)
    for theta in np.random.default_rng(0).normal(scale=3, size=(5, 2)):
        mse = np.mean((y64 - x64 @ theta) ** 2)
        expected = theta[0] ** 2 + (theta[1] - np.sqrt(3) / 2) ** 2 + 0.25
        assert mse == pytest.approx(expected, rel=1e-5)
        assert slide_loss(theta) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("n", [2, 0, 2.5, True])
def test_whitened_data_refuses_too_few_examples(n):
    with pytest.raises(ValueError, match=r"`n` must be an integer >= 3.*Received: n="):
        whitened_data(n)
