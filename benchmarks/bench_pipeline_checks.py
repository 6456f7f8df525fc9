"""What the in-pipeline input checks cost (issue 11).

Data arriving through ``tf.data`` is checked batch by batch inside the
pipeline: ``stream_csv`` checks finite cells and labels and names the file
line; the Trainer's ``DatasetSource`` checks finite features and class
indices. This measures one full pass over the same batches

- ``stream_csv`` (checked) against the same TextLineDataset → batch →
  ``decode_csv`` pipeline without the checks (baseline);
- ``checked_batches`` (the Trainer's map) against a plain cast (baseline);

and reports rows/second and the ratio to the baseline of the same run.

Usage:
    python benchmarks/bench_pipeline_checks.py           # 400,000 rows
    python benchmarks/bench_pipeline_checks.py --quick   # 50,000 rows
"""

import argparse
import os
import tempfile
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def write_csv(path, rows, features):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, features)).astype(np.float32)
    labels = (x[:, 0] > 0).astype(int)
    with open(path, "w") as file:
        file.write(",".join([f"x{i}" for i in range(features)] + ["y"]) + "\n")
        for row, label in zip(x, labels, strict=True):
            file.write(",".join(f"{v:.5f}" for v in row) + f",{label}\n")
    return x, labels


def one_pass(dataset):
    start = time.perf_counter()
    for _ in dataset:
        pass
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rows, features, batch = (50_000 if args.quick else 400_000), 8, 256

    import tensorflow as tf

    import nda_models as nda
    from nda_models.training.loop.dataset_checks import checked_batches

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "data.csv")
        x, labels = write_csv(path, rows, features)
        defaults = [tf.constant([], tf.float32)] * (features + 1)

        def plain_stream():
            def decode(lines):
                fields = tf.io.decode_csv(lines, defaults)
                return tf.stack(fields[:-1], axis=1), tf.cast(fields[-1], tf.int32)

            lines = tf.data.TextLineDataset(path).skip(1).batch(batch)
            stream = lines.map(decode, num_parallel_calls=tf.data.AUTOTUNE)
            return stream.prefetch(tf.data.AUTOTUNE)

        def checked_stream():
            return nda.stream_csv(path, target="y", batch_size=batch, shuffle=False)

        arrays = tf.data.Dataset.from_tensor_slices((x, labels)).batch(batch).cache()
        one_pass(arrays)  # fill the cache before timing

        def plain_map():
            return arrays.map(lambda a, b: (tf.cast(a, tf.float32), b))

        def checked_map():
            return arrays.enumerate().map(checked_batches("binary", 2))

        makers = {
            "stream_csv, checked": checked_stream,
            "same CSV pipeline, unchecked (baseline)": plain_stream,
            "Trainer's batch checks": checked_map,
            "plain cast map (baseline)": plain_map,
        }
        # Interleaved repeats, best of each: the machine's load drifts.
        results = dict.fromkeys(makers, float("inf"))
        for _ in range(args.repeats):
            for name, make in makers.items():
                results[name] = min(results[name], one_pass(make()))
    names = list(results)
    print(f"{rows:,} rows x {features} features, batch {batch}, best of "
          f"{args.repeats}")  # fmt: skip
    for name, baseline in ((names[0], names[1]), (names[2], names[3])):
        for shown in (name, baseline):
            seconds = results[shown]
            ratio = results[baseline] / seconds
            print(f"  {shown:<42} {rows / seconds:>12,.0f} rows/s  "
                  f"x{ratio:.2f} of baseline speed")  # fmt: skip


if __name__ == "__main__":
    main()
