"""Typical mistakes on least squares, gradient descent, SGD, the mini-batch
variance and Robbins–Monro, each refused with its own hint.

Each case (exercise, mistake, a NumPy function of the params giving the wrong
answer or None where it cannot be told apart, words of the hint) runs through
``exercise_support.check_mistake`` on ten seeds.
"""

import numpy as np
import pytest
from exercise_support import SEEDS, check_mistake

from nda_models.exercises import get_exercise


def lsq(p):
    x, y = np.array(p["x"]), np.array(p["y"])
    w = np.cov(x, y, bias=True)[0, 1] / x.var()
    return x, y, w, y.mean() - w * x.mean()


def residuals(p):
    x = np.array(p["x"], float).reshape(-1, 2)
    return x, np.array(p["y"], float).reshape(-1) - x @ p["theta"] - p["b"]


def step(p, grad_theta, grad_b, eta=None):
    eta = p["eta"] if eta is None else eta
    return {
        "theta": list(np.array(p["theta"]) - eta * np.asarray(grad_theta)),
        "b": p["b"] - eta * grad_b,
    }


def gd(p, scale=1.0, eta=None, rows=slice(None)):
    x, r = residuals(p)
    return step(
        p, -scale * (r[rows, None] * x[rows]).mean(0), -scale * r[rows].mean(), eta
    )


def sgd(p, factor=1.0, eta=None, with_x=True):
    x, r = residuals(p)
    g = -factor * r[0] * (x[0] if with_x else np.ones(2))
    return step(p, g, -factor * r[0], eta)


def variances(p, var=None, m=None, power=1.0, correction=None):
    g, n = np.array(p["gradients"]), len(p["gradients"])
    m = p["batch_size"] if m is None else m
    var = g.var() if var is None else var
    fpc = (n - p["batch_size"]) / (n - 1) if correction is None else correction
    return {
        "with_replacement": (var / m) ** power,
        "without_replacement": (var / m * fpc) ** power,
    }


CASES = [
    (
        "least_squares",
        "through_origin",
        lambda p: {"w": np.dot(p["x"], p["y"]) / np.dot(p["x"], p["x"]), "b": 0.0},
        "through the origin",
    ),
    (
        "least_squares",
        "b_is_mean_y",
        lambda p: {"w": lsq(p)[2], "b": np.mean(p["y"])},
        "b = ȳ − w·x̄",
    ),
    (
        "least_squares",
        "b_sign",
        lambda p: {
            "w": lsq(p)[2],
            "b": lsq(p)[1].mean() + lsq(p)[2] * lsq(p)[0].mean(),
        },
        "sign of w·x̄",
    ),
    ("gd_step", "sign", lambda p: gd(p, scale=-1), "went up the gradient"),
    ("gd_step", "sum_not_mean", lambda p: gd(p, scale=3), "summed the n gradients"),
    ("gd_step", "no_half", lambda p: gd(p, scale=2), "twice too long"),
    ("gd_step", "one_example", lambda p: gd(p, rows=slice(0, 1)), "first example only"),
    ("gd_step", "forgot_eta", lambda p: gd(p, eta=1.0), "forgot the step size"),
    ("sgd_step", "sign", lambda p: sgd(p, factor=-1), "wrong way"),
    ("sgd_step", "no_half", lambda p: sgd(p, factor=2), "twice too long"),
    (
        "sgd_step",
        "forgot_x",
        lambda p: {**sgd(p, with_x=False), "b": sgd(p)["b"]},
        "missing the factor x",
    ),
    (
        "sgd_step",
        "b_not_updated",
        lambda p: {**sgd(p), "b": p["b"]},
        "b is a parameter too",
    ),
    ("sgd_step", "forgot_eta", lambda p: sgd(p, eta=1.0), "step size η"),
    (
        "minibatch_variance",
        "sample_variance",
        lambda p: variances(p, var=np.var(p["gradients"], ddof=1)),
        "1/(n − 1)",
    ),
    (
        "minibatch_variance",
        "divided_by_m_squared",
        lambda p: variances(p, m=p["batch_size"] ** 2),
        "M times the variance",
    ),
    ("minibatch_variance", "not_divided", lambda p: variances(p, m=1), "(M = 1)"),
    (
        "minibatch_variance",
        "standard_deviation",
        lambda p: variances(p, power=0.5),
        "standard deviation",
    ),
    (
        "minibatch_variance",
        "no_correction",
        lambda p: variances(p, correction=1.0),
        "finite-population correction",
    ),
    (
        "minibatch_variance",
        "correction_over_n",
        lambda p: variances(p, correction=1 - p["batch_size"] / len(p["gradients"])),
        "not (n − M)/n",
    ),
    (
        "minibatch_variance",
        "swapped",
        lambda p: dict(
            zip(
                ["without_replacement", "with_replacement"],
                variances(p).values(),
                strict=True,
            )
        ),
        "You swapped",
    ),
]


@pytest.mark.parametrize(
    "name, mistake, wrong, words", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_mistake_is_refused_with_its_hint(name, mistake, wrong, words):
    check_mistake(name, mistake, wrong, words)


@pytest.mark.parametrize("seed", SEEDS)
def test_robbins_monro_says_which_condition_each_wrong_choice_breaks(seed):
    ex = get_exercise("robbins_monro", seed=seed)
    schedules = ex.params["schedules"]
    right = {
        s["label"] for s in schedules if s.get("p", 0) > 0.5 and s.get("p", 9) <= 1
    }
    squares = [s["label"] for s in schedules if s["kind"] == "constant"
               or s.get("p", 1) <= 0.5]  # fmt: skip
    summable = [s["label"] for s in schedules if s["kind"] == "geometric"
                or s.get("p", 0) > 1]  # fmt: skip
    for label, mistake in [(x, "squares_diverge") for x in squares] + [
        (x, "steps_summable") for x in summable
    ]:
        feedback = ex.check(sorted(right | {label}))
        assert feedback.mistakes == (mistake,) and f"{label} fails" in feedback.message
    missing = sorted(right)[0]
    feedback = ex.check(sorted(right - {missing}))
    assert feedback.mistakes == ("missed",) and f"{missing} was left out" in str(
        feedback
    )


def test_parts_that_are_right_are_named_first():
    ex = get_exercise("sgd_step", seed=1)
    answer = {**sgd(ex.params), "b": ex.params["b"]}
    message = ex.check(answer).message
    assert message.startswith("Θ is right; b is a parameter too")
    wrong_entry = {**sgd(ex.params), "theta": [sgd(ex.params)["theta"][0], 99.0]}
    assert "Θ is not right (entry 2 of 2 off)" in ex.check(wrong_entry).message
