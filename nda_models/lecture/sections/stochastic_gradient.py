"""The stochastic gradient: unbiased, with a variance that falls like 1/M.

Lecture 12, slides "Incremental gradient methods", "SGD characteristics"
("the stochastic gradients are unbiased estimates of the true gradient") and
"Mini-batching" ("the variance controls the convergence rate"). On the
training split of ``linear_synthetic`` and at θ = 0 (where the package's own
example starts), many mini-batch gradients g_M = (1/M) Σ ∇J_i are drawn and

- their mean is compared with the full gradient ∇J (unbiasedness, in
  standard errors);
- their total variance E‖g_M − ∇J‖² with σ²/M (uniform sampling, with
  replacement) and σ²/M·(n − M)/(n − 1) (permutation sampling, without
  replacement: the finite-population factor).

Loss convention, as in every script: J_i = (y_i − ŷ_i)² and J = (1/n) Σ J_i
(the training loop's batch mean, Keras's MSE), so ∇J_i = −2(y_i − ŷ_i)(1, x_i).
The slide "Least Squares" writes J_RSS = ½ Σ (y_i − ŷ_i)²: its per-example
gradients are half of these (printed beside the full gradient), and its
variances a quarter. NumPy only: no TensorFlow.

Figures: ``gradient_clouds.png`` (draws of (∂J/∂b, ∂J/∂w1) around ∇J for
several M) and ``variance_vs_batch_size.png`` (log-log, measured vs theory).
"""

import numpy as np

from nda_models.data import load_dataset
from nda_models.lecture.scale import check_scale
from nda_models.lecture.script_io import pyplot
from nda_models.lecture.stochastic_gradient import (
    minibatch_gradients,
    minibatch_variance,
    per_example_gradients,
)
from nda_models.zoo.losses import loss_definition

CLOUD_SIZES = (1, 8, 64)
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
DRAWS = {"full": 5000, "quick": 1000}
NAMES = ("dJ/db", "dJ/dw1", "dJ/dw2")

__all__ = [
    "cloud_figure",
    "gradients_at_zero",
    "unbiasedness",
    "variance_figure",
    "variance_table",
]


def gradients_at_zero():
    """∇J_i at θ = 0 for every training example of ``linear_synthetic``.

    Prints the convention, n, the full gradient ∇J (their mean) and the same
    in the slide "Least Squares" ½ convention.

    Returns:
        Array (n, 3): rows (∂J_i/∂b, ∂J_i/∂w1, ∂J_i/∂w2).
    """
    ds = load_dataset("linear_synthetic", seed=0)
    grads = per_example_gradients(ds.x_train, ds.y_train, 0.0, np.zeros(2))
    print(f"Loss convention: {loss_definition('mean_squared_error')}")
    print(f"n = {len(grads)} training examples, theta = 0")
    print(f"full gradient at theta = 0 (MSE): {_components(grads.mean(axis=0))}")
    half = per_example_gradients(
        ds.x_train, ds.y_train, 0.0, np.zeros(2), loss="half_squared_error"
    ).mean(axis=0)
    print(f"  slide 'Least Squares' ½ convention (half of it): {_components(half)}")
    return grads


def _components(gradient):
    return "  ".join(f"{k}={v:+.4f}" for k, v in zip(NAMES, gradient, strict=True))


def unbiasedness(grads, *, scale="full"):
    """Prints the mean ± standard error of many draws of g_M against ∇J.

    Returns:
        Dict M -> the uniform draws (draws, 3), for ``cloud_figure``.
    """
    draws, full = DRAWS[check_scale(scale)], grads.mean(axis=0)
    print(f"\nUnbiasedness: mean of {draws} stochastic gradients vs the full gradient")
    print(
        f"{'sampling':<12}{'M':>5}  " + "".join(f"{k:>20}" for k in NAMES) + "  max|z|"
    )
    clouds = {}
    for sampling in ("uniform", "permutation"):
        for m in CLOUD_SIZES:
            g = minibatch_gradients(grads, m, draws, sampling=sampling, seed=m)
            mean, se = g.mean(axis=0), g.std(axis=0, ddof=1) / np.sqrt(draws)
            z = (mean - full) / se
            cells = "".join(
                f"{a:>+11.4f} ± {s:<6.4f}" for a, s in zip(mean, se, strict=True)
            )
            print(f"{sampling:<12}{m:>5}  {cells}  {np.abs(z).max():.2f}")
            if sampling == "uniform":
                clouds[m] = g
    return clouds


