"""Closed form vs gradient descent vs SGD vs mini-batch SGD on y = 5 + 2x1 − 3x2 + ε.

Lecture 12, slides "Least Squares" (the closed form), "Gradient descent",
"Incremental gradient methods", "Mini-batching", "Mini-batch convergence
example" and "Regression Example" (the iteration table). The linear
regressor starts at θ = 0 and is trained with the package's ``Trainer`` by

- gradient descent (M = n: every step uses the full gradient),
- SGD (M = 1, permutation sampling),
- mini-batch SGD (M = 32),

while a ``ParameterTrajectory`` callback records (b, w1, w2) after each
update. The closed-form least-squares solution is the dashed target.

Figure: ``trajectories.png`` (one panel per method: b, w1, w2 over the
iterations, converging to about (5, 2, −3)).
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

# method -> (batch size M, learning rate η, epochs, epochs in --quick)
METHODS = {
    "gradient descent (M = n)": (None, 0.1, 60, 30),
    "SGD (M = 1)": (1, 0.01, 1, 1),
    "mini-batch SGD (M = 32)": (32, 0.05, 10, 5),
}


def main(argv=None):
    args = script_parser(__file__, __doc__).parse_args(argv)
    folder = output_folder(args.out)
    ds = load_dataset("linear_synthetic", seed=0)
    x, y = ds.x_train, ds.y_train
    bias, weights = least_squares(x, y)
    optimum = np.array([bias, *weights])
    true = (ds.info["true_bias"], *ds.info["true_weights"])
    print(f"true parameters (b, w1, w2) = {true}")
    print(f"closed form: b={bias:.4f} w1={weights[0]:.4f} w2={weights[1]:.4f}")
    paths = {}
    for method, (batch_size, learning_rate, epochs, quick_epochs) in METHODS.items():
        epochs = quick_epochs if args.quick else epochs
        paths[method] = _train(x, y, batch_size or len(x), learning_rate, epochs)
        b, w1, w2 = paths[method][-1]
        distance = np.linalg.norm(paths[method][-1] - optimum)
        print(
            f"{method}: {len(paths[method]) - 1} iterations, b={b:.4f} w1={w1:.4f} "
            f"w2={w2:.4f}, distance to closed form {distance:.4f}"
        )
    plt = pyplot()
    save_figure(_figure(plt, paths, optimum), folder, "trajectories.png")
    return 0


def _train(x, y, batch_size, learning_rate, epochs):
    """Trains a fresh linear regressor; returns its (b, w1, w2) after each step."""
    import nda_models as nda
    from nda_models.lecture.parameter_trajectory import ParameterTrajectory
    from nda_models.training import Trainer

    model = nda.build_model("linear_regressor", input_dim=x.shape[1])
    trainer = Trainer(model, learning_rate=learning_rate, batch_size=batch_size, seed=0)
    trajectory = ParameterTrajectory(layer="prediction")
    iterations = epochs * -(-len(x) // batch_size)
    callbacks = [trajectory, *_iteration_table(iterations)]
    print(f"\n--- batch_size={batch_size}, learning_rate={learning_rate}")
    print("(Gradient and Theta columns: w1, w2, b, the order of the model variables)")
    trainer.fit(x, y, epochs=epochs, callbacks=callbacks)
    path = trajectory.path  # columns: kernel (w1, w2), then bias b
    return np.column_stack([path[:, 2], path[:, 0], path[:, 1]])


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
        ax.set_xlabel("iteration t")
    axes[0].set_ylabel("parameter value")
    axes[0].plot([], [], "k--", lw=1, label="closed form")
    axes[0].legend(loc="center right")
    fig.suptitle(
        "Estimates of (b, w1, w2) for y = 5 + 2x1 − 3x2 + ε, starting from θ = 0"
    )
    return fig


if __name__ == "__main__":
    raise SystemExit(main())
