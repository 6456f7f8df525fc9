"""Every exercise's solution against an answer computed here, independently.

Oracles: ``np.linalg.lstsq``, central finite differences of the losses and
of the lecture's graphs, enumeration of every mini-batch, scikit-learn's
``log_loss``, SciPy's ``softmax``/``log_softmax``, Rosenblatt's rule and the
p-series test, each for several seeds. The exercise's ``check`` must accept
the oracle's answer, and its ``solution()`` must agree with it.
"""

import itertools
import math

import numpy as np
import pytest
from scipy.special import log_softmax, softmax
from sklearn.metrics import log_loss

from nda_models.exercises import get_exercise

SEEDS = range(6)
H = 1e-6  # finite-difference step


def finite_gradient(f, point):
    point = np.asarray(point, dtype=np.float64)
    grad = np.zeros_like(point)
    for i in range(point.size):
        step = np.zeros_like(point)
        step[i] = H
        grad[i] = (f(point + step) - f(point - step)) / (2 * H)
    return grad


def accepts(name, seed, answer):
    """The exercise accepts the oracle's answer; returns its solution."""
    ex = get_exercise(name, seed=seed)
    feedback = ex.check(answer)
    assert feedback.correct, (name, seed, answer, ex.solution(), str(feedback))
    return ex.solution()


def half_squared_errors(p):
    """J(Θ, b) = mean ½(y_i − Θᵀx_i − b)² as a function of (Θ, b)."""
    x, y = np.array(p["x"], dtype=float).reshape(-1, len(p["theta"])), np.array(p["y"])
    return lambda v: np.mean(0.5 * (y - x @ v[:-1] - v[-1]) ** 2)


def one_step(p, loss):
    start = np.array([*p["theta"], p["b"]])
    new = start - p["eta"] * finite_gradient(loss, start)
    return {"theta": list(new[:-1]), "b": new[-1]}


