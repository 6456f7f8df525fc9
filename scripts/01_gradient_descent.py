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
   step is checked (the script fails otherwise).
2. The slide's "Regression Example" table, reproduced to its three decimals:
   full-batch gradient descent on L(θ) = θ1² + (θ2 − √3/2)² + 0.25 from
   θ = (−3.388, 0) with η = (1 − 0.6^(1/20))/2 ≈ 0.01261, on whitened data
   whose mean squared error is exactly L (see
   ``nda_models.lecture.regression_example``), through the same ``Trainer``
   and ``IterationTable``.

Loss convention, as in every script: J = (1/M) Σ (y − ŷ)², the batch mean
without ½ (Keras's MSE, the slide "Loss functions", and the convention of the
slide's table). The slide "Least Squares" ½ convention halves every gradient:
the same steps need twice the η.

Figures: ``trajectories.png`` (one panel per method: b, w1, w2 over the
iterations, converging to about (5, 2, −3)) and ``regression_example.png``
(the slide's run: loss per iteration, and θ_t on the contours of L).
"""

import numpy as np

from nda_models.data import load_dataset
from nda_models.lecture import (
    least_squares,
    output_folder,
    pyplot,
    save_figure,
    script_parser,
)
from nda_models.lecture.monotone_decrease import check_monotone_decrease
from nda_models.lecture.regression_example import (
    LEARNING_RATE,
    THETA_0,
    THETA_STAR,
    run_regression_example,
    slide_loss,
)
from nda_models.zoo.losses import loss_definition

# method -> (batch size M, learning rate η, epochs, epochs in --quick)
METHODS = {
    "gradient descent (M = n)": (None, 0.1, 60, 30),
    "SGD (M = 1)": (1, 0.01, 1, 1),
    "mini-batch SGD (M = 32)": (32, 0.05, 10, 5),
}


def main(argv=None):
    args = script_parser(__file__, __doc__).parse_args(argv)
    folder = output_folder(args.out)
    print(f"Loss convention: {loss_definition('mean_squared_error')}")
    ds = load_dataset("linear_synthetic", seed=0)
    x, y = ds.x_train, ds.y_train
    print("\n=== 1. The package's own example (not the slides' numbers) ===")
    bias, weights = least_squares(x, y)
    optimum = np.array([bias, *weights])
    true = (ds.info["true_bias"], *ds.info["true_weights"])
    print(f"true parameters (b, w1, w2) = {true}")
    print(f"closed form: b={bias:.4f} w1={weights[0]:.4f} w2={weights[1]:.4f}")
    _print_gradient_at_zero(x, y)
    paths = {}
    for method, (batch_size, learning_rate, epochs, quick_epochs) in METHODS.items():
        epochs = quick_epochs if args.quick else epochs
        paths[method], losses = _train(
            x, y, batch_size or len(x), learning_rate, epochs
        )
        b, w1, w2 = paths[method][-1]
        distance = np.linalg.norm(paths[method][-1] - optimum)
        print(
            f"{method}: {len(paths[method]) - 1} iterations, b={b:.4f} w1={w1:.4f} "
            f"w2={w2:.4f}, distance to closed form {distance:.4f}"
        )
        if batch_size is None:  # M = n: one step per epoch, one loss per step
            steps = check_monotone_decrease(losses, what=method)
            print(f"{method}: the loss decreased at every one of {steps} steps")
    plt = pyplot()
    save_figure(_figure(plt, paths, optimum), folder, "trajectories.png")
    rows, losses = _slide_table()
    steps = check_monotone_decrease(losses, what="the slide's gradient descent")
    print(f"the slide's run: the loss decreased at every one of {steps} steps")
    save_figure(_slide_figure(plt, rows, losses), folder, "regression_example.png")
    return 0


def _print_gradient_at_zero(x, y):
    """∇J at θ = 0 on all of (x, y), the Trainer's loss (script 02 prints it too)."""
    import nda_models as nda
    from nda_models.training import Trainer

    model = nda.build_model("linear_regressor", input_dim=x.shape[1])
    _, (kernel, bias) = Trainer(model).full_loss_and_gradients(x, y)
    cells = f"dJ/db={bias[0]:+.4f}  dJ/dw1={kernel[0, 0]:+.4f}  "
    print(f"full gradient at theta = 0 (MSE): {cells}dJ/dw2={kernel[1, 0]:+.4f}")


def _slide_table():
    theta0 = ", ".join(f"{v:g}" for v in THETA_0)
    print("\n=== 2. The slide 'Regression Example', reproduced ===")
    print("full-batch gradient descent (M = n) on whitened data whose MSE is")
    print(
        f"L(θ) = θ1² + (θ2 − √3/2)² + 0.25; θ_0 = ({theta0}), "
        f"η = (1 − 0.6^(1/20))/2 = {LEARNING_RATE:.7f}"
    )
    print("(columns w1, w2 are the slide's θ1, θ2; the model has no intercept)")
    return run_regression_example()


def _train(x, y, batch_size, learning_rate, epochs):
    """Trains a fresh linear regressor; returns its (b, w1, w2) after each step
    and the training loss of each epoch."""
    import nda_models as nda
    from nda_models.callbacks.parameter_trajectory import ParameterTrajectory
    from nda_models.training import Trainer

    model = nda.build_model("linear_regressor", input_dim=x.shape[1])
    trainer = Trainer(model, learning_rate=learning_rate, batch_size=batch_size, seed=0)
    trajectory = ParameterTrajectory(layer="prediction")
    iterations = epochs * -(-len(x) // batch_size)
    callbacks = [trajectory, *_iteration_table(iterations)]
    print(f"\n--- batch_size={batch_size}, learning_rate={learning_rate}")
    print("(Gradient and Theta columns: w1, w2, b, the order of the model variables)")
    history = trainer.fit(x, y, epochs=epochs, callbacks=callbacks)
    path = trajectory.path  # columns: kernel (w1, w2), then bias b
    path = np.column_stack([path[:, 2], path[:, 0], path[:, 1]])
    return path, history.history["loss"]


def _iteration_table(iterations):
    """The slide's table (#it, loss, gradient, θ), about ten rows per run."""
    from nda_models.training import IterationTable

    return [IterationTable(every=max(1, iterations // 10))]


def _figure(plt, paths, optimum):
    fig, axes = plt.subplots(
        1, len(paths), figsize=(15, 4), sharey=True, layout="constrained"
    )
    names = ("b", "w1", "w2")
    for ax, (method, path) in zip(axes, paths.items(), strict=True):
        for k, name in enumerate(names):
            ax.plot(path[:, k], color=f"C{k}", label=f"{name}")
            ax.axhline(optimum[k], color=f"C{k}", ls="--", lw=1)
        ax.set_title(method)
        ax.set_xlabel("iteration t (parameter updates)")
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


def _slide_figure(plt, rows, losses):
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5), layout="constrained")
    steps = np.arange(len(losses))
    left.semilogy(steps, losses - 0.25, label="J(θ_t) − 0.25, every step t")
    table_t = [row["iteration"] for row in rows]
    table_excess = [row["loss"] - 0.25 for row in rows]
    left.semilogy(table_t, table_excess, "o", label="rows of the slide's table")
    left.set_xlabel("iteration t")
    left.set_ylabel("J(θ_t) − min J (log scale)")
    left.set_title("Loss decreases at every step (checked)")
    left.legend()
    theta = np.array([row["theta"] for row in rows])
    g1, g2 = np.meshgrid(np.linspace(-3.8, 0.8, 200), np.linspace(-1.2, 2.4, 200))
    levels = np.array(
        [[slide_loss((a, b)) for a, b in zip(r1, r2, strict=True)]
         for r1, r2 in zip(g1, g2, strict=True)]
    )  # fmt: skip
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
    right.set_title("Contours of L(θ) = θ1² + (θ2 − √3/2)² + 0.25")
    right.legend(loc="upper left", fontsize=8)
    fig.suptitle(
        f"The slide 'Regression Example': gradient descent, η = {LEARNING_RATE:.5f}"
    )
    return fig


if __name__ == "__main__":
    raise SystemExit(main())
