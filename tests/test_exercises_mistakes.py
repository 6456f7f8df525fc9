"""Each typical mistake, computed here in NumPy, is refused with its own hint.

A case is (exercise, mistake name, a function of the params that returns the
wrong answer, or None where the mistake cannot be told from the right
answer, and words the message must contain). Every case must apply on at
least one of the seeds, and the feedback must be ``correct=False``, name the
mistake in ``.mistakes`` and explain it in ``.message``.
"""

import numpy as np
import pytest
from scipy.special import log_softmax, softmax

from nda_models.exercises import get_exercise

SEEDS = range(10)


def sigma(z):
    return 1 / (1 + np.exp(-z))


def lsq(p):
    x, y = np.array(p["x"]), np.array(p["y"])
    w = np.cov(x, y, bias=True)[0, 1] / x.var()
    return x, y, w, y.mean() - w * x.mean()


def residuals(p):
    x = np.array(p["x"], float).reshape(-1, 2)
    return x, np.array(p["y"], float).reshape(-1) - x @ p["theta"] - p["b"]


def step(p, grad_theta, grad_b, eta=None):
    eta = p["eta"] if eta is None else eta
    return {"theta": list(np.array(p["theta"]) - eta * np.asarray(grad_theta)),
            "b": p["b"] - eta * grad_b}  # fmt: skip


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
    return {"with_replacement": (var / m) ** power,
            "without_replacement": (var / m * fpc) ** power}  # fmt: skip


def perceptron(p, error=None, b_moves=True, eta=None):
    w, x = np.array(p["theta"]), np.array(p["x"])
    s = w @ x + p["b"]
    e = p["y"] - float(s > 0) if error is None else error(s)
    eta = p["eta"] if eta is None else eta
    return {"theta": list(w + eta * e * x), "b": p["b"] + (eta * e if b_moves else 0)}


def misclassified(p):
    return p["y"] != float(np.dot(p["theta"], p["x"]) + p["b"] > 0)


def bce(p, log=np.log, sign=-1.0, swap=False, reduce=np.mean):
    q, y = np.array(p["p"]), np.array(p["y"])
    y = 1 - y if swap else y
    return sign * reduce(y * log(q) + (1 - y) * log(1 - q))


def nll(p, label=None):
    return -log_softmax(p["logits"])[p["label"] if label is None else label]


def ex1_grad(p, gradient=None, g=None):
    t = np.array(p["theta"], float)
    right = {"g": t[0] ** 2 + 2 * t[1] ** 2 - t[2] ** 2,
             "gradient": list(t * [2, 4, -2])}  # fmt: skip
    return {**right, **({"gradient": list(gradient(t))} if gradient else {}),
            **({"g": g(t)} if g else {})}  # fmt: skip


def ex2_parts(p):
    t1, t2, t3 = p["theta"]
    a, c = t1 + 2 * t2, t2 + 2 * t3
    s = a * a + 2 * c * c
    grad = np.array([4 * a / s, 8 * a / s + 8 * c / s, 16 * c / s])
    return a, c, s, grad


def ex2(p, g=None, gradient=None):
    a, c, s, grad = ex2_parts(p)
    return {"g": np.log(s * s) if g is None else g,
            "gradient": list(grad if gradient is None else gradient)}  # fmt: skip


def ex3(p, factor=1.0, dw=None, db=None):
    y = np.exp(p["w"] * p["x"] + p["b"])
    d_b = factor * 2 * (y - p["y_star"]) * y
    return {"dl_dw": d_b * p["x"] if dw is None else dw(d_b, y),
            "dl_db": d_b if db is None else db(d_b, y)}  # fmt: skip


