"""Pickling a fitted estimator against saving it as a bundle, in the same run.

A fitted ``NDAClassifier("mlp_classifier")`` (defaults, digits: 64 features,
10 classes) is pickled with ``pickle.dumps`` (weights, statistics and the
run's state as arrays; see ``nda_models/sklearn/persistence.py``) and saved
with ``nda.save_model`` (model.keras, SavedModel, model.onnx, metadata:
what pickling used to write); then read back with ``pickle.loads`` and
``load_estimator``. The four are interleaved over the rounds and the median
of each is printed (wall and process CPU seconds), with the sizes and the
ratio to ``pickle.dumps``. TensorFlow is imported and each path run once
before timing.

Usage:
    python benchmarks/bench_sklearn_pickle.py [--quick]
"""

import argparse
import os
import pathlib
import pickle
import shutil
import statistics
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from sklearn.datasets import load_digits  # noqa: E402

import nda_models as nda  # noqa: E402
from nda_models.sklearn import NDAClassifier, load_estimator  # noqa: E402


def timed(action):
    """Returns (wall seconds, CPU seconds, result) of ``action()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def folder_size(path):
    return sum(f.stat().st_size for f in pathlib.Path(path).rglob("*") if f.is_file())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 rounds, not 5")
    args = parser.parse_args(argv)
    rounds = 2 if args.quick else 5
    x, y = load_digits(return_X_y=True)
    est = NDAClassifier("mlp_classifier", random_state=0).fit(x, y)
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="bench-pickle-"))
    data = pickle.dumps(est)
    cases = {
        "pickle.dumps": lambda: pickle.dumps(est),
        "nda.save_model": lambda: nda.save_model(est, scratch / "bundle"),
        "pickle.loads": lambda: pickle.loads(data),
        "load_estimator": lambda: load_estimator(scratch / "bundle"),
    }
    for action in cases.values():  # warm-up: every path traced once
        action()
    times = {name: [] for name in cases}
    try:
        for _ in range(rounds):
            for name, action in cases.items():
                wall, cpu, _ = timed(action)
                times[name].append((wall, cpu))
        sizes = {"pickle": len(data), "bundle": folder_size(scratch / "bundle")}
    finally:
        shutil.rmtree(scratch)
    print(f"NDAClassifier('mlp_classifier') on digits, median of {rounds} rounds")
    base = statistics.median(cpu for _, cpu in times["pickle.dumps"])
    for name, pairs in times.items():
        wall = statistics.median(w for w, _ in pairs)
        cpu = statistics.median(c for _, c in pairs)
        print(f"{name:<16} wall {wall:8.4f} s  CPU {cpu:8.4f} s  "
              f"({cpu / base:7.1f}x pickle.dumps CPU)")  # fmt: skip
    print(f"sizes: pickle {sizes['pickle']:,} bytes, bundle {sizes['bundle']:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
