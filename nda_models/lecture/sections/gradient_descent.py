"""Gradient descent, SGD and mini-batches; the slide's "Regression Example" table.

Lecture 12, slides "Least Squares" (the closed form), "Gradient descent"
(monotone decrease), "Incremental gradient methods", "Mini-batching",
"Mini-batch convergence example" and "Regression Example".

1. The package's own example (its data and numbers are not on the slides):
   y = 5 + 2x1 − 3x2 + ε (``linear_synthetic``). The linear regressor starts
   at θ = 0 and is trained with the package's ``Trainer`` by gradient
   descent (M = n), SGD (M = 1, permutation sampling) and mini-batch SGD
   (M = 32), printing an iteration table for each, while a
   ``ParameterTrajectory`` records (b, w1, w2); the closed-form least-squares
   solution is the target. Gradient descent's decrease of the loss at every
   step is checked (the run fails otherwise).
2. The slide's "Regression Example" table, reproduced to its three decimals:
   full-batch gradient descent on L(θ) = θ1² + (θ2 − √3/2)² + 0.25 from
   θ = (−3.388, 0) with η = (1 − 0.6^(1/20))/2 ≈ 0.01261, on whitened data
   whose mean squared error is exactly L (see
   ``nda_models.lecture.regression_example``), through the same ``Trainer``
   and ``IterationTable``.

Counting, as on the slide's table: iteration t is θ_t after t updates, from
t = 0; T iterations are T steps and T + 1 losses J(θ_0), ..., J(θ_T).

Loss convention, as in every script: J = (1/M) Σ (y − ŷ)², the batch mean
without ½ (Keras's MSE, the slide "Loss functions", and the convention of the
slide's table). The slide "Least Squares" ½ convention halves every gradient:
the same steps need twice the η.

Figures: ``trajectories.png`` (one panel per method: b, w1, w2 over the
iterations, converging to about (5, 2, −3)) and ``regression_example.png``
(the slide's run: loss per iteration, and θ_t on the contours of L).
"""

import numpy as np

import nda_models as nda
from nda_models import lecture
from nda_models.core.lazy_module import lazy_module
from nda_models.data import load_dataset
from nda_models.lecture.least_squares import least_squares
from nda_models.lecture.monotone_decrease import check_monotone_decrease
from nda_models.lecture.regression_example import (
    LEARNING_RATE,
    THETA_0,
    THETA_STAR,
    run_regression_example,
    slide_loss,
)
from nda_models.lecture.scale import check_scale
from nda_models.lecture.script_io import pyplot
from nda_models.zoo.losses import loss_definition

ticker = lazy_module("matplotlib.ticker")

GRADIENT_DESCENT = "gradient descent (M = n)"
#: method -> (batch size M (None: n), learning rate η, epochs by scale)
METHODS = {
    GRADIENT_DESCENT: (None, 0.1, {"full": 60, "quick": 30}),
    "SGD (M = 1)": (1, 0.01, {"full": 1, "quick": 1}),
    "mini-batch SGD (M = 32)": (32, 0.05, {"full": 10, "quick": 5}),
}
ROWS_PER_TABLE = 10

__all__ = [
    "closed_form",
    "gradient_at_zero",
    "linear_trainer",
    "load_data",
    "slide_figure",
    "slide_table",
    "train_methods",
    "trajectories_figure",
]


def load_data():
    """The package's example ``linear_synthetic`` (seed 0); prints the loss."""
    print(f"Loss convention: {loss_definition('mean_squared_error')}")
    return load_dataset("linear_synthetic", seed=0)


def closed_form(ds):
    """Prints the true (b, w1, w2) and the least-squares ones; returns the latter.

    Returns:
        NumPy array (b, w1, w2) of the closed form on the training split.
    """
    print("\n=== 1. The package's own example (not the slides' numbers) ===")
    bias, weights = least_squares(ds.x_train, ds.y_train)
    true = (ds.info["true_bias"], *ds.info["true_weights"])
    print(f"true parameters (b, w1, w2) = {true}")
    print(f"closed form: b={bias:.4f} w1={weights[0]:.4f} w2={weights[1]:.4f}")
    return np.array([bias, *weights])


