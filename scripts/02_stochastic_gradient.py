"""The stochastic gradient: unbiased, with a variance that falls like 1/M.

Lecture 12, slides "Incremental gradient methods", "SGD characteristics"
("the stochastic gradients are unbiased estimates of the true gradient") and
"Mini-batching" ("the variance controls the convergence rate"). On the
training split of ``linear_synthetic`` and at θ = 0 (where the package's own
example starts), the script draws many mini-batch gradients
g_M = (1/M) Σ ∇J_i and compares

- their mean with the full gradient ∇J (unbiasedness, in standard errors);
- their total variance E‖g_M − ∇J‖² with σ²/M (uniform sampling, with
  replacement) and σ²/M·(n − M)/(n − 1) (permutation sampling, without
  replacement: the finite-population factor).

Loss convention, as in every script: J_i = (y_i − ŷ_i)² and J = (1/n) Σ J_i
(the training loop's batch mean, Keras's MSE), so ∇J_i = −2(y_i − ŷ_i)(1, x_i).
The slide "Least Squares" writes J_RSS = ½ Σ (y_i − ŷ_i)²: its per-example
gradients are half of these (printed beside the full gradient), and its
variances a quarter.

Figures: ``gradient_clouds.png`` (draws of (∂J/∂b, ∂J/∂w1) around ∇J for
several M) and ``variance_vs_batch_size.png`` (log-log, measured vs theory).
"""

import numpy as np

from nda_models.data import load_dataset
from nda_models.lecture import (
    minibatch_gradients,
    minibatch_variance,
    output_folder,
    per_example_gradients,
    pyplot,
    save_figure,
    script_parser,
)
from nda_models.zoo.losses import loss_definition

CLOUD_SIZES = (1, 8, 64)
NAMES = ("dJ/db", "dJ/dw1", "dJ/dw2")


def main(argv=None):
    args = script_parser(__file__, __doc__, uses_tensorflow=False).parse_args(argv)
    folder = output_folder(args.out)
    draws = 1000 if args.quick else 5000
    ds = load_dataset("linear_synthetic", seed=0)
    grads = per_example_gradients(ds.x_train, ds.y_train, 0.0, np.zeros(2))
    full = grads.mean(axis=0)
    n = len(grads)
    print(f"Loss convention: {loss_definition('mean_squared_error')}")
    print(f"n = {n} training examples, theta = 0, {draws} draws per batch size")
    print(f"full gradient at theta = 0 (MSE): {_components(full)}")
    half = per_example_gradients(
        ds.x_train, ds.y_train, 0.0, np.zeros(2), loss="half_squared_error"
    ).mean(axis=0)
    print(f"  slide 'Least Squares' ½ convention (half of it): {_components(half)}")
    clouds = _unbiasedness(grads, full, draws)
    sizes = [m for m in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512) if m < n]
    measured = _variance_table(grads, full, sizes, draws)
    plt = pyplot()
    save_figure(_cloud_figure(plt, clouds, full), folder, "gradient_clouds.png")
    save_figure(
        _variance_figure(plt, grads, sizes, measured),
        folder,
        "variance_vs_batch_size.png",
    )
    return 0


def _components(gradient):
    return "  ".join(f"{k}={v:+.4f}" for k, v in zip(NAMES, gradient, strict=True))


def _unbiasedness(grads, full, draws):
    print("\nUnbiasedness: mean of the stochastic gradients vs the full gradient")
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


def _variance_table(grads, full, sizes, draws):
    print("\nTotal variance E||g_M - grad J||^2: measured vs theory")
    header = ("uniform", "sigma2/M", "permutation", "x(n-M)/(n-1)")
    print(f"{'M':>5} " + " ".join(f"{h:>12}" for h in header))
    measured = {"uniform": [], "permutation": []}
    for m in sizes:
        row = []
        for sampling in ("uniform", "permutation"):
            g = minibatch_gradients(grads, m, draws, sampling=sampling, seed=100 + m)
            value = float(((g - full) ** 2).sum(axis=1).mean())
            measured[sampling].append(value)
            row += [value, minibatch_variance(grads, m, sampling=sampling)]
        print(f"{m:>5} " + " ".join(f"{v:>12.4f}" for v in row))
    return measured


def _cloud_figure(plt, clouds, full):
    fig, axes = plt.subplots(
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


def _variance_figure(plt, grads, sizes, measured):
    n = len(grads)
    fine = np.arange(1, max(sizes) + 1)
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
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


if __name__ == "__main__":
    raise SystemExit(main())
