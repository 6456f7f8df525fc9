"""Candidate defaults of ``NDARegressor("mlp_regressor")`` against its peers.

Each candidate (estimator parameters on top of the defaults; "old" = the
defaults before 2 Dec 2026: 100 epochs, stopping on the training loss after
10 flat epochs, ``l2=0``) and each peer is fitted on the same problems, on
raw features as loaded, held-out quarter of the rows:
the split and the estimator's ``random_state`` are both the seed, seeds
0-4, and the table gives the mean R² and, in brackets, the worst seed.
Peers: ``MLPRegressor()`` raw and with X and y standardised (a
``StandardScaler`` in front, ``TransformedTargetRegressor`` around), the
same with ``early_stopping=True``, ``RidgeCV()`` and ``LinearRegression()``.

Usage:
    python benchmarks/bench_mlp_regressor_defaults.py [--quick] [--only NAMES]
"""

import argparse
import os
import time
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
from sklearn import datasets  # noqa: E402
from sklearn.compose import TransformedTargetRegressor  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import LinearRegression, RidgeCV  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.neural_network import MLPRegressor  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from nda_models.sklearn import NDARegressor  # noqa: E402

# The defaults before 2 Dec 2026: 100 epochs of the training loss, no l2.
OLD = dict(early_stopping=False, epochs=100, n_iter_no_change=10, l2=0.0)
CANDIDATES = {
    "ours, defaults": {},
    "ours, old defaults (training loss)": OLD,
    "ours, old + early_stopping": {**OLD, "early_stopping": True},
    "ours, old, 20 epochs": {**OLD, "epochs": 20},
    "ours, old, hidden_units=(32,)": {**OLD, "hidden_units": (32,)},
    "ours, old, l2=1e-1": {**OLD, "l2": 1e-1},
    "ours, defaults, wait 10": dict(n_iter_no_change=10),
    "ours, defaults, l2=1e-3": dict(l2=1e-3),
    "ours, defaults, l2=1e-2": dict(l2=1e-2),
}


def _scaled_mlp(seed, **options):
    mlp = make_pipeline(StandardScaler(), MLPRegressor(random_state=seed, **options))
    return TransformedTargetRegressor(mlp, transformer=StandardScaler())


PEERS = {
    "MLPRegressor()": lambda seed: MLPRegressor(random_state=seed),
    "MLPRegressor, X and y scaled": _scaled_mlp,
    "MLPRegressor(early_stopping), scaled": lambda seed: _scaled_mlp(
        seed, early_stopping=True
    ),
    "RidgeCV()": lambda seed: RidgeCV(),
    "LinearRegression()": lambda seed: LinearRegression(),
}


def problems():
    """``{name: (X, y)}``: bundled and generated regression problems."""
    linnerud = datasets.load_linnerud()
    return {
        "diabetes (442 x 10)": datasets.load_diabetes(return_X_y=True),
        "friedman1 (500 x 10, noise 1)": datasets.make_friedman1(
            500, noise=1.0, random_state=0
        ),
        "friedman2 (500 x 4, noise 100)": datasets.make_friedman2(
            500, noise=100.0, random_state=0
        ),
        "friedman3 (500 x 4, noise 0.1)": datasets.make_friedman3(
            500, noise=0.1, random_state=0
        ),
        "make_regression(400, 5, noise=5)": datasets.make_regression(
            400, 5, noise=5, random_state=0
        ),
        "linnerud (20 x 3), weight": (linnerud.data, linnerud.target[:, 0]),
    }


def score(make, x, y, seed):
    """(held-out R², CPU seconds of the fit) for one seed."""
    x_train, x_test, y_train, y_test = train_test_split(x, y, random_state=seed)
    estimator = make(seed)
    start = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.fit(x_train, y_train)
    return estimator.score(x_test, y_test), time.process_time() - start


def _ours(options):
    return lambda seed: NDARegressor("mlp_regressor", random_state=seed, **options)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="seeds 0 and 1 only")
    parser.add_argument("--only", default="", help="row names, separated by |")
    args = parser.parse_args(argv)
    seeds = (0, 1) if args.quick else (0, 1, 2, 3, 4)
    rows = {name: _ours(options) for name, options in CANDIDATES.items()}
    rows.update(PEERS)
    if args.only:
        rows = {k: v for k, v in rows.items() if k in args.only.split("|")}
    for problem, (x, y) in problems().items():
        print(f"\n{problem}")
        for name, make in rows.items():
            runs = np.array([score(make, x, y, seed) for seed in seeds])
            print(f"  {name:<40} R² {runs[:, 0].mean():7.3f} "
                  f"(worst {runs[:, 0].min():7.3f})  CPU {runs[:, 1].mean():5.2f} s",
                  flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
