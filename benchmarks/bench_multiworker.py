"""Scale-out on a streamed CSV: two local workers against one, same global batch.

Generates a CSV of ``--rows`` rows × 16 features in 4 part files, then trains
``mlp_regressor`` (16 → 64 → 1, Adam, global batch 256, 2 epochs) with
``tf.distribute.MultiWorkerMirroredStrategy`` on ``nda.stream_csv(parts)``:
once as a cluster of one worker, once as two worker processes on 127.0.0.1
(each reads 2 of the 4 files). The stream shuffles each worker's share in a
buffer as large as the whole data set (a uniform shuffle), so the buffer is
the data memory a worker holds.

Reported per worker: rows/second of its share in the second epoch (the first
includes tracing), and peak resident memory (``ru_maxrss``) with its growth
during ``fit`` (the data held, above TensorFlow and the model). Both runs
share one machine, so two workers compete for the same cores: the rows/s
ratio says what one machine loses to the all-reduce, not what two machines
gain.

Usage:
    python benchmarks/bench_multiworker.py            # 400,000 rows
    python benchmarks/bench_multiworker.py --quick    # 100,000 rows
"""

import argparse
import json
import os
import pathlib
import resource
import socket
import subprocess
import sys
import tempfile
import time

from bench_streaming import write_csv

PARTS = 4
FEATURES = 16
BATCH_SIZE = 256


def rss_mib():
    """Current resident memory of this process (``VmRSS``), in MiB."""
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def worker(parts, rows, out):
    """One worker of the cluster in ``TF_CONFIG``: trains, writes JSON to ``out``."""
    import tensorflow as tf

    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    import keras

    import nda_models as nda

    config = json.loads(os.environ["TF_CONFIG"])
    workers, index = len(config["cluster"]["worker"]), config["task"]["index"]
    share = rows // PARTS * len(parts[index::workers])  # the files this worker reads
    with strategy.scope():
        model = nda.build_model(
            "mlp_regressor", input_dim=FEATURES, hidden_units=(64,), seed=0
        )
    trainer = nda.Trainer(
        model, optimizer="adam", learning_rate=1e-3, batch_size=BATCH_SIZE, seed=0,
        strategy=strategy,
    )  # fmt: skip
    stream = nda.stream_csv(
        parts, target="y", batch_size=BATCH_SIZE, shuffle_buffer=rows, seed=0
    )
    times = []
    clock = keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: times.append(time.perf_counter()),
        on_epoch_end=lambda epoch, logs: times.append(time.perf_counter()),
    )
    before = rss_mib()
    history = trainer.fit(stream, epochs=2, callbacks=[clock])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    seconds = times[3] - times[2]
    result = {
        "workers": workers,
        "index": index,
        "share_rows": share,
        "rows_per_second": share / seconds,
        "epoch_seconds": seconds,
        "rss_before_fit_mib": before,
        "peak_rss_mib": peak,
        "fit_growth_mib": peak - before,
        "loss": history.history["loss"][-1],
    }
    pathlib.Path(out).write_text(json.dumps(result))


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def run_cluster(folder, parts, rows, workers):
    """Starts ``workers`` processes of one cluster; returns their results."""
    cluster = {"worker": [f"127.0.0.1:{port}" for port in free_ports(workers)]}
    processes, outputs = [], []
    for index in range(workers):
        config = {"cluster": cluster, "task": {"type": "worker", "index": index}}
        env = dict(os.environ, TF_CONFIG=json.dumps(config), CUDA_VISIBLE_DEVICES="")
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        out = folder / f"w{workers}-{index}.json"
        command = [sys.executable, __file__, "--worker", str(out), "--rows", str(rows)]
        command += [str(part) for part in parts]
        processes.append(subprocess.Popen(command, env=env))
        outputs.append(out)
    codes = [process.wait() for process in processes]
    if any(codes):
        raise SystemExit(f"a worker failed: exit codes {codes}")
    return [json.loads(out.read_text()) for out in outputs]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 rows")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("parts", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    rows = args.rows or (100_000 if args.quick else 400_000)
    if args.worker:
        return worker(args.parts, rows, args.worker)
    with tempfile.TemporaryDirectory() as folder:
        folder = pathlib.Path(folder)
        parts = [folder / f"part-{i}.csv" for i in range(PARTS)]
        for seed, part in enumerate(parts):
            write_csv(part, rows // PARTS, FEATURES, seed=seed)
        size = sum(part.stat().st_size for part in parts) / 2**20
        print(f"{rows:,} rows x {FEATURES} features in {PARTS} files ({size:.0f} MiB)")
        results = {n: run_cluster(folder, parts, rows, n) for n in (1, 2)}
    one = results[1][0]
    print("| workers | worker | rows read | rows/s (epoch 2) | × one worker "
          "| peak RSS | growth in fit | × one worker |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for workers, runs in results.items():
        for run in runs:
            print(
                f"| {workers} | {run['index']} | {run['share_rows']:,} "
                f"| {run['rows_per_second']:,.0f} "
                f"| {run['rows_per_second'] / one['rows_per_second']:.2f} "
                f"| {run['peak_rss_mib']:,.0f} MiB | {run['fit_growth_mib']:,.0f} MiB "
                f"| {run['fit_growth_mib'] / one['fit_growth_mib']:.2f} |"
            )
    cluster = sum(run["share_rows"] for run in results[2])
    seconds = max(run["epoch_seconds"] for run in results[2])
    print(
        f"cluster of 2: {cluster / seconds:,.0f} rows/s in all; one worker: "
        f"{one['rows_per_second']:,.0f} rows/s; final loss "
        f"{results[2][0]['loss']:.4f} (2 workers) / {one['loss']:.4f} (1)"
    )


if __name__ == "__main__":
    main()
