"""Constant step size vs a Robbins–Monro schedule: the region of confusion.

Lecture 12, slides "Gradient descent" (η_t constant, or square-summable but
not summable: Σ η_t² < ∞, Σ η_t = ∞) and "SGD characteristics" (SGD
"converges fast to a region of confusion close to the optimum" and
"fluctuates around the optimum inside" it). SGD with M = 1 on
``linear_synthetic`` is run with a large and a small constant step and with
the Robbins–Monro step η_t = η_0 / (1 + t/τ) of the ``Trainer``
(``schedule="robbins_monro"``); the distance ‖θ_t − θ*‖ to the
least-squares optimum θ* is recorded along the way. Loss convention, as in
every script: J = (1/M) Σ (y − ŷ)², without the ½ of the slide "Least
Squares" (whose η would be twice the ones here for the same steps).

Figures: ``distance_to_optimum.png`` (log scale: the constant steps stall
at a noise floor, the decaying step keeps approaching θ*) and
``region_of_confusion.png`` (the last iterates around θ* in the (w1, w2) plane).
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
from nda_models.zoo.losses import loss_definition

ETA = 0.05
TAU = 100.0
# label -> Trainer keyword arguments
RUNS = {
    f"constant η = {ETA}": {"learning_rate": ETA},
    f"constant η = {ETA / 10:g}": {"learning_rate": ETA / 10},
    f"Robbins–Monro η_t = {ETA}/(1 + t/{TAU:g})": {
        "learning_rate": ETA,
        "schedule": "robbins_monro",
        "tau": TAU,
    },
}


def main(argv=None):
    args = script_parser(__file__, __doc__).parse_args(argv)
    folder = output_folder(args.out)
    epochs = 3 if args.quick else 10
    ds = load_dataset("linear_synthetic", seed=0)
    x, y = ds.x_train, ds.y_train
    bias, weights = least_squares(x, y)
    optimum = np.array([*weights, bias])  # the order of the recorded θ: w1, w2, b
    print(
        f"least-squares optimum: b={bias:.4f} w1={weights[0]:.4f} w2={weights[1]:.4f}"
    )
    print(f"Loss convention: {loss_definition('mean_squared_error')}")
    print(f"SGD, M = 1, {epochs} epochs of n = {len(x)} from θ = 0")
    print(f"{'run':<40}{'final distance':>16}{'mean distance, last 20%':>26}")
    runs = {}
    for label, options in RUNS.items():
        iterations, path = _train(x, y, epochs, options)
        distance = np.linalg.norm(path - optimum, axis=1)
        tail = distance[int(0.8 * len(distance)) :].mean()
        print(f"{label:<40}{distance[-1]:>16.4f}{tail:>26.4f}")
        runs[label] = (iterations, path, distance)
    plt = pyplot()
    save_figure(_distance_figure(plt, runs), folder, "distance_to_optimum.png")
    save_figure(_cloud_figure(plt, runs, optimum), folder, "region_of_confusion.png")
    return 0


def _train(x, y, epochs, options):
    import nda_models as nda
    from nda_models.callbacks.parameter_trajectory import ParameterTrajectory
    from nda_models.training import Trainer

    model = nda.build_model("linear_regressor", input_dim=x.shape[1])
    trainer = Trainer(model, batch_size=1, seed=0, **options)
    trajectory = ParameterTrajectory(layer="prediction", every=5)
    trainer.fit(x, y, epochs=epochs, callbacks=[trajectory])
    return trajectory.iterations, trajectory.path


def _distance_figure(plt, runs):
    fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    for label, (iterations, _, distance) in runs.items():
        ax.semilogy(iterations, distance, lw=1, label=label)
    ax.set_xlabel("iteration t (one example per step)")
    ax.set_ylabel("‖θ_t − θ*‖ (log scale)")
    ax.set_title("SGD: constant steps stall in a region of confusion; η_t → 0 does not")
    ax.legend()
    return fig


def _cloud_figure(plt, runs, optimum):
    fig, ax = plt.subplots(figsize=(6, 5.5), layout="constrained")
    for label, (_, path, _) in runs.items():
        last = path[len(path) // 2 :]
        ax.scatter(last[:, 0], last[:, 1], s=4, alpha=0.4, label=label)
    ax.plot(*optimum[:2], "k+", ms=12, mew=2, label="least-squares optimum θ*")
    ax.set_xlabel("weight w1 (unitless, synthetic data)")
    ax.set_ylabel("weight w2 (unitless)")
    ax.set_title(
        f"Second half of the iterates: a constant η = {ETA} wanders in a wide\n"
        "region of confusion; small or decaying steps stay near θ*"
    )
    # Below the axes, so no iterate is hidden.
    legend = fig.legend(loc="outside lower center", ncol=2, fontsize=8)
    for handle in legend.legend_handles[: len(runs)]:
        handle.set_sizes([30])
    return fig


if __name__ == "__main__":
    raise SystemExit(main())
