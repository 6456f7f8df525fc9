"""SGD is n times cheaper per step, measured: time per step against n.

Lecture 12, slide "SGD characteristics": a stochastic gradient step is
"n-times faster to compute than the full ∇J(Θ_t)". On generated regression
data (y = Σ_k k·x_k + ε, d = 20 features, n from 100 up to 10⁶) the section
times, for M = 1 (SGD) and M = n (gradient descent),

- one ``Trainer`` step (sampling, forward, loss, backprop, update; M = n
  also pays the per-epoch bookkeeping, since its epoch is one step), and
- one evaluation of the loss and its gradient alone on M rows (the
  quantity the slide compares).

Per-step cost of SGD stays flat in n; that of gradient descent grows like n
once the arithmetic outweighs the fixed cost of a step, so the ratio
approaches n only for large n. Timings are of this machine at this moment
(shared, noisy): read the trend, not the digits.

Figure: ``cost_per_step.png`` (seconds per step against n, log-log, with a
line ∝ n for reference).
"""

import numpy as np

import nda_models as nda
from nda_models.lecture.scale import check_scale
from nda_models.lecture.script_io import pyplot

FEATURES = 20
#: scale -> (sizes n, SGD steps per timing, GD steps per timing)
SIZES = {
    "full": ((100, 1000, 10_000, 100_000, 10**6), 2000, 20),
    "quick": ((100, 1000, 10_000), 200, 5),
}

__all__ = ["cost_figure", "time_steps"]


def time_steps(*, scale="full"):
    """Times steps and gradients for M = 1 and M = n at each n; prints a row
    per n (best of 3 timings, seconds).

    Returns:
        ``(sizes, rows)``: the n and, per n, seconds of (step M = 1, step
        M = n, gradient M = 1, gradient M = n).
    """
    sizes, sgd_steps, gd_steps = SIZES[check_scale(scale)]
    print(f"d = {FEATURES} features; best of 3 timings; seconds per step or gradient")
    print(f"{'n':>9}{'step M=1':>12}{'step M=n':>12}{'ratio':>9}"
          f"{'grad M=1':>12}{'grad M=n':>12}{'ratio':>9}")  # fmt: skip
    rng = np.random.default_rng(0)
    rows = []
    for n in sizes:
        x = rng.normal(size=(n, FEATURES)).astype(np.float32)
        y = (x @ np.arange(FEATURES) + rng.normal(size=n)).astype(np.float32)
        rows.append(_measure(x, y, sgd_steps, gd_steps))
        s1, sn, g1, gn = rows[-1]
        print(f"{n:>9}{s1:>12.2e}{sn:>12.2e}{sn / s1:>9.1f}"
              f"{g1:>12.2e}{gn:>12.2e}{gn / g1:>9.1f}")  # fmt: skip
    return sizes, rows


def _measure(x, y, sgd_steps, gd_steps):
    """One Trainer for both M (``reset`` changes M without a new trace)."""
    # TensorFlow: step_cost uses a Keras callback; the script's --help and
    # argument checks stay light (the section imports no TensorFlow).
    from nda_models.lecture.step_cost import seconds_per_gradient, seconds_per_step

    model = nda.build_model("linear_regressor", input_dim=x.shape[1])
    start = [v.numpy() for v in model.variables]
    trainer = nda.Trainer(model, learning_rate=1e-3, batch_size=1,
                          sampling="uniform", seed=0)  # fmt: skip
    times = [seconds_per_step(trainer, x, y, steps=sgd_steps)]
    trainer.reset(start, batch_size=len(x))
    times.append(seconds_per_step(trainer, x, y, steps=gd_steps))
    for batch_size in (1, len(x)):
        times.append(seconds_per_gradient(trainer, x, y, batch_size=batch_size))
    return times


def cost_figure(sizes, rows):
    """Seconds per step against n (log-log), with a line ∝ n. Returns the
    ``matplotlib`` Figure (open)."""
    fig, ax = pyplot().subplots(figsize=(7.5, 5), layout="constrained")
    sizes, rows = np.asarray(sizes, dtype=float), np.asarray(rows)
    lines = (
        ("Trainer step, M = 1 (SGD)", "o", "-", "C0"),
        ("Trainer step, M = n (GD)", "s", "-", "C3"),
        ("loss + gradient only, M = 1", "o", "--", "C0"),
        ("loss + gradient only, M = n", "s", "--", "C3"),
    )
    for k, (label, marker, linestyle, color) in enumerate(lines):
        ax.loglog(sizes, rows[:, k], marker=marker, ls=linestyle, color=color,
                  mfc="none" if k >= 2 else color, label=label)  # fmt: skip
    reference = rows[-1, 1] * sizes / sizes[-1]
    ax.loglog(sizes, reference, "k:", label="∝ n (through the last GD step)")
    ax.set_xlabel("number of training examples n")
    ax.set_ylabel("seconds per step (log scale)")
    ax.set_title("Cost of one step: SGD (M = 1) vs gradient descent (M = n)")
    ax.legend(fontsize=8)
    return fig