@pytest.mark.parametrize("seed", SEEDS)
def test_least_squares_is_lstsq(seed):
    p = get_exercise("least_squares", seed=seed).params
    design = np.column_stack([p["x"], np.ones(len(p["x"]))])
    (w, b), *_ = np.linalg.lstsq(design, np.array(p["y"]), rcond=None)
    solution = accepts("least_squares", seed, {"w": w, "b": b})
    np.testing.assert_allclose([solution["w"], solution["b"]], [w, b], atol=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_gd_step_follows_the_finite_difference_gradient_of_the_mean_loss(seed):
    p = get_exercise("gd_step", seed=seed).params
    answer = one_step(p, half_squared_errors(p))
    solution = accepts("gd_step", seed, answer)
    np.testing.assert_allclose(solution["theta"], answer["theta"], atol=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_sgd_step_follows_the_finite_difference_gradient_of_one_example(seed):
    p = get_exercise("sgd_step", seed=seed).params
    assert isinstance(p["theta"], list) and isinstance(p["x"], list)
    batch = {**p, "x": [p["x"]], "y": [p["y"]]}  # a mini-batch of one example
    answer = one_step(batch, half_squared_errors(batch))
    solution = accepts("sgd_step", seed, answer)
    assert set(solution) == {"theta", "b"} and isinstance(solution["theta"], list)
    np.testing.assert_allclose(solution["b"], answer["b"], atol=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_minibatch_variance_by_enumerating_every_batch(seed):
    p = get_exercise("minibatch_variance", seed=seed).params
    grads, m = np.array(p["gradients"]), p["batch_size"]
    n = len(grads)
    tuples = [grads[list(i)].mean() for i in itertools.product(range(n), repeat=m)]
    subsets = [grads[list(i)].mean() for i in itertools.combinations(range(n), m)]
    answer = {
        "with_replacement": np.var(tuples),
        "without_replacement": np.var(subsets),
    }
    solution = accepts("minibatch_variance", seed, answer)
    np.testing.assert_allclose(
        [solution["with_replacement"], solution["without_replacement"]],
        [answer["with_replacement"], answer["without_replacement"]],
        rtol=1e-9,
    )


def p_series_test(schedule):
    """Σ η_t = ∞ and Σ η_t² < ∞, by the p-series test (geometric: Σ converges)."""
    if schedule["kind"] in ("power", "robbins_monro"):
        return schedule["p"] <= 1 and 2 * schedule["p"] > 1
    return False  # constant: Σ η² = ∞; geometric: Σ η < ∞


@pytest.mark.parametrize("seed", SEEDS)
def test_robbins_monro_by_the_p_series_test(seed):
    schedules = get_exercise("robbins_monro", seed=seed).params["schedules"]
    answer = [s["label"] for s in schedules if p_series_test(s)]
    assert 0 < len(answer) < len(schedules)
    assert sorted(accepts("robbins_monro", seed, answer)) == sorted(answer)
    assert accepts("robbins_monro", seed, "".join(f"{a}, " for a in answer))


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_derivative_by_finite_differences(seed):
    z = get_exercise("sigmoid_derivative", seed=seed).params["z"]
    answer = finite_gradient(lambda v: 1 / (1 + np.exp(-v[0])), [z])[0]
    assert abs(accepts("sigmoid_derivative", seed, answer) - answer) < 1e-8


@pytest.mark.parametrize("seed", range(12))
def test_perceptron_update_is_rosenblatts_rule(seed):
    p = get_exercise("perceptron_update", seed=seed).params
    w, b, x = np.array(p["theta"]), p["b"], np.array(p["x"])
    y_hat = float(x @ w + b > 0)
    answer = {"theta": w + p["eta"] * (p["y"] - y_hat) * x,
              "b": b + p["eta"] * (p["y"] - y_hat)}  # fmt: skip
    accepts("perceptron_update", seed, answer)


@pytest.mark.parametrize("seed", SEEDS)
def test_bce_is_scikit_learns_log_loss(seed):
    p = get_exercise("bce", seed=seed).params
    answer = log_loss(p["y"], p["p"], labels=[0, 1])
    assert math.isclose(accepts("bce", seed, answer), answer, rel_tol=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_and_log_softmax_are_scipys(seed):
    z = get_exercise("softmax", seed=seed).params["logits"]
    np.testing.assert_allclose(accepts("softmax", seed, softmax(z)), softmax(z))
    z = get_exercise("log_softmax", seed=seed).params["logits"]
    np.testing.assert_allclose(accepts("log_softmax", seed, log_softmax(z)),
                               log_softmax(z))  # fmt: skip


@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_nll_is_log_loss_of_the_softmax(seed):
    p = get_exercise("softmax_nll", seed=seed).params
    assert isinstance(p["logits"], list) and isinstance(p["label"], int)
    probabilities = softmax(p["logits"])
    answer = log_loss([p["label"]], [probabilities], labels=range(len(probabilities)))
    assert isinstance(accepts("softmax_nll", seed, answer), float)
    assert math.isclose(-log_softmax(p["logits"])[p["label"]], answer, rel_tol=1e-9)


def example1(t):
    return t[0] ** 2 + 2 * t[1] ** 2 - t[2] ** 2


def example2(t):
    f1, f2 = (t[0] + 2 * t[1]) ** 2, (t[1] + 2 * t[2]) ** 2
    return np.log((f1 + 2 * f2) ** 2)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name, g", [("example1_gradient", example1),
                                     ("example2_gradient", example2)])  # fmt: skip
def test_examples_1_and_2_by_finite_differences(name, g, seed):
    theta = get_exercise(name, seed=seed).params["theta"]
    answer = {"g": g(np.array(theta, float)), "gradient": finite_gradient(g, theta)}
    accepts(name, seed, answer)


@pytest.mark.parametrize("seed", SEEDS)
def test_example3_backward_by_finite_differences(seed):
    p = get_exercise("example3_backward", seed=seed).params
    assert set(p) == {"w", "x", "b", "y_star"}

    def loss(v):
        return (np.exp(v[0] * p["x"] + v[1]) - p["y_star"]) ** 2

    dl_dw, dl_db = finite_gradient(loss, [p["w"], p["b"]])
    solution = accepts("example3_backward", seed, {"dl_dw": dl_dw, "dl_db": dl_db})
    assert set(solution) == {"dl_dw", "dl_db"}


@pytest.mark.parametrize("seed", SEEDS)
def test_forward_reverse_cost_counts_inputs_and_outputs(seed):
    p = get_exercise("forward_reverse_cost", seed=seed).params
    accepts("forward_reverse_cost", seed,
            {"forward_passes": p["d"], "reverse_passes": p["m"]})  # fmt: skip


def test_the_engine_counts_the_same_passes_for_a_scalar_output():
    """At m = 1, the package's engine makes d forward passes and 1 backward."""
    from nda_models.autodiff import forward_mode, reverse_mode, trace

    drawn = [get_exercise("forward_reverse_cost", seed=s) for s in range(40)]
    ex = next(e for e in drawn if e.params["m"] == 1 and e.params["d"] <= 100)
    graph = trace(lambda t: sum(v * v for v in t), [1.0] * ex.params["d"])
    counted = {
        "forward_passes": forward_mode(graph, record_messages=False).passes,
        "reverse_passes": reverse_mode(graph, record_messages=False).passes,
    }
    assert ex.solution() == counted


@pytest.mark.parametrize("seed", [0, 3])
def test_tolerance_is_the_stated_one(seed):
    ex = get_exercise("example3_backward", seed=seed)
    right = ex.solution()
    assert "within a relative error of 0.001" in ex.question
    near = {k: v * (1 + 5e-4) for k, v in right.items()}
    far = {k: v * (1 + 5e-3) for k, v in right.items()}
    assert ex.check(near).correct
    assert not ex.check(far).correct
