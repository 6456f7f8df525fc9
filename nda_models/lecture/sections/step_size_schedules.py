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

import nda_models as nda
from nda_models import lecture
from nda_models.data import load_dataset
from nda_models.lecture.least_squares import least_squares
from nda_models.lecture.scale import check_scale
from nda_models.lecture.script_io import pyplot
from nda_models.zoo.losses import loss_definition

ETA = 0.05
TAU = 100.0
EPOCHS = {"full": 10, "quick": 3}
RECORD_EVERY = 5  # steps between two recorded θ_t
#: label -> the constant η, or None for the Robbins–Monro schedule
RUNS = {
    f"constant η = {ETA}": ETA,
    f"constant η = {ETA / 10:g}": ETA / 10,
    f"Robbins–Monro η_t = {ETA}/(1 + t/{TAU:g})": None,
}

__all__ = ["cloud_figure", "distance_figure", "least_squares_optimum", "train_runs"]


def least_squares_optimum():
    """Loads ``linear_synthetic``; prints and returns θ* as (w1, w2, b).

    Returns:
        ``(ds, optimum)``: the dataset and θ* in the order of the recorded θ.
    """
    ds = load_dataset("linear_synthetic", seed=0)
    bias, weights = least_squares(ds.x_train, ds.y_train)
    print(
        f"least-squares optimum: b={bias:.4f} w1={weights[0]:.4f} w2={weights[1]:.4f}"
    )
    print(f"Loss convention: {loss_definition('mean_squared_error')}")
    return ds, np.array([*weights, bias])


def train_runs(ds, optimum, *, scale="full"):
    """SGD (M = 1) from θ = 0 with each step size of ``RUNS``, with progress.

    The two constant steps share one traced ``Trainer`` (``reset``); the
    schedule needs its own. Prints the final distance to θ* and its mean
    over the last 20 % of the run.

    Returns:
        Dict label -> (iterations, θ path (records, 3), distances).
    """
    x, y = ds.x_train, ds.y_train
    epochs = EPOCHS[check_scale(scale)]
    print(f"SGD, M = 1, {epochs} epochs of n = {len(x)} from θ = 0")
    model = nda.build_model("linear_regressor", input_dim=ds.input_dim)
    start = [v.numpy() for v in model.variables]
    constant = nda.Trainer(model, batch_size=1, seed=0)
    runs = {}
    for label, learning_rate in RUNS.items():
        if learning_rate is None:
            trainer = nda.Trainer(model, batch_size=1, seed=0, learning_rate=ETA,
                                  schedule="robbins_monro", tau=TAU)  # fmt: skip
        else:
            trainer = constant
        trainer.reset(start, learning_rate=learning_rate)
        iterations, path = _train(trainer, x, y, epochs)
        distance = np.linalg.norm(path - optimum, axis=1)
        runs[label] = (iterations, path, distance)
    print(f"{'run':<40}{'final distance':>16}{'mean distance, last 20%':>26}")
    for label, (_, _, distance) in runs.items():
        tail = distance[int(0.8 * len(distance)) :].mean()
        print(f"{label:<40}{distance[-1]:>16.4f}{tail:>26.4f}")
    return runs


def _train(trainer, x, y, epochs):
    trajectory = lecture.ParameterTrajectory(layer="prediction", every=RECORD_EVERY)
    trainer.fit(x, y, epochs=epochs, callbacks=[trajectory], verbose=1)
    return trajectory.iterations, trajectory.path


def distance_figure(runs):
    """‖θ_t − θ*‖ against t (log scale), one line per run. Returns the
    ``matplotlib`` Figure (open)."""
    fig, ax = pyplot().subplots(figsize=(8, 4.5), layout="constrained")
    for label, (iterations, _, distance) in runs.items():
        ax.semilogy(iterations, distance, lw=1, label=label)
    ax.set_xlabel("iteration t (one example per step)")
    ax.set_ylabel("‖θ_t − θ*‖ (log scale)")
    ax.set_title("SGD: constant steps stall in a region of confusion; η_t → 0 does not")
    ax.legend()
    return fig


def cloud_figure(runs, optimum):
    """The second half of each run's iterates around θ* in the (w1, w2)
    plane. Returns the ``matplotlib`` Figure (open)."""
    fig, ax = pyplot().subplots(figsize=(6, 5.5), layout="constrained")
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
