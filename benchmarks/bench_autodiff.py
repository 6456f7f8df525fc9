"""Cost of automatic differentiation: forward mode (d passes) vs reverse (1 pass).

Lecture 12: forward mode repeats its pass for every θ_i, "inefficient for large
dimensions d"; backpropagation gets every ∂g/∂θ_i from one forward and one
backward pass. This measures it for g: R^d → R,

    g(θ) = log(1 + Σ_i tanh(θ_i)²),

with our pure-Python engine (``nda_models.autodiff``: ``forward_mode`` vs
``reverse_mode``) and with TensorFlow (``tf.autodiff.ForwardAccumulator``, one
``tf.function`` call per basis tangent e_i, vs ``tf.GradientTape``).

"eval" is one evaluation of g (for our engine: the traced forward pass that
stores values and local derivatives, ~5·d graph nodes). Forward mode = eval +
d tangent passes; reverse mode = eval + 1 backward pass. With scalar nodes,
merely evaluating g costs O(d), so our reverse mode grows like g itself (~1.1
evaluations at every d) while our forward mode grows like d evaluations;
TensorFlow's vectorised g costs about the same for every d here, so its tape
is flat in absolute time too. The plot shows both wall time and time in units
of one evaluation of g. Our forward mode for
d above ``--full-up-to`` times a sample of passes and extrapolates linearly
(marked ``*`` in the table); ``--full`` times every pass (several minutes).

Usage:
    python benchmarks/bench_autodiff.py [--quick] [--full]

Writes benchmarks/results/autodiff_cost.png (log-log).
"""

import argparse
import os
import pathlib
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from nda_models.autodiff import forward_mode, reverse_mode, trace  # noqa: E402

RESULTS = pathlib.Path(__file__).resolve().parent / "results"


def ours_g(theta):
    """g on our engine's nodes: log(1 + Σ tanh(θ_i)²)."""
    return sum((t.tanh() ** 2 for t in theta), 1.0).log()


def best_time(function, *, min_total=0.2, max_repeats=20):
    """Shortest wall time of ``function()`` over repeats (at least 3)."""
    times, start = [], time.perf_counter()
    while len(times) < 3 or (
        time.perf_counter() - start < min_total and len(times) < max_repeats
    ):
        tic = time.perf_counter()
        function()
        times.append(time.perf_counter() - tic)
    return min(times)


def measure_ours(theta, sample):
    """Times our engine; forward mode over ``sample`` passes, scaled to d."""
    d = len(theta)
    evaluation = best_time(lambda: trace(ours_g, theta))
    graph = trace(ours_g, theta)
    backward = best_time(lambda: reverse_mode(graph, record_messages=False))
    passes = d if sample is None else min(d, sample)
    wrt = np.linspace(0, d - 1, passes).astype(int).tolist()
    tic = time.perf_counter()
    forward = forward_mode(graph, wrt=wrt, record_messages=False)
    per_pass = (time.perf_counter() - tic) / passes
    gradient = reverse_mode(graph, record_messages=False).gradient
    check = max(abs(forward.gradient[i] - gradient[i]) for i in wrt)
    return {
        "eval": evaluation,
        "reverse": evaluation + backward,
        "forward": evaluation + per_pass * d,
        "extrapolated": passes < d,
        "passes": passes,
        "nodes": len(graph.nodes),
        "gradient": np.array(gradient),
        "fwd_vs_rev": check,
    }


