"""Tests of the NumPy lecture helpers against independent oracles.

Oracles: scikit-learn's LinearRegression, central finite differences, exact
enumeration of all mini-batches, scipy.special, hand-derived boundary lines.
"""

import itertools

import numpy as np
import pytest
import scipy.special
from sklearn.linear_model import LinearRegression

from nda_models.lecture import (
    ACTIVATIONS,
    LOSS_FORMULAS,
    decision_grid,
    least_squares,
    log_softmax,
    minibatch_gradients,
    minibatch_variance,
    per_example_gradients,
)


def _regression(n=40, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    y = 5 + x @ np.array([2.0, -3.0]) + 0.3 * rng.normal(size=n)
    return x, y


# --- least squares -------------------------------------------------------------


def test_least_squares_matches_sklearn():
    x, y = _regression()
    bias, weights = least_squares(x, y)
    reference = LinearRegression().fit(x, y)
    assert bias == pytest.approx(reference.intercept_, abs=1e-10)
    np.testing.assert_allclose(weights, reference.coef_, atol=1e-10)


def test_least_squares_recovers_exact_plane():
    x, _ = _regression()
    bias, weights = least_squares(x, 5 + x @ np.array([2.0, -3.0]))
    assert bias == pytest.approx(5.0)
    np.testing.assert_allclose(weights, [2.0, -3.0])


def test_least_squares_rejects_bad_shapes():
    with pytest.raises(ValueError, match="one per row of x"):
        least_squares(np.zeros((4, 2)), np.zeros(3))


# --- stochastic gradient ------------------------------------------------------


def _j_i(x, y, theta, i):
    """J_i = ½(y_i − Θᵀx_i − b)², θ = (b, w_1, ..., w_d)."""
    return 0.5 * (y[i] - x[i] @ theta[1:] - theta[0]) ** 2


@pytest.mark.parametrize(
    ("loss", "factor"), [("half_squared_error", 1.0), ("mean_squared_error", 2.0)]
)
def test_per_example_gradients_match_finite_differences(loss, factor):
    x, y = _regression(n=6)
    theta = np.array([0.5, -1.0, 2.0])
    grads = per_example_gradients(x, y, theta[0], theta[1:], loss=loss)
    eps = 1e-6
    for i in range(6):
        for k in range(3):
            step = np.zeros(3)
            step[k] = eps
            numeric = (_j_i(x, y, theta + step, i) - _j_i(x, y, theta - step, i)) / (
                2 * eps
            )  # of the ½ convention; MSE is twice it
            assert grads[i, k] == pytest.approx(factor * numeric, abs=1e-5)


def test_per_example_gradients_refuse_other_losses():
    x, y = _regression(n=6)
    with pytest.raises(ValueError, match=r"convention.*Received: loss='huber'"):
        per_example_gradients(x, y, 0.0, np.zeros(2), loss="huber")


def test_full_gradient_is_mean_of_per_example_gradients_and_zero_at_optimum():
    x, y = _regression()
    reference = LinearRegression().fit(x, y)
    grads = per_example_gradients(x, y, reference.intercept_, reference.coef_)
    np.testing.assert_allclose(grads.mean(axis=0), 0.0, atol=1e-10)


def _exact_variance(per_example, m, with_replacement):
    """E‖g_M − ∇J‖² by enumerating every equally likely mini-batch."""
    n = len(per_example)
    full = per_example.mean(axis=0)
    batches = (
        itertools.product(range(n), repeat=m)
        if with_replacement
        else itertools.combinations(range(n), m)
    )
    values = [np.sum((per_example[list(b)].mean(axis=0) - full) ** 2) for b in batches]
    return np.mean(values)


@pytest.mark.parametrize("m", [1, 2, 3, 5])
def test_minibatch_variance_matches_enumeration(m):
    per_example = np.random.default_rng(1).normal(size=(5, 3))
    assert minibatch_variance(per_example, m, sampling="uniform") == pytest.approx(
        _exact_variance(per_example, m, True)
    )
    assert minibatch_variance(per_example, m, sampling="permutation") == pytest.approx(
        _exact_variance(per_example, m, False), abs=1e-12
    )


@pytest.mark.parametrize("sampling", ["uniform", "permutation"])
def test_minibatch_draws_are_unbiased_with_the_theoretical_variance(sampling):
    per_example = np.random.default_rng(2).normal(size=(30, 2))
    g = minibatch_gradients(per_example, 4, 20000, sampling=sampling, seed=3)
    full = per_example.mean(axis=0)
    se = g.std(axis=0) / np.sqrt(len(g))
    assert np.all(np.abs(g.mean(axis=0) - full) < 5 * se)
    measured = np.sum((g - full) ** 2, axis=1).mean()
    expected = minibatch_variance(per_example, 4, sampling=sampling)
    assert measured == pytest.approx(expected, rel=0.05)


def test_permutation_draws_have_distinct_indices():
    # With one-hot per-example "gradients", g = counts / M: distinct ⇔ entries ≤ 1/M.
    g = minibatch_gradients(np.eye(10), 10, 50, sampling="permutation", seed=0)
    np.testing.assert_allclose(g, 0.1)


def test_minibatch_rejects_unknown_sampling_and_bad_size():
    with pytest.raises(ValueError, match="Unknown sampling.*uniform"):
        minibatch_gradients(np.eye(3), 1, 2, sampling="shuffle")
    with pytest.raises(ValueError, match="between 1 and the number of examples n=3"):
        minibatch_variance(np.eye(3), 4, sampling="uniform")


# --- formulas -----------------------------------------------------------------


def test_activation_formulas_match_scipy():
    z = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(ACTIVATIONS["relu"](z), np.where(z > 0, z, 0))
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"](z), scipy.special.expit(z))
    np.testing.assert_allclose(ACTIVATIONS["tanh"](z), np.tanh(z), atol=1e-15)
    logits = np.random.default_rng(0).normal(size=(7, 4)) * 20
    np.testing.assert_allclose(
        ACTIVATIONS["softmax"](logits), scipy.special.softmax(logits, axis=-1)
    )
    np.testing.assert_allclose(
        log_softmax(logits), scipy.special.log_softmax(logits, axis=-1)
    )


def test_loss_formulas_match_direct_definitions():
    rng = np.random.default_rng(0)
    z = rng.normal(size=20) * 3
    y = rng.integers(0, 2, size=20)
    p = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(
        LOSS_FORMULAS["binary_crossentropy"](y, z),
        -(y * np.log(p) + (1 - y) * np.log(1 - p)),
    )
    np.testing.assert_allclose(LOSS_FORMULAS["mean_squared_error"](y, z), (y - z) ** 2)
    logits = rng.normal(size=(20, 3))
    labels = rng.integers(0, 3, size=20)
    softmax = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(
        LOSS_FORMULAS["negative_log_likelihood"](labels, logits),
        -np.log(softmax[np.arange(20), labels]),
    )


# --- decision grid ------------------------------------------------------------


def test_decision_grid_level_set_is_the_boundary_line():
    # Logistic neuron σ(w·x + b): p = 0.5 exactly on x2 = −(w1 x1 + b)/w2.
    w, b = np.array([1.5, -2.0]), 0.5
    x = np.array([[0.0, 0.0], [2.0, 3.0]])
    g1, g2, values = decision_grid(
        lambda g: 1 / (1 + np.exp(-(g @ w + b))), x, resolution=50, margin=0.0
    )
    assert g1.shape == g2.shape == values.shape == (50, 50)
    assert g1.min() == 0.0 and g2.max() == pytest.approx(3.0)
    above = g2 > -(w[0] * g1 + b) / w[1]
    np.testing.assert_array_equal(values < 0.5, above)


def test_decision_grid_rejects_more_than_two_features():
    with pytest.raises(ValueError, match=r"x must be\s+\(n, 2\)"):
        decision_grid(lambda g: g[:, 0], np.zeros((3, 3)))