def linear_trainer(ds):
    """A ``linear_regressor`` at θ = 0 and its ``Trainer``, traced once for
    every run of this section (``Trainer.reset`` starts each run afresh)."""
    model = nda.build_model("linear_regressor", input_dim=ds.input_dim)
    return nda.Trainer(model, seed=0)


def gradient_at_zero(trainer, ds):
    """Prints and returns ∇J at θ = 0 on the training split, as (b, w1, w2)."""
    trainer.reset([np.zeros_like(v.numpy()) for v in trainer.model.variables])
    _, (kernel, bias) = trainer.full_loss_and_gradients(ds.x_train, ds.y_train)
    gradient = np.array([bias[0], kernel[0, 0], kernel[1, 0]])
    cells = f"dJ/db={gradient[0]:+.4f}  dJ/dw1={gradient[1]:+.4f}  "
    print(f"full gradient at theta = 0 (MSE): {cells}dJ/dw2={gradient[2]:+.4f}")
    return gradient


def train_methods(trainer, ds, optimum, *, scale="full"):
    """Trains GD, SGD and mini-batch SGD from θ = 0, printing their tables.

    Returns:
        Dict method -> array (iterations + 1, 3) of (b, w1, w2) at
        t = 0, 1, ..., T.

    Raises:
        RuntimeError: if gradient descent's loss went up at some step.
    """
    scale = check_scale(scale)
    paths = {}
    for method, (batch_size, learning_rate, epochs) in METHODS.items():
        batch_size = batch_size or len(ds.x_train)
        path, losses = _train(trainer, ds, batch_size, learning_rate, epochs[scale])
        paths[method] = path
        b, w1, w2 = path[-1]
        distance = np.linalg.norm(path[-1] - optimum)
        print(
            f"{method}: {len(path) - 1} iterations, b={b:.4f} w1={w1:.4f} "
            f"w2={w2:.4f}, distance to closed form {distance:.4f}"
        )
        if method == GRADIENT_DESCENT:  # M = n: one step per epoch
            steps = check_monotone_decrease(losses, what=method)
            print(
                f"{method}: J(θ_t) decreased at every one of the {steps} steps "
                f"(J(θ_0) = {losses[0]:.4f} to J(θ_{steps}) = {losses[-1]:.4f})"
            )
    return paths


