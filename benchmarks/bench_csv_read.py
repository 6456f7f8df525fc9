"""What reading a whole CSV file costs: the one reader of ``load_dataset``,
``nda predict`` and ``nda evaluate`` (``data.csv_columns``).

On a 100,000-row file of 16 float features and a text label, each measured
as the median process CPU time over interleaved rounds:

- ``pandas.read_csv(path)``: pandas' own reading, no checks (the baseline);
- ``read_columns``: the reader as it runs on a good file (pandas' number
  parser, then the checks that it may be trusted);
- the text-cell path: every cell read as text, then parsed column by column
  (what the reader does when in doubt, and where a bad cell is reported);
- ``load_dataset("csv:...")`` (the reader, the label encoding and the split).

Usage:
    python benchmarks/bench_csv_read.py [--quick]
"""

import argparse
import os
import statistics
import tempfile
import time

import numpy as np
import pandas as pd

import nda_models as nda
from nda_models.data.csv_columns import read_columns, read_header, read_text_columns

FEATURES = 16


def write_csv(path, rows):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        rng.normal(size=(rows, FEATURES)) * 3 + 1,
        columns=[f"f{i}" for i in range(FEATURES)],
    )
    frame["label"] = rng.choice(["a", "b", "c"], size=rows)
    frame.to_csv(path, index=False)


def contenders(path):
    header = read_header(path)
    numeric = list(range(FEATURES))
    return {
        "pandas.read_csv (baseline)": lambda: pd.read_csv(path),
        "read_columns": lambda: read_columns(path, header, numeric),
        "text cells, parsed per column": lambda: read_text_columns(
            path, header, numeric
        ),
        'load_dataset("csv:...")': lambda: nda.load_dataset(
            f"csv:{path}", target="label"
        ),
    }


def cpu_medians(fns, rounds):
    times = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.process_time()
            fn()
            times[name].append(time.process_time() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 rows, 3 rounds")
    args = parser.parse_args()
    rows, rounds = (20_000, 3) if args.quick else (100_000, 5)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "rows.csv")
        write_csv(path, rows)
        fns = contenders(path)
        first = read_columns(path, read_header(path), range(FEATURES))
        second = fns["text cells, parsed per column"]()
        if not first.equals(second):
            raise SystemExit("the reader's two paths disagree")
        medians = cpu_medians(fns, rounds)
    baseline = medians["pandas.read_csv (baseline)"]
    print(f"{rows:,} rows x {FEATURES} features + a text label, CPU s (median)")
    for name, seconds in medians.items():
        print(f"  {name:<32} {seconds:7.3f} s   {seconds / baseline:5.2f}x baseline")


if __name__ == "__main__":
    main()
