"""NDAClassifier("mlp_classifier") against scikit-learn's MLPClassifier.

Same architecture (64 -> 128 -> 128 -> 10, ReLU, softmax output, no L2),
same optimizer (Adam, η = 1e-3, β = (0.9, 0.999)), same batch size (128),
same epochs (5), same standardised data (make_classification, 40,000 training
and 10,000 test rows, 64 features, 10 classes), in one run. Each side's timed
call is a whole ``fit`` as a user makes it: for NDAClassifier that includes
building the Keras model and tracing the Trainer's graph functions; for
MLPClassifier, its NumPy set-up. TensorFlow is imported before timing.
Early stopping is off on both sides (MLPClassifier's ``tol`` check is
disabled so that both run every epoch).

Both the wall time (samples/s) and the process's CPU time are printed: on a
shared machine the wall time depends on the other jobs, and the CPU time
shows how much work each side did.

Differences that remain: Adam's ε (Keras 1e-7, scikit-learn 1e-8) and the
weight initialisation (Glorot uniform in both, with different random draws).

Usage:
    python benchmarks/bench_sklearn.py [--quick]
"""

import argparse
import os
import time
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from sklearn.datasets import make_classification  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from nda_models.sklearn import NDAClassifier  # noqa: E402
from nda_models.training import Trainer  # noqa: E402, F401 - TensorFlow imported

HIDDEN, BATCH, LEARNING_RATE = (128, 128), 128, 1e-3


def data(train_rows, test_rows):
    x, y = make_classification(
        n_samples=train_rows + test_rows, n_features=64, n_informative=32,
        n_classes=10, random_state=0,
    )  # fmt: skip
    scaler = StandardScaler().fit(x[:train_rows])
    x = scaler.transform(x)
    return x[:train_rows], y[:train_rows], x[train_rows:], y[train_rows:]


def estimators(epochs):
    ours = NDAClassifier(
        "mlp_classifier", hidden_units=HIDDEN, activation="relu", optimizer="adam",
        learning_rate=LEARNING_RATE, batch_size=BATCH, epochs=epochs, random_state=0,
    )  # fmt: skip
    theirs = MLPClassifier(
        hidden_layer_sizes=HIDDEN, activation="relu", solver="adam", alpha=0.0,
        learning_rate_init=LEARNING_RATE, batch_size=BATCH, max_iter=epochs,
        shuffle=True, tol=0.0, n_iter_no_change=epochs + 1, random_state=0,
    )  # fmt: skip
    return {"MLPClassifier (scikit-learn)": theirs, "NDAClassifier (ours)": ours}


def timed_fit(estimator, x, y):
    """Returns (wall seconds, CPU seconds of this process) of one ``fit``."""
    start, cpu = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.fit(x, y)
    return time.perf_counter() - start, time.process_time() - cpu


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8,000 rows, 2 epochs")
    args = parser.parse_args(argv)
    train_rows, epochs = (8_000, 2) if args.quick else (40_000, 5)
    x_train, y_train, x_test, y_test = data(train_rows, train_rows // 4)
    print(f"{train_rows} training rows, {len(x_test)} test rows, 64 features, "
          f"10 classes; 64-128-128-10 ReLU, Adam {LEARNING_RATE:g}, batch {BATCH}, "
          f"{epochs} epochs")  # fmt: skip
    rates = {}
    for name, estimator in estimators(epochs).items():
        seconds, cpu = timed_fit(estimator, x_train, y_train)
        rates[name] = train_rows * epochs / seconds
        accuracy = estimator.score(x_test, y_test)
        rate = f"{rates[name]:,.0f} samples/s"
        print(f"{name:<30} fit {seconds:7.2f} s (CPU {cpu:6.2f} s) {rate:>17}, "
              f"test accuracy {accuracy:.4f}")  # fmt: skip
    theirs, ours = rates.values()
    print(f"ratio (ours / scikit-learn): {ours / theirs:.2f}x samples/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