def ex3_rest(p):
    return ex3(p)


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
    ("sigmoid_derivative", "gave_sigmoid", lambda p: sigma(p["z"]), "σ(z) itself"),
    ("sigmoid_derivative", "squared", lambda p: sigma(p["z"]) ** 2, "not σ(z)²"),
    (
        "sigmoid_derivative",
        "one_minus",
        lambda p: 1 - sigma(p["z"]),
        "1 − σ(z) = σ(−z)",
    ),
    (
        "sigmoid_derivative",
        "sign",
        lambda p: -sigma(p["z"]) * (1 - sigma(p["z"])),
        "wrong sign",
    ),
    (
        "perceptron_update",
        "sign",
        lambda p: (
            perceptron(p, error=lambda s: -(p["y"] - (s > 0)))
            if misclassified(p)
            else None
        ),
        "wrong way",
    ),
    (
        "perceptron_update",
        "used_score",
        lambda p: perceptron(p, error=lambda s: p["y"] - s),
        "in place of ŷ = step(s)",
    ),
    (
        "perceptron_update",
        "forgot_bias",
        lambda p: perceptron(p, b_moves=False) if misclassified(p) else None,
        "b is updated too",
    ),
    (
        "perceptron_update",
        "forgot_eta",
        lambda p: perceptron(p, eta=1.0) if misclassified(p) else None,
        "forgot the step size",
    ),
    (
        "perceptron_update",
        "moved_when_correct",
        lambda p: (
            None if misclassified(p) else perceptron(p, error=lambda s: 2 * p["y"] - 1)
        ),
        "only on mistakes",
    ),
    ("bce", "no_minus", lambda p: bce(p, sign=1.0), "negative"),
    ("bce", "sum_not_mean", lambda p: bce(p, reduce=np.sum), "summed the M losses"),
    ("bce", "log10", lambda p: bce(p, log=np.log10), "log base 10"),
    (
        "bce",
        "swapped_classes",
        lambda p: bce(p, swap=True),
        "paired y = 1 with log(1 − p)",
    ),
    (
        "bce",
        "probability_not_log",
        lambda p: bce(p, log=lambda q: q),
        "probabilities, not their logarithms",
    ),
    (
        "softmax",
        "divided_by_sum",
        lambda p: np.divide(p["logits"], sum(p["logits"])),
        "normalised the logits",
    ),
    ("softmax", "not_normalised", lambda p: np.exp(p["logits"]), "sum to 1"),
    (
        "softmax",
        "gave_log_softmax",
        lambda p: log_softmax(p["logits"]),
        "log-probabilities",
    ),
    ("softmax", "negated", lambda p: softmax(-np.array(p["logits"])), "e^{−z_k}"),
    (
        "log_softmax",
        "gave_probabilities",
        lambda p: softmax(p["logits"]),
        "Those are probabilities",
    ),
    (
        "log_softmax",
        "only_shifted",
        lambda p: np.subtract(p["logits"], max(p["logits"])),
        "subtract log Σ",
    ),
    (
        "log_softmax",
        "log10",
        lambda p: log_softmax(p["logits"]) / np.log(10),
        "log base 10",
    ),
    ("log_softmax", "factor_2", lambda p: 2 * log_softmax(p["logits"]), "twice"),
    ("softmax_nll", "no_minus", lambda p: -nll(p), "without the minus sign"),
    (
        "softmax_nll",
        "probability_not_log",
        lambda p: softmax(p["logits"])[p["label"]],
        "log-probability",
    ),
    ("softmax_nll", "log10", lambda p: nll(p) / np.log(10), "log base 10"),
    (
        "softmax_nll",
        "forgot_normaliser",
        lambda p: -p["logits"][p["label"]],
        "only the first term",
    ),
    (
        "softmax_nll",
        "counted_from_one",
        lambda p: nll(p, p["label"] - 1) if p["label"] > 0 else None,
        "numbered from 0",
    ),
    ("softmax_nll", "factor_half", lambda p: nll(p) / 2, "half the right value"),
    (
        "example1_gradient",
        "forgot_square_derivative",
        lambda p: ex1_grad(p, gradient=lambda t: t * [1, 2, -1]),
        "∂f_i/∂θ_i = 2θ_i",
    ),
    (
        "example1_gradient",
        "dropped_weights",
        lambda p: ex1_grad(p, gradient=lambda t: 2 * t),
        "weights of f4",
    ),
    (
        "example1_gradient",
        "sign_theta3",
        lambda p: ex1_grad(p, gradient=lambda t: t * [2, 4, 2]),
        "∂g/∂θ3 has the wrong sign",
    ),
    (
        "example1_gradient",
        "plus_theta3",
        lambda p: ex1_grad(p, g=lambda t: t @ t + t[1] ** 2),
        "g subtracts it",
    ),
    (
        "example2_gradient",
        "missed_path",
        lambda p: ex2(
            p, gradient=ex2_parts(p)[3] - [0, 8 * ex2_parts(p)[1] / ex2_parts(p)[2], 0]
        ),
        "all paths sum",
    ),
    (
        "example2_gradient",
        "forgot_log",
        lambda p: ex2(
            p, g=ex2_parts(p)[2] ** 2, gradient=ex2_parts(p)[3] * ex2_parts(p)[2] ** 2
        ),
        "∂f4/∂f3 = 1/f3",
    ),
    (
        "example2_gradient",
        "log10",
        lambda p: ex2(
            p, g=np.log10(ex2_parts(p)[2] ** 2), gradient=ex2_parts(p)[3] / np.log(10)
        ),
        "natural logarithm",
    ),
    (
        "example3_backward",
        "forgot_du_dw",
        lambda p: ex3(p, dw=lambda d, y: d),
        "is off by the factor x",
    ),
    (
        "example3_backward",
        "x_in_dl_db",
        lambda p: ex3(p, db=lambda d, y: d * p["x"]),
        "∂v/∂b = 1",
    ),
    ("example3_backward", "half_loss", lambda p: ex3(p, factor=0.5), "without ½"),
    (
        "example3_backward",
        "forgot_dy_dv",
        lambda p: ex3(p, dw=lambda d, y: d * p["x"] / y, db=lambda d, y: d / y),
        "∂y/∂v = e^v = y",
    ),
    ("example3_backward", "sign", lambda p: ex3(p, factor=-1.0), "overshoots"),
    (
        "example3_backward",
        "swapped",
        lambda p: {"dl_dw": ex3_rest(p)["dl_db"], "dl_db": ex3_rest(p)["dl_dw"]},
        "You swapped ∂ℓ/∂w and ∂ℓ/∂b",
    ),
    (
        "forward_reverse_cost",
        "swapped",
        lambda p: {"forward_passes": p["m"], "reverse_passes": p["d"]},
        "You swapped",
    ),
    (
        "forward_reverse_cost",
        "forward_once",
        lambda p: {"forward_passes": 1, "reverse_passes": p["m"]},
        "for every entry θ_i",
    ),
    (
        "forward_reverse_cost",
        "reverse_per_input",
        lambda p: {"forward_passes": p["d"], "reverse_passes": p["d"]},
        "one pass per output",
    ),
    (
        "forward_reverse_cost",
        "one_pass_per_derivative",
        lambda p: (
            None
            if p["m"] == 1
            else {"forward_passes": p["d"] * p["m"], "reverse_passes": p["d"] * p["m"]}
        ),
        "a whole column",
    ),
]


@pytest.mark.parametrize("name, mistake, wrong, words", CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])  # fmt: skip
def test_mistake_is_refused_with_its_hint(name, mistake, wrong, words):
    applied = 0
    for seed in SEEDS:
        ex = get_exercise(name, seed=seed)
        answer = wrong(ex.params)
        if answer is None:
            continue
        applied += 1
        feedback = ex.check(answer)
        assert not feedback.correct, (seed, answer)
        assert mistake in feedback.mistakes, (seed, str(feedback))
        assert words in feedback.message, (seed, str(feedback))
    assert applied >= 2, f"{mistake} applied to {applied} of the seeds only"


def test_the_brief_example_message_reads_as_promised():
    ex = get_exercise("example3_backward", seed=2)
    answer = ex3(ex.params, dw=lambda d, y: d)
    assert str(ex.check(answer)) == (
        f"Not yet: ∂ℓ/∂b is right; ∂ℓ/∂w is off by the factor x = {ex.params['x']:g}: "
        "did you forget ∂u/∂w = x?"
    )


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