def variance_table(grads, *, scale="full"):
    """Prints the measured total variance of g_M beside σ²/M and σ²/M·(n−M)/(n−1).

    Returns:
        Dict sampling -> measured variance for each M of ``BATCH_SIZES``
        below n.
    """
    draws, full = DRAWS[check_scale(scale)], grads.mean(axis=0)
    print(f"\nTotal variance E||g_M - grad J||^2 ({draws} draws): measured vs theory")
    header = ("uniform", "sigma2/M", "permutation", "x(n-M)/(n-1)")
    print(f"{'M':>5} " + " ".join(f"{h:>12}" for h in header))
    measured = {"uniform": [], "permutation": []}
    for m in _sizes(grads):
        row = []
        for sampling in ("uniform", "permutation"):
            g = minibatch_gradients(grads, m, draws, sampling=sampling, seed=100 + m)
            value = float(((g - full) ** 2).sum(axis=1).mean())
            measured[sampling].append(value)
            row += [value, minibatch_variance(grads, m, sampling=sampling)]
        print(f"{m:>5} " + " ".join(f"{v:>12.4f}" for v in row))
    return measured


def _sizes(grads):
    return [m for m in BATCH_SIZES if m < len(grads)]


def cloud_figure(clouds, grads):
    """Draws of (∂J/∂b, ∂J/∂w1) around ∇J, one panel per M. Returns the
    ``matplotlib`` Figure (open)."""
    full = grads.mean(axis=0)
    fig, axes = pyplot().subplots(
        1, len(clouds), figsize=(12, 4), sharex=True, sharey=True, layout="constrained"
    )
    for ax, (m, g) in zip(axes, clouds.items(), strict=True):
        ax.scatter(g[:, 0], g[:, 1], s=4, alpha=0.3, label="draws of g_M")
        ax.scatter(
            *g[:, :2].mean(axis=0), marker="x", s=120, c="k", label="mean of draws"
        )
        ax.scatter(*full[:2], marker="+", s=200, c="r", label="full gradient ∇J")
        ax.set_title(f"M = {m} (uniform sampling)")
        ax.set_xlabel("∂J/∂b")
    axes[0].set_ylabel("∂J/∂w1")
    # Below the panels, so no draw is hidden.
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center",
               ncol=3)  # fmt: skip
    fig.suptitle("Stochastic gradients are unbiased: the cloud is centred on ∇J")
    return fig


def variance_figure(grads, measured):
    """Measured variance against M beside the two laws (log-log). Returns
    the ``matplotlib`` Figure (open)."""
    n, sizes = len(grads), _sizes(grads)
    fine = np.arange(1, max(sizes) + 1)
    fig, ax = pyplot().subplots(figsize=(6.5, 4.5))
    for sampling, style in (("uniform", "oC0"), ("permutation", "sC3")):
        theory = [minibatch_variance(grads, m, sampling=sampling) for m in fine]
        label = "σ²/M" if sampling == "uniform" else "σ²/M · (n−M)/(n−1)"
        ax.loglog(fine, theory, "--" + style[1:], label=f"theory {sampling}: {label}")
        ax.loglog(sizes, measured[sampling], style, label=f"measured {sampling}")
    ax.set_xlabel("mini-batch size M (examples, log scale)")
    ax.set_ylabel("variance E‖g_M − ∇J‖² (log scale)")
    ax.set_title(
        f"Mini-batch gradient variance falls as σ²/M (n = {n});\n"
        "without replacement it reaches 0 at M = n"
    )
    ax.legend(fontsize=8)
    return fig
