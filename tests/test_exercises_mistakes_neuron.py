"""Typical mistakes on the sigmoid, the perceptron, BCE, softmax, LogSoftmax and
the NLL, each refused with its own hint.

Each case (exercise, mistake, a NumPy function of the params giving the wrong
answer or None where it cannot be told apart, words of the hint) runs through
``exercise_support.check_mistake`` on ten seeds.
"""

import numpy as np
import pytest
from exercise_support import check_mistake
from scipy.special import log_softmax, softmax


def sigma(z):
    return 1 / (1 + np.exp(-z))


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


CASES = [
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
]


@pytest.mark.parametrize(
    "name, mistake, wrong, words", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_mistake_is_refused_with_its_hint(name, mistake, wrong, words):
    check_mistake(name, mistake, wrong, words)