def _train(trainer, ds, batch_size, learning_rate, epochs):
    """One run from θ = 0: (b, w1, w2) after each step, and for M = n the
    loss J(θ_t) of every t = 0, ..., T (the last one evaluated after it)."""
    x, y = ds.x_train, ds.y_train
    zeros = [np.zeros_like(v.numpy()) for v in trainer.model.variables]
    trainer.reset(zeros, learning_rate=learning_rate, batch_size=batch_size)
    trajectory = lecture.ParameterTrajectory(layer="prediction")
    iterations = epochs * -(-len(x) // batch_size)
    table = nda.IterationTable(every=max(1, iterations // ROWS_PER_TABLE))
    print(f"\n--- batch_size={batch_size}, learning_rate={learning_rate}")
    print("(Gradient and Theta columns: w1, w2, b, the order of the model variables)")
    history = trainer.fit(x, y, epochs=epochs, callbacks=[trajectory, table])
    path = trajectory.path  # columns: kernel (w1, w2), then bias b
    losses = [*history.history["loss"], trainer.evaluate(x, y)["loss"]]
    return np.column_stack([path[:, 2], path[:, 0], path[:, 1]]), losses


def slide_table():
    """Prints the slide's table (t = 0, 20, ..., 200) from the ``Trainer``.

    Returns:
        ``(rows, losses)`` of ``run_regression_example``: the table's rows and
        J(θ_t) for t = 0, ..., 200.

    Raises:
        RuntimeError: if the loss went up at some step.
    """
    theta0 = ", ".join(f"{v:g}" for v in THETA_0)
    print("\n=== 2. The slide 'Regression Example', reproduced ===")
    print("full-batch gradient descent (M = n) on whitened data whose MSE is")
    print(
        f"L(θ) = θ1² + (θ2 − √3/2)² + 0.25; θ_0 = ({theta0}), "
        f"η = (1 − 0.6^(1/20))/2 = {LEARNING_RATE:.7f}"
    )
    print("(columns w1, w2 are the slide's θ1, θ2; the model has no intercept)")
    rows, losses = run_regression_example()
    steps = check_monotone_decrease(losses, what="the slide's gradient descent")
    print(
        f"the slide's run: {steps} iterations, J(θ_t) decreased at every one "
        f"of the {steps} steps"
    )
    return rows, losses


def trajectories_figure(paths, optimum):
    """b, w1, w2 against the iteration, one panel per method, the closed form
    dashed. Returns the ``matplotlib`` Figure (open)."""
    fig, axes = pyplot().subplots(
        1, len(paths), figsize=(15, 4), sharey=True, layout="constrained"
    )
    for ax, (method, path) in zip(axes, paths.items(), strict=True):
        for k, name in enumerate(("b", "w1", "w2")):
            ax.plot(path[:, k], color=f"C{k}", label=name)
            ax.axhline(optimum[k], color=f"C{k}", ls="--", lw=1)
        ax.set_title(method)
        ax.set_xlabel("iteration t (parameter updates)")
        ax.xaxis.set_major_locator(_integer_ticks())
    axes[0].set_ylabel("parameter value (unitless, synthetic data)")
    axes[0].plot([], [], "k--", lw=1, label="closed form (least squares)")
    # Below the panels, so no curve is hidden.
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center",
               ncol=4)  # fmt: skip
    fig.suptitle(
        "All three reach the closed-form (b, w1, w2) of y = 5 + 2x1 − 3x2 + ε "
        "from θ = 0; M = 1 stays noisy around it"
    )
    return fig


def _integer_ticks():
    return ticker.MaxNLocator(integer=True)


def slide_figure(rows, losses):
    """The slide's run: J(θ_t) − min J per step (log scale) and θ_t on the
    contours of L. Returns the ``matplotlib`` Figure (open)."""
    fig, (left, right) = pyplot().subplots(
        1, 2, figsize=(12, 4.5), layout="constrained"
    )
    left.semilogy(np.arange(len(losses)), np.asarray(losses) - 0.25,
                  label="J(θ_t) − 0.25, every iteration t")  # fmt: skip
    table_t = [row["iteration"] for row in rows]
    table_excess = [row["loss"] - 0.25 for row in rows]
    left.semilogy(table_t, table_excess, "o", label="rows of the slide's table")
    left.set_xlabel("iteration t")
    left.set_ylabel("J(θ_t) − min J (log scale)")
    left.set_title("Loss decreases at every step (checked)")
    left.legend()
    theta = np.array([row["theta"] for row in rows])
    g1, g2 = np.meshgrid(np.linspace(-3.8, 0.8, 200), np.linspace(-1.2, 2.4, 200))
    levels = (g1 - THETA_STAR[0]) ** 2 + (g2 - THETA_STAR[1]) ** 2 + 0.25
    contours = right.contour(
        g1, g2, levels, levels=[0.3, 1, 2, 4, 8, 12.5], colors="grey"
    )
    right.clabel(contours, fontsize=7)
    right.plot(
        theta[:, 0], theta[:, 1], "o-", color="C1", label="θ_t, t = 0, 20, …, 200"
    )
    right.plot(*THETA_STAR, "k*", ms=12, label="θ* = (0, √3/2)")
    right.set_xlabel("θ1 (w1)")
    right.set_ylabel("θ2 (w2)")
    right.set_aspect("equal")
    right.set_title(f"Contours of L(θ) = θ1² + (θ2 − √3/2)² + {slide_loss(THETA_STAR)}")
    right.legend(loc="upper left", fontsize=8)
    fig.suptitle(
        f"The slide 'Regression Example': gradient descent, η = {LEARNING_RATE:.5f}"
    )
    return fig
