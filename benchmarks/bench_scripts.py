"""Lecture scripts: ``--quick`` against the default, whole run and own work.

Each script in ``scripts/`` runs in a fresh process, once with its defaults
and once with ``--quick``, alternately, ``--rounds`` times each (the median
is kept). Two clocks per run:

- *wall*: the whole command as a user types it (``python scripts/X.py``),
  TensorFlow's import and the graphs' tracing included;
- *own*: the script's work after TensorFlow, Keras and matplotlib are
  imported (the fixed cost both modes pay), so the ratio is the script's.

    python benchmarks/bench_scripts.py            # every script
    python benchmarks/bench_scripts.py 06_mlp     # the scripts whose name matches
    python benchmarks/bench_scripts.py --quick    # --quick runs only, one round
"""

import argparse
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]

# Runs one script after the heavy imports; prints the seconds of its own work.
TIMED_RUN = """
import runpy, sys, time
import tensorflow, keras, matplotlib.pyplot  # the fixed cost, not timed
script, *argv = sys.argv[1:]
sys.argv = [script, *argv]
start = time.perf_counter()
try:
    runpy.run_path(script, run_name="__main__")
except SystemExit as done:  # scripts end with raise SystemExit(main())
    if done.code not in (0, None):
        raise
print(f"SECONDS {time.perf_counter() - start:.3f}")
"""


def own_seconds(script, *argv):
    """Runs ``script`` after the heavy imports; returns its own seconds."""
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(
            [sys.executable, "-c", TIMED_RUN, str(script), "--out", out, *argv],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )  # fmt: skip
    line = [line for line in done.stdout.splitlines() if line.startswith("SECONDS ")]
    return float(line[-1].split()[1])


def wall_seconds(script, *argv):
    """Runs ``python script`` as a user does; returns the whole wall time."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, str(script), "--out", out, *argv],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )  # fmt: skip
        return time.perf_counter() - start


def measure(script, argv, rounds):
    """Median (wall, own) seconds of ``rounds`` runs of ``script argv``."""
    walls, owns = [], []
    for _ in range(rounds):
        walls.append(wall_seconds(script, *argv))
        owns.append(own_seconds(script, *argv))
    return statistics.median(walls), statistics.median(owns)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pattern", nargs="?", default="", help="part of a script name")
    parser.add_argument("--quick", action="store_true", help="--quick runs only")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each mode")
    args = parser.parse_args()
    scripts = sorted(
        p for p in (ROOT / "scripts").glob("*.py") if args.pattern in p.name
    )
    if args.quick:
        print("| script | --quick wall (s) | --quick own (s) |")
        print("|---|---|---|")
    else:
        print("| script | default wall (s) | --quick wall (s) | default own (s) "
              "| --quick own (s) | quick / default (own) |")  # fmt: skip
        print("|---|---|---|---|---|---|")
    for script in scripts:
        quick_wall, quick_own = measure(script, ["--quick"], args.rounds)
        if args.quick:
            print(f"| `{script.name}` | {quick_wall:.1f} | {quick_own:.1f} |",
                  flush=True)  # fmt: skip
            continue
        full_wall, full_own = measure(script, [], args.rounds)
        print(f"| `{script.name}` | {full_wall:.1f} | {quick_wall:.1f} | "
              f"{full_own:.1f} | {quick_own:.1f} | {quick_own / full_own:.2f} |",
              flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
