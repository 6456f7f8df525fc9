"""Sampling methods of SGD: random uniform, reshuffling each epoch, pre-shuffling once.

Lecture 12, slide "Incremental gradient methods": "Random Uniform: randomly
pick an index i with replacement"; "Permutation Based: pick index i in given
order without replacement (pre-shuffle dataset)". The ``Trainer`` offers the
three readings of that slide as ``sampling=``:

- ``"uniform"``: indices drawn with replacement;
- ``"permutation"``: a new random order every epoch (what Keras does);
- ``"preshuffle"``: one random order, drawn once, swept every epoch.

SGD with M = 1 and a constant step on ``linear_synthetic`` (loss: batch mean
of (y − ŷ)², as in every script) runs with each from θ = 0 and the same
seed, and θ is recorded at the end of every epoch. With a fixed order and a
constant step, the end-of-epoch iterates of pre-shuffled SGD settle on one
point of a cycle (the same sequence of updates repeats each epoch), a point
that is not the optimum θ*; reshuffled and uniform SGD keep moving around θ*
inside the region of confusion.

Figure: ``sampling_methods.png`` (distance of the end-of-epoch θ to the
least-squares θ* per epoch, and the end-of-epoch iterates around θ*).
"""

import numpy as np

import nda_models as nda
from nda_models import lecture
from nda_models.core.lazy_module import lazy_module
from nda_models.data import load_dataset
from nda_models.lecture.least_squares import least_squares
from nda_models.lecture.scale import check_scale
from nda_models.lecture.script_io import pyplot
from nda_models.zoo.losses import loss_definition

ticker = lazy_module("matplotlib.ticker")

SAMPLINGS = ("uniform", "permutation", "preshuffle")
LEARNING_RATE = 0.02
EPOCHS = {"full": 40, "quick": 8}

__all__ = ["least_squares_optimum", "sampling_figure", "train_samplings"]


def least_squares_optimum():
    """Loads ``linear_synthetic``; prints the convention; returns ``(ds, θ*)``
    with θ* as (w1, w2, b), the order of the recorded θ."""
    ds = load_dataset("linear_synthetic", seed=0)
    bias, weights = least_squares(ds.x_train, ds.y_train)
    print(f"Loss convention: {loss_definition('mean_squared_error')}")
    return ds, np.array([*weights, bias])


def train_samplings(ds, optimum, *, scale="full"):
    """SGD (M = 1) from θ = 0 with each sampling, with progress; prints the
    distances to θ* and how far the end-of-epoch θ still moves.

    Returns:
        Dict sampling -> θ = (w1, w2, b) at θ_0 and at the end of every epoch.
    """
    x, y = ds.x_train, ds.y_train
    epochs = EPOCHS[check_scale(scale)]
    print(f"SGD, M = 1, η = {LEARNING_RATE}, {epochs} epochs of n = {len(x)}")
    paths = {sampling: _train(x, y, sampling, epochs) for sampling in SAMPLINGS}
    print(f"{'sampling':<12}{'last distance':>15}{'mean distance, 2nd half':>25}"
          f"{'end-of-epoch moves, 2nd half':>30}")  # fmt: skip
    for sampling, path in paths.items():
        distance = np.linalg.norm(path - optimum, axis=1)
        half = path[epochs // 2 :]
        moves = np.linalg.norm(np.diff(half, axis=0), axis=1).mean()
        print(f"{sampling:<12}{distance[-1]:>15.4f}"
              f"{distance[epochs // 2 :].mean():>25.4f}{moves:>30.2e}")  # fmt: skip
    return paths


def _train(x, y, sampling, epochs):
    """θ = (w1, w2, b) at θ_0 and at the end of every epoch."""
    model = nda.build_model("linear_regressor", input_dim=x.shape[1])
    trainer = nda.Trainer(model, learning_rate=LEARNING_RATE, batch_size=1,
                          sampling=sampling, seed=0)  # fmt: skip
    trajectory = lecture.ParameterTrajectory(layer="prediction", every=len(x))
    trainer.fit(x, y, epochs=epochs, callbacks=[trajectory], verbose=1)
    return trajectory.path


def sampling_figure(paths, optimum):
    """Distance of the end-of-epoch θ to θ* per epoch (integer ticks), and
    the end-of-epoch iterates around θ*. Returns the Figure (open)."""
    fig, (left, right) = pyplot().subplots(
        1, 2, figsize=(12.5, 4.8), layout="constrained"
    )
    for k, (sampling, path) in enumerate(paths.items()):
        distance = np.linalg.norm(path - optimum, axis=1)
        left.semilogy(np.arange(len(path)), distance, "o-", ms=3, color=f"C{k}",
                      label=sampling)  # fmt: skip
        ends = path[1:]
        right.plot(ends[:, 0], ends[:, 1], "o-", ms=3, lw=0.6, color=f"C{k}",
                   alpha=0.8, label=sampling)  # fmt: skip
        right.plot(*ends[-1, :2], "s", ms=9, mfc="none", color=f"C{k}")
    right.plot(*optimum[:2], "k+", ms=14, mew=2, label="least-squares θ*")
    right.plot([], [], "ks", ms=9, mfc="none", label="last epoch")
    left.set_xlabel("epoch (one pass of n steps; 0 = θ_0)")
    left.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    left.set_ylabel("‖θ − θ*‖ at the end of the epoch (log scale)")
    left.set_title("Distance to the optimum, epoch by epoch")
    left.legend()
    right.set_xlabel("weight w1 (unitless, synthetic data)")
    right.set_ylabel("weight w2 (unitless)")
    right.set_title("End-of-epoch iterates (w1, w2)")
    right.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))  # off the data
    fig.suptitle(
        f"SGD (M = 1, η = {LEARNING_RATE}): a fixed order (pre-shuffle) ends every "
        "epoch at the same point; fresh orders keep moving around θ*"
    )
    return fig
