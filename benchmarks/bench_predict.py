"""LoadedModel.predict: ONNX Runtime vs the Keras path (issue 15), and the
Keras path against calling the Keras model directly (issue 5).

A trained-shape mlp_classifier (16 -> 64 -> 64 -> 3, with its Normalization
layer) is saved as a bundle and loaded back twice: ``runtime="onnx"``
(ONNX Runtime runs model.onnx) and ``runtime="keras"`` (the compiled Keras
model). Issue 15's comparison, in the same run:

- ``bundle.predict`` 1-row latency and 100,000-row throughput, ONNX Runtime
  vs Keras (targets: >= 10x faster for 1 row, no worse at 100,000 rows);
- wall time of ``nda predict`` on a 2-row CSV, each runtime in its own
  subprocess, interleaved (target: >= 3x shorter with ONNX Runtime);
- what writing model.onnx adds to ``save_model``.

Issue 5's comparison of the Keras path, in the same run:

- 1-row latency and
- 100,000-row throughput,

each the median over rounds in which every contender is timed in turn (so
load from other processes affects all alike),

for the bundle's ``predict`` (validation + compiled call + class names) and
``predict_proba``, against three ways of calling the Keras model directly:

- ``direct tf.function``: ``tf.function(lambda x: model(x, training=False))``
  with a fixed input signature, on a float32 array (the fair baseline: the
  same compiled graph, no checks) -- the overhead % is measured against it;
- ``model(x, training=False)``: Keras's eager call;
- ``model.predict(x)``: Keras's batch inference loop (batch_size 32 default,
  and batch_size = n for the big input).

Target: per-row overhead of validation under 20 % of the direct call.

Usage:
    python benchmarks/bench_predict.py [--quick]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import tensorflow as tf  # noqa: E402

import nda_models as nda  # noqa: E402
from nda_models.export import load_model, save_model  # noqa: E402
from nda_models.export.read.answers import answers  # noqa: E402
from nda_models.export.read.input_checks import features_array  # noqa: E402

INPUT_DIM = 16


def make_model():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(500, INPUT_DIM)).astype(np.float32) * 3.0 + 1.0
    return nda.build_model(
        "mlp_classifier", input_dim=INPUT_DIM, num_classes=3, seed=0,
        normalization=(x.mean(0), x.var(0)),
    )  # fmt: skip


def save(model, folder, onnx=True):
    names = [f"f{i}" for i in range(INPUT_DIM)]
    return save_model(
        model, folder, feature_names=names, class_names=["a", "b", "c"], onnx=onnx
    )


def cpu_seconds(fns, x, rounds):
    """Median CPU seconds (all threads of this process) per call, interleaved.

    On a shared machine the wall time of a multi-threaded call measures the
    scheduler as much as the library; the CPU time is the work it did.
    """
    samples = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.process_time()
            fn(x)
            samples[name].append(time.process_time() - start)
    return {name: statistics.median(times) for name, times in samples.items()}


def save_seconds(model, folder, rounds):
    """Median seconds of save_model with and without model.onnx, interleaved."""
    samples = {True: [], False: []}
    for _ in range(rounds):
        for onnx in (True, False):
            start = time.perf_counter()
            save(model, os.path.join(folder, f"save-{onnx}"), onnx=onnx)
            samples[onnx].append(time.perf_counter() - start)
    return {onnx: statistics.median(times) for onnx, times in samples.items()}


def cli_seconds(bundle_path, folder, rounds):
    """Median wall seconds of `nda predict` on a 2-row CSV, per runtime.

    Each run is a new Python process (as a user's shell starts it); the two
    runtimes alternate so that load from other processes hits both alike.
    """
    csv = os.path.join(folder, "two_rows.csv")
    rows = np.random.default_rng(2).normal(size=(2, INPUT_DIM))
    pd.DataFrame(rows, columns=[f"f{i}" for i in range(INPUT_DIM)]).to_csv(
        csv, index=False
    )
    # The `nda` script installed beside this Python, as a user's shell runs it.
    nda_script = os.path.join(os.path.dirname(sys.executable), "nda")
    command = [nda_script, "predict", str(bundle_path)]
    samples = {"onnx": [], "keras": []}
    for _ in range(rounds):
        for runtime in samples:
            start = time.perf_counter()
            subprocess.run(
                [*command, "--input", csv, "--runtime", runtime],
                check=True,
                capture_output=True,
            )
            samples[runtime].append(time.perf_counter() - start)
    return {runtime: statistics.median(times) for runtime, times in samples.items()}


def interleaved(fns, x, rounds, calls):
    """Median seconds per call of each function, timed in alternation.

    Each round times ``calls`` calls of every function in turn, so a burst of
    load from other processes hits all of them alike; the median over rounds
    discards the disturbed rounds.
    """
    for fn in fns.values():
        fn(x)  # warm-up: tracing, caches
    samples = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.perf_counter()
            for _ in range(calls):
                fn(x)
            samples[name].append((time.perf_counter() - start) / calls)
    return {name: statistics.median(times) for name, times in samples.items()}


def contenders(bundle, onnx_bundle, x):
    model = bundle.model
    direct = tf.function(
        lambda x: model(x, training=False),
        input_signature=[tf.TensorSpec((None, INPUT_DIM), tf.float32)],
    )
    names, kind = bundle.feature_names, bundle.output_kind
    classes = np.asarray(bundle.class_names)
    outputs = direct(x).numpy()
    return {
        "direct tf.function (baseline)": lambda x: direct(x).numpy(),
        "  validation alone": lambda x: features_array(x, names),
        "  post-processing alone": lambda x: classes[
            answers(outputs, kind)["class_index"]
        ],
        "bundle.predict": bundle.predict,
        "bundle.predict_proba": bundle.predict_proba,
        "bundle.predict [onnx]": onnx_bundle.predict,
        "bundle.predict_proba [onnx]": onnx_bundle.predict_proba,
        "bundle.predict (float64 list)": lambda x: bundle.predict(x.tolist()),
        "model(x, training=False)": lambda x: model(x, training=False).numpy(),
        "model.predict(x)": lambda x: model.predict(x, verbose=0),
    }


def run(rows, rounds, bundle, onnx_bundle):
    rng = np.random.default_rng(1)
    results = []
    for label, n, calls in (("1 row: latency", 1, 50), (f"{rows:,} rows", rows, 1)):
        x = rng.normal(size=(n, INPUT_DIM)).astype(np.float32)
        frame = pd.DataFrame(x, columns=list(bundle.feature_names))
        fns = contenders(bundle, onnx_bundle, x)
        fns["bundle.predict (DataFrame)"] = lambda _, f=frame: bundle.predict(f)
        fns["bundle.predict (DataFrame) [onnx]"] = lambda _, f=frame: (
            onnx_bundle.predict(f)
        )
        if n > 1:
            del fns["bundle.predict (float64 list)"]  # measures Python lists
            del fns["model.predict(x)"]
            fns["model.predict(x, batch_size=n)"] = lambda v: bundle.model.predict(
                v, batch_size=len(v), verbose=0
            )
        slow = {k: fns.pop(k) for k in list(fns) if "model.predict" in k}
        timed = interleaved(fns, x, rounds, calls)
        timed.update(interleaved(slow, x, max(3, rounds // 10), 1))
        results += [(label, name, seconds, n) for name, seconds in timed.items()]
    return results


def report(results):
    print(f"{'case':<24} {'method':<36} {'time':>12} {'rows/s':>14} {'vs direct':>10}")
    base = {}
    for label, name, seconds, n in results:
        if "baseline" in name:
            base[label] = seconds
        if name.startswith("  "):  # a part of bundle.predict: its share
            versus = f"{seconds / base[label]:>6.1%} of it"
        else:
            versus = f"{seconds / base[label] - 1.0:>+9.1%}"
        print(
            f"{label:<24} {name:<36} {seconds * 1e6:>10.1f}us "
            f"{n / seconds:>14,.0f} {versus:>10}"
        )


def report_runtimes(results, cli, saves, cpu):
    """Issue 15's table: ONNX Runtime against the Keras path, as ratios."""
    timed = {(label, name): seconds for label, name, seconds, _ in results}
    print("\nONNX Runtime vs Keras path (ratio = Keras time / ONNX Runtime time)")
    print(f"{'measure':<44} {'Keras':>12} {'ONNX Runtime':>14} {'ratio':>8}")
    for label in dict.fromkeys(label for label, *_ in results):
        for method in ("bundle.predict", "bundle.predict (DataFrame)"):
            keras, onnx = timed[label, method], timed[label, f"{method} [onnx]"]
            print(
                f"{method + ', ' + label:<44} {keras * 1e6:>10.1f}us "
                f"{onnx * 1e6:>12.1f}us {keras / onnx:>7.1f}x"
            )
    print(
        f"{'bundle.predict, 100,000 rows, CPU time':<44} {cpu['keras'] * 1e6:>10.1f}us "
        f"{cpu['onnx'] * 1e6:>12.1f}us {cpu['keras'] / cpu['onnx']:>7.1f}x"
    )
    print(
        f"{'nda predict, 2-row CSV (wall)':<44} {cli['keras']:>11.2f}s "
        f"{cli['onnx']:>13.2f}s {cli['keras'] / cli['onnx']:>7.1f}x"
    )
    print(
        f"\nsave_model: {saves[True]:.2f} s with model.onnx, {saves[False]:.2f} s "
        f"without: the ONNX export adds {saves[True] - saves[False]:.2f} s"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    rounds = 10 if args.quick else 60
    with tempfile.TemporaryDirectory() as folder:
        model = make_model()
        path = save(model, os.path.join(folder, "bundle"))
        bundle = load_model(path, runtime="keras")
        onnx_bundle = load_model(path, runtime="onnx")
        print(
            f"bundle: {bundle}; TensorFlow {tf.__version__}, {os.cpu_count()} CPU(s)\n"
        )
        results = run(100_000, rounds, bundle, onnx_bundle)
        report(results)
        x = np.random.default_rng(3).normal(size=(100_000, INPUT_DIM))
        fns = {"keras": bundle.predict, "onnx": onnx_bundle.predict}
        cpu = cpu_seconds(fns, x.astype(np.float32), rounds)
        cli = cli_seconds(path, folder, 3 if args.quick else 7)
        saves = save_seconds(model, folder, 3 if args.quick else 7)
        report_runtimes(results, cli, saves, cpu)


if __name__ == "__main__":
    main()
