"""The estimators at their defaults against scikit-learn's, problem by problem.

Each zoo model is compared with the scikit-learn estimator it stands for,
both constructed with no argument but the model name and a seed:

    linear_regressor  NDARegressor()                      SGDRegressor()
    mlp_regressor     NDARegressor("mlp_regressor")       MLPRegressor()
    logistic_neuron   NDAClassifier("logistic_neuron")    LogisticRegression()
    perceptron        NDAClassifier("perceptron")         Perceptron()
    softmax_classifier NDAClassifier("softmax_classifier") LogisticRegression()
    mlp_classifier    NDAClassifier()                     MLPClassifier()

on ordinary small problems, raw features as loaded (no scaler in front)
unless the problem says "scaled": R² for regression, accuracy for
classification, on a held-out quarter of the rows (stratified). Each side
is fitted with random_state 0, 1 and 2 and the mean score is printed, with
the mean CPU seconds of one fit (TensorFlow imported and each architecture
traced once before timing).

Usage:
    python benchmarks/bench_sklearn_defaults.py [--quick]
"""

import argparse
import os
import time
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
from sklearn import datasets  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import (  # noqa: E402
    LogisticRegression,
    Perceptron,
    SGDRegressor,
)
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.neural_network import MLPClassifier, MLPRegressor  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from nda_models.sklearn import NDAClassifier, NDARegressor  # noqa: E402

PEERS = {
    "linear_regressor": (NDARegressor, SGDRegressor),
    "mlp_regressor": (NDARegressor, MLPRegressor),
    "logistic_neuron": (NDAClassifier, LogisticRegression),
    "perceptron": (NDAClassifier, Perceptron),
    "softmax_classifier": (NDAClassifier, LogisticRegression),
    "mlp_classifier": (NDAClassifier, MLPClassifier),
}
TASK = {"linear_regressor": "regression", "mlp_regressor": "regression",
        "logistic_neuron": "binary", "perceptron": "binary",
        "softmax_classifier": "any", "mlp_classifier": "any"}  # fmt: skip


def _large(x):
    """Unscaled, large-valued features: 1000 x + 50,000."""
    return 1000.0 * x + 5e4


def problems():
    """``{name: (X, y, task, scaled)}`` of the compared problems."""
    reg_x, reg_y = datasets.make_regression(400, 5, noise=5, random_state=0)
    clf_x, clf_y = datasets.make_classification(random_state=0)
    big_x, big_y = datasets.make_classification(300, random_state=1)
    three_x, three_y = datasets.make_classification(
        300, n_classes=3, n_informative=4, random_state=0
    )
    rng = np.random.default_rng(0)
    toy_x = rng.normal(size=(200, 2))
    toy_y = 5 + 2 * toy_x[:, 0] - 3 * toy_x[:, 1] + 0.5 * rng.normal(size=200)
    return {
        "make_regression(400, 5, noise=5)": (reg_x, reg_y, "regression", False),
        "diabetes": (*datasets.load_diabetes(return_X_y=True), "regression", False),
        "make_regression, large features": (_large(reg_x), reg_y, "regression", False),
        "2-feature y = 5 + 2x1 - 3x2": (toy_x, toy_y, "regression", False),
        "make_classification()": (clf_x, clf_y, "binary", False),
        "breast_cancer": (
            *datasets.load_breast_cancer(return_X_y=True),
            "binary",
            False,
        ),
        "breast_cancer, scaled": (
            *datasets.load_breast_cancer(return_X_y=True),
            "binary",
            True,
        ),
        "make_classification, large features": (_large(big_x), big_y, "binary", False),
        "2-feature moons": (
            *datasets.make_moons(200, noise=0.25, random_state=0),
            "binary",
            False,
        ),
        "iris": (*datasets.load_iris(return_X_y=True), "multiclass", False),
        "digits": (*datasets.load_digits(return_X_y=True), "multiclass", False),
        "make_classification, 3 classes": (three_x, three_y, "multiclass", False),
    }


def applies(model, task):
    kind = TASK[model]
    return kind == task or (kind == "any" and task != "regression")


def score(make, x, y, task, scaled, seed):
    """(held-out score, CPU seconds of the fit) of one estimator."""
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, random_state=0, stratify=None if task == "regression" else y
    )
    estimator = make(seed)
    if scaled:
        estimator = make_pipeline(StandardScaler(), estimator)
    start = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.fit(x_train, y_train)
    seconds = time.process_time() - start
    return estimator.score(x_test, y_test), seconds


def compare(model, problem, seeds):
    """Mean scores and fit seconds of ours and the peer on one problem."""
    ours, theirs = PEERS[model]
    x, y, task, scaled = problem
    makers = (
        lambda seed: ours(model, random_state=seed),
        lambda seed: theirs(random_state=seed),
    )
    score(makers[0], x, y, task, scaled, 0)  # trace this architecture once
    results = []
    for make in makers:
        runs = [score(make, x, y, task, scaled, seed) for seed in seeds]
        results.append(np.mean(runs, axis=0))
    return results


def _score(value, sign=""):
    """A score in 8 characters (R² far below 0 is shown as < -99)."""
    if np.isnan(value):
        return f"{'':>8}"
    return f"{value:{sign}8.3f}" if value > -99 else f"{'< -99':>8}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="random_state 0 only")
    args = parser.parse_args(argv)
    seeds = (0,) if args.quick else (0, 1, 2)
    print(f"{'model':<19} {'problem':<36} {'ours':>8} {'peer':>8} {'diff':>7}"
          f"  CPU s ours / peer")  # fmt: skip
    for model, (_, peer) in PEERS.items():
        for name, problem in problems().items():
            if not applies(model, problem[2]):
                continue
            (ours, ours_s), (theirs, theirs_s) = compare(model, problem, seeds)
            diff = ours - theirs if min(ours, theirs) > -99 else float("nan")
            print(f"{model:<19} {name:<36} {_score(ours)} {_score(theirs)} "
                  f"{_score(diff, '+')}  {ours_s:5.2f} / {theirs_s:5.2f}"
                  f"  ({peer.__name__})", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