def make_tf_functions():
    """Compiled g, one forward-mode pass (JVP with e_i) and one reverse pass."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    def g(t):
        return tf.math.log(1.0 + tf.reduce_sum(tf.tanh(t) ** 2))

    @tf.function
    def jvp(t, i):
        tangent = tf.one_hot(i, tf.size(t), dtype=t.dtype)  # basis vector e_i
        with tf.autodiff.ForwardAccumulator(t, tangent) as accumulator:
            y = g(t)
        return accumulator.jvp(y)

    @tf.function
    def vjp(t):
        with tf.GradientTape() as tape:
            tape.watch(t)
            y = g(t)
        return tape.gradient(y, t)

    return tf, tf.function(g), jvp, vjp


def measure_tf(theta, functions):
    """Times TensorFlow: d ForwardAccumulator passes vs one GradientTape."""
    tf, g, jvp, vjp = functions
    t = tf.constant(theta, dtype=tf.float64)
    d = len(theta)
    index = [tf.constant(i, dtype=tf.int32) for i in range(d)]  # no retracing
    g(t), jvp(t, index[0]), vjp(t)  # trace the tf.functions before timing
    evaluation = best_time(lambda: g(t))
    reverse = best_time(lambda: vjp(t).numpy())

    def all_passes():
        return [jvp(t, i) for i in index][-1].numpy()

    forward = best_time(all_passes, min_total=0.0, max_repeats=1)
    return {
        "eval": evaluation,
        "reverse": reverse,
        "forward": forward,
        "gradient": vjp(t).numpy(),
    }


def ms(seconds):
    return f"{seconds * 1e3:.3g}"


def print_table(rows):
    header = (
        f"{'d':>6} {'nodes':>6} | {'ours eval':>9} {'ours rev':>9} "
        f"{'ours fwd':>10} {'fwd/rev':>8} {'rev/eval':>8} | {'TF eval':>8} "
        f"{'TF rev':>8} {'TF fwd':>9} {'fwd/rev':>8} | {'max|Δ∇|':>8}"
    )
    print("times in ms; ours fwd marked * = extrapolated from a sample of passes")
    print(header)
    print("-" * len(header))
    for r in rows:
        o, t = r["ours"], r["tf"]
        star = "*" if o["extrapolated"] else " "
        print(
            f"{r['d']:>6} {o['nodes']:>6} | {ms(o['eval']):>9} {ms(o['reverse']):>9} "
            f"{ms(o['forward']) + star:>10} {o['forward'] / o['reverse']:>8.3g} "
            f"{o['reverse'] / o['eval']:>8.3g} | {ms(t['eval']):>8} "
            f"{ms(t['reverse']):>8} {ms(t['forward']):>9} "
            f"{t['forward'] / t['reverse']:>8.3g} | {r['agreement']:>8.1e}"
        )
    samples = [r for r in rows if r["ours"]["extrapolated"]]
    for r in samples:
        print(
            f"* d={r['d']}: {r['ours']['passes']} of {r['d']} forward-mode passes "
            "timed, total extrapolated linearly (×d/passes)"
        )


def plot(rows, path):
    """Log-log plot: absolute time, and time in units of one evaluation of g."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = [r["d"] for r in rows]
    figure, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    series = [
        ("ours", "forward", "ours: forward mode (d passes)", "tab:red", "o"),
        ("ours", "reverse", "ours: reverse mode (1 pass)", "tab:blue", "o"),
        ("tf", "forward", "TF: ForwardAccumulator × d", "tab:orange", "s"),
        ("tf", "reverse", "TF: GradientTape", "tab:cyan", "s"),
    ]
    for engine, mode, label, color, marker in series:
        for ax, scale in ((axes[0], False), (axes[1], True)):
            y = [r[engine][mode] / (r[engine]["eval"] if scale else 1) for r in rows]
            ax.plot(d, y, color=color, marker=marker, label=label)
            hollow = [
                (x, v)
                for x, v, r in zip(d, y, rows, strict=True)
                if engine == "ours" and mode == "forward" and r["ours"]["extrapolated"]
            ]
            if hollow:
                ax.scatter(*zip(*hollow, strict=True), s=90, facecolors="white",
                           edgecolors=color, zorder=3,
                           label="extrapolated" if not scale else None)  # fmt: skip
    axes[0].set(title="gradient of g: R^d → R, wall time", ylabel="seconds")
    axes[1].set(
        title="cost in evaluations of g", ylabel="time / time of one g evaluation"
    )
    for ax in axes:
        ax.set(xscale="log", yscale="log", xlabel="d (number of inputs θ_i)")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].legend(fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="d up to 1,000, ~20 s")
    parser.add_argument(
        "--full", action="store_true", help="time every forward-mode pass (slow)"
    )
    parser.add_argument(
        "--full-up-to",
        type=int,
        default=3000,
        help="largest d whose forward-mode passes are all timed (default 3000)",
    )
    parser.add_argument("--sample", type=int, default=200, help="passes timed above")
    parser.add_argument(
        "--out", type=pathlib.Path, default=RESULTS / "autodiff_cost.png"
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    dims = [10, 100, 1000] if args.quick else [10, 30, 100, 300, 1000, 3000, 10000]
    full_up_to = 100 if args.quick else args.full_up_to
    sample = 50 if args.quick else args.sample
    functions = make_tf_functions()
    rng = np.random.default_rng(0)
    rows, start = [], time.perf_counter()
    for d in dims:
        theta = rng.uniform(-1.0, 1.0, size=d).tolist()
        ours = measure_ours(theta, None if args.full or d <= full_up_to else sample)
        tf_result = measure_tf(theta, functions)
        agreement = float(np.max(np.abs(ours["gradient"] - tf_result["gradient"])))
        agreement = max(agreement, ours["fwd_vs_rev"])
        rows.append({"d": d, "ours": ours, "tf": tf_result, "agreement": agreement})
        print(f"  d={d:>6} done ({time.perf_counter() - start:.1f} s)", flush=True)
    print(f"\ng(θ) = log(1 + Σ tanh(θ_i)²), {os.cpu_count()} CPU(s)")
    print_table(rows)
    print("rev/eval: reverse-mode cost in evaluations of g (flat = 'cheap gradient')")
    print("max|Δ∇|: largest gap between ours (forward and reverse) and TF's tape")
    plot(rows, args.out)
    print(f"\nwrote {args.out} (total {time.perf_counter() - start:.0f} s)")
    return rows


if __name__ == "__main__":
    main()
