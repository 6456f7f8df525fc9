"""Data larger than memory: one training epoch over a CSV streamed with tf.data.

Generates a CSV of ``--rows`` rows (default 2,000,000) of the lecture's linear
model extended to ``--features`` inputs, written in chunks so the generator
itself stays in bounded memory, then trains one epoch of a linear model in
separate child processes (so each peak RSS is its own):

- ``stream + keras fit``: ``nda.stream_csv`` into ``keras.Model.fit``;
- ``stream + nda Trainer``: the same stream into ``nda_models.training.Trainer``
  (when it is importable);
- ``pandas + keras fit`` (baseline): the whole file read with pandas into
  memory, then ``keras.Model.fit`` on the arrays.

Reports rows/second and the peak resident memory (``ru_maxrss`` of the child,
TensorFlow included); the streamed runs must stay under 1 GiB.

Usage:
    python benchmarks/bench_streaming.py            # 2,000,000 rows
    python benchmarks/bench_streaming.py --quick    # 200,000 rows
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

LIMIT_MIB = 1024
MODES = {
    "stream_keras": "stream + keras fit",
    "stream_trainer": "stream + nda Trainer",
    "memory_keras": "pandas + keras fit (baseline)",
}


def write_csv(path, rows, features, chunk=100_000, seed=0):
    """Writes ``y = 5 + x @ w + eps`` chunk by chunk (bounded memory)."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    weights = np.linspace(2.0, -3.0, features)
    names = [f"x{i + 1}" for i in range(features)]
    for start in range(0, rows, chunk):
        x = rng.standard_normal((min(chunk, rows - start), features))
        frame = pd.DataFrame(x.astype(np.float32), columns=names)
        frame["y"] = (5.0 + x @ weights + rng.normal(0, 0.1, len(x))).astype(np.float32)
        frame.to_csv(path, mode="a", header=start == 0, index=False)


def train_stream_keras(stream, input_dim, learning_rate):
    """One epoch of ``keras.Model.fit`` on a ``tf.data.Dataset``; returns the loss."""
    import keras

    model = keras.Sequential([keras.Input((input_dim,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss="mse")
    return model.fit(stream, epochs=1, verbose=0).history["loss"][-1]


def train_stream_trainer(stream, input_dim, learning_rate):
    """One epoch of ``nda.Trainer.fit`` on a ``tf.data.Dataset``; returns the loss."""
    import nda_models as nda
    from nda_models.training import Trainer

    model = nda.build_model("linear_regressor", input_dim=input_dim)
    trainer = Trainer(model, learning_rate=learning_rate, seed=0)
    return trainer.fit(stream, epochs=1).history["loss"][-1]


def child(mode, path, batch_size, learning_rate):
    """Runs one mode in this process and prints its measurements as JSON.

    TensorFlow and Keras are imported before the clock starts; the RSS after
    those imports (mostly shared library pages) is reported apart, so
    ``peak - imports`` is what the data and the training cost.
    """
    import keras
    import pandas as pd
    import tensorflow as tf  # noqa: F401

    from nda_models.data import stream_csv

    imports_mib = _rss_mib()
    input_dim = len(pd.read_csv(path, nrows=1).columns) - 1
    start = time.perf_counter()
    if mode == "memory_keras":
        frame = pd.read_csv(path, dtype=np.float32)
        x, y = frame.iloc[:, :-1].to_numpy(), frame.iloc[:, -1].to_numpy()
        del frame
        model = keras.Sequential([keras.Input((input_dim,)), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss="mse")
        history = model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
        loss = history.history["loss"][-1]
    else:
        stream = stream_csv(path, target="y", batch_size=batch_size, seed=0)
        train = train_stream_keras if mode == "stream_keras" else train_stream_trainer
        loss = train(stream, input_dim, learning_rate)
    seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mib": peak_mib,
                      "imports_mib": imports_mib, "loss": float(loss)}))  # fmt: skip


def _rss_mib():
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def run_child(mode, path, args):
    command = [sys.executable, __file__, "--child", mode, "--csv", path,
               "--batch-size", str(args.batch_size)]  # fmt: skip
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def trainer_available():
    try:
        from nda_models.training import Trainer  # noqa: F401
    except ImportError:
        return False
    return True


def report(results, rows):
    base = results["memory_keras"]
    head = ("mode", "rows/s", "x base", "peak MiB", "imports", "data MiB", "loss")
    print("\n{:<30} {:>9} {:>7} {:>9} {:>8} {:>9} {:>8}  < 1 GiB".format(*head))
    for mode, result in results.items():
        if "error" in result:
            print(f"{MODES[mode]:<30} failed: {result['error']}")
            continue
        speed = rows / result["seconds"]
        ratio = (
            result.get("seconds") and base.get("seconds", np.nan) / result["seconds"]
        )
        data = result["peak_mib"] - result["imports_mib"]
        ok = "yes" if result["peak_mib"] < LIMIT_MIB else "NO"
        ok = "(baseline)" if mode == "memory_keras" else ok
        cells = (MODES[mode], speed, ratio, result["peak_mib"], result["imports_mib"])
        cells += (data, result["loss"], ok)
        line = "{:<30} {:>9,.0f} {:>7.2f} {:>9,.0f} {:>8,.0f} {:>9,.0f} {:>8.4f}  {}"
        print(line.format(*cells))
    print("peak = ru_maxrss of the child; imports = RSS after importing TensorFlow")
    print("and Keras (mostly shared library pages); data = peak - imports.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--quick", action="store_true", help="200,000 rows")
    parser.add_argument("--features", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--child", choices=sorted(MODES), help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.csv, args.batch_size, learning_rate=0.01)
        return 0
    rows = 200_000 if args.quick else args.rows
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "big.csv")
        start = time.perf_counter()
        write_csv(path, rows, args.features)
        size = os.path.getsize(path) / 2**20
        seconds = time.perf_counter() - start
        print(f"generated {rows:,} rows x {args.features} features, {size:,.0f} MiB")
        print(f"in {seconds:.1f} s; batch_size={args.batch_size}, one epoch each")
        modes = [m for m in MODES if m != "stream_trainer" or trainer_available()]
        results = {mode: run_child(mode, path, args) for mode in modes}
    report(results, rows)
    streamed = [r for m, r in results.items() if m.startswith("stream")]
    return 0 if all(r.get("peak_mib", LIMIT_MIB) < LIMIT_MIB for r in streamed) else 1


if __name__ == "__main__":
    sys.exit(main())
