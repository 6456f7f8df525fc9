"""Lecture scripts: ``--quick`` against the default, TensorFlow import excluded.

Each script in ``scripts/`` runs twice in a fresh process, once with its
defaults and once with ``--quick``; the clock starts after TensorFlow,
Keras and matplotlib are imported (the fixed cost both pay), so the ratio
is the script's own work. Target: ``--quick`` takes under a third of the
default's time.

    python benchmarks/bench_scripts.py            # every script
    python benchmarks/bench_scripts.py 06_mlp     # the scripts whose name matches
"""

import argparse
import pathlib
import subprocess
import sys
import tempfile

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


def seconds(script, *argv):
    """Runs ``script`` with ``argv`` in a fresh process; returns its own seconds."""
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(
            [sys.executable, "-c", TIMED_RUN, str(script), "--out", out, *argv],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )  # fmt: skip
    line = [line for line in done.stdout.splitlines() if line.startswith("SECONDS ")]
    return float(line[-1].split()[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pattern", nargs="?", default="", help="part of a script name")
    parser.add_argument("--quick", action="store_true", help="accepted, ignored")
    args = parser.parse_args()
    scripts = sorted(
        p for p in (ROOT / "scripts").glob("*.py") if args.pattern in p.name
    )
    print("| script | default (s) | --quick (s) | quick / default |")
    print("|---|---|---|---|")
    for script in scripts:
        full, quick = seconds(script), seconds(script, "--quick")
        print(f"| `{script.name}` | {full:.1f} | {quick:.1f} | {quick / full:.2f} |",
              flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
