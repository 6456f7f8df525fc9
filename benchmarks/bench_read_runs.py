"""Reading TensorBoard runs: ``nda.read_runs`` against TensorBoard's accumulator.

``read_runs`` reads event files with TensorBoard's pure-Python record reader
(it checks every record's CRC32C in Python) so that it never imports
TensorFlow; TensorBoard's ``EventAccumulator`` reads them with TensorFlow's
C++ reader, once TensorFlow is imported. This measures, in the same run, on
the same files (a ``Trainer`` run of ``mlp_classifier`` on ``digits`` logging
every step: scalars, gradient norms and histograms):

- ``read_runs`` in a fresh process (imports included: what a user waits for),
- ``EventAccumulator`` in a fresh process (``import tensorflow`` included),
- both again in one warm process (reading only), as the ratio ours/theirs.

Usage:
    python benchmarks/bench_read_runs.py [--quick]
"""

import argparse
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OURS = "import nda_models as nda; nda.read_runs({logdir!r})"
THEIRS = (
    "import tensorflow as tf\n"
    "from tensorboard.backend.event_processing.event_accumulator import "
    "EventAccumulator\n"
    "a = EventAccumulator({run!r}, size_guidance={{'tensors': 0, 'histograms': 0}})\n"
    "a.Reload()"
)


def write_run(logdir, epochs):
    import nda_models as nda

    ds = nda.load_dataset("digits", seed=0)
    model = nda.build_model("mlp_classifier", input_dim=ds.input_dim, num_classes=10)
    trainer = nda.Trainer(model, optimizer="adam", learning_rate=1e-3, seed=0,
                          log_dir=logdir / "mlp", log_every=1)  # fmt: skip
    trainer.fit(ds.x_train, ds.y_train, epochs=epochs)


def fresh_process(code):
    """Wall time of ``python -c code`` (best of 3)."""
    times = []
    for _ in range(3):
        tic = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        times.append(time.perf_counter() - tic)
    return min(times)


def warm(function, repeats=3):
    times = []
    for _ in range(repeats):
        tic = time.perf_counter()
        function()
        times.append(time.perf_counter() - tic)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        logdir = pathlib.Path(folder)
        write_run(logdir, epochs=2 if args.quick else 10)
        run = logdir / "mlp" / "train"
        size = sum(p.stat().st_size for p in run.iterdir()) / 1e6
        ours_fresh = fresh_process(OURS.format(logdir=str(logdir)))
        theirs_fresh = fresh_process(THEIRS.format(run=str(run)))

        from tensorboard.backend.event_processing.event_accumulator import (
            EventAccumulator,
        )

        import nda_models as nda

        def theirs():
            EventAccumulator(str(run), size_guidance={"tensors": 0, "histograms": 0}
                             ).Reload()  # fmt: skip

        ours_warm = warm(lambda: nda.read_runs(logdir))
        theirs_warm = warm(theirs)
        rows = len(nda.read_runs(logdir)[0])
    print(f"event files: {size:.1f} MB, {rows} scalar rows")
    print(
        f"fresh process: read_runs {ours_fresh:.2f} s, EventAccumulator with "
        f"TensorFlow {theirs_fresh:.2f} s (ratio {ours_fresh / theirs_fresh:.2f})"
    )
    print(f"warm, reading only: read_runs {ours_warm:.2f} s ({size / ours_warm:.1f} "
          f"MB/s), EventAccumulator {theirs_warm:.2f} s "
          f"(ratio {ours_warm / theirs_warm:.1f})")  # fmt: skip


if __name__ == "__main__":
    main()
