"""Narrow and wide minima: sharpness as the loss increase under small noise.

Lecture: slides "Mini-batching" ("if the batch is too large, we end up
over-fitting the network") and "Hyperparameters choice" ("narrow minima of
the training loss do not generalise well; wide minima are preferable").
A minimum is narrow when a small move of the weights raises the training
loss a lot. Here the sharpness of the weights θ is the mean increase of the
training loss J over random perturbations of relative size ρ,

    S_ρ(θ) = E_u[ J(θ + ρ·‖θ‖·u) ] − J(θ),   u uniform on the unit sphere,

estimated from a few draws (a random-direction version of Keskar et al.,
"On large-batch training for deep learning", 2017). ``train_to_loss`` trains
with a given mini-batch size M until the training loss reaches a target, so
that small-M and large-M solutions are compared at the same training loss.
"""

import numbers

import numpy as np

from nda_models.core.constraints import POSITIVE_INT, Interval

RADIUS = Interval(numbers.Real, 0, closed="neither")
DRAWS = Interval(numbers.Integral, 2)


def _flat(model):
    return np.concatenate([np.ravel(v.numpy()) for v in model.trainable_variables])


def _assign(model, flat):
    start = 0
    for variable in model.trainable_variables:
        size = int(np.prod(variable.shape))
        variable.assign(flat[start : start + size].reshape(variable.shape))
        start += size


def sharpness(trainer, x, y, *, radius=0.05, draws=20, seed=0):
    """Returns S_ρ(θ): the mean rise of the loss over ``draws`` perturbations.

    The weights are restored afterwards.

    Args:
        trainer: The ``Trainer`` of the model (its loss is J).
        x, y: The data J is computed on (the training set).
        radius: ρ, the perturbation's norm relative to ‖θ‖.
        draws: Number of random directions u.
        seed: Seed of NumPy's generator for u.

    Returns:
        ``(mean_rise, standard_error)`` of J(θ + ρ‖θ‖u) − J(θ).

    Raises:
        ValueError, TypeError: for ``radius`` <= 0 or fewer than 2 ``draws``.

    Example:
        >>> from nda_models.lecture.regression_example import THETA_STAR, whitened_data
        >>> x, y = whitened_data(100)  # J(θ) = ‖θ − θ*‖² + 0.25 exactly
        >>> model = nda.build_model("linear_regressor", input_dim=2, use_bias=False)
        >>> model.set_weights([np.reshape(THETA_STAR, (2, 1))])  # at the minimum θ*
        >>> rise, se = sharpness(nda.Trainer(model), x, y, radius=0.1, draws=5)
        >>> # Every move of norm ρ‖θ*‖ raises J by ρ²‖θ*‖² = 0.1² · 0.75:
        >>> round(rise, 5), se < 1e-5
        (0.0075, True)
    """
    radius = RADIUS.check("radius", radius)
    draws = DRAWS.check("draws", draws)
    model = trainer.model
    theta = _flat(model)
    base = trainer.evaluate(x, y)["loss"]
    rng = np.random.default_rng(seed)
    rises = []
    try:
        for _ in range(draws):
            u = rng.normal(size=theta.shape)
            u *= radius * np.linalg.norm(theta) / np.linalg.norm(u)
            _assign(model, (theta + u).astype(theta.dtype))
            rises.append(trainer.evaluate(x, y)["loss"] - base)
    finally:
        _assign(model, theta)
    rises = np.asarray(rises)
    return float(rises.mean()), float(rises.std(ddof=1) / np.sqrt(draws))


def train_to_loss(trainer, x, y, *, target, max_epochs, epochs_per_check=1,
                  progress=None):  # fmt: skip
    """Trains until the training loss J(θ) on all of (x, y) is <= ``target``.

    Args:
        trainer: A ``Trainer`` (its batch size is the M being compared).
        x, y: Training data.
        target: The training loss to reach.
        max_epochs: Give up after this many epochs.
        epochs_per_check: Epochs between two evaluations of J.
        progress: Called as ``progress(epochs, loss)`` after every check,
            or ``None``.

    Returns:
        ``(epochs, loss)``: epochs run and the training loss reached
        (above ``target`` if ``max_epochs`` ran out).

    Raises:
        ValueError, TypeError: for ``max_epochs`` or ``epochs_per_check`` < 1.

    Example:
        >>> from nda_models.lecture.regression_example import whitened_data
        >>> x, y = whitened_data(100)  # J(θ) = ‖θ − θ*‖² + 0.25, ‖θ*‖² = 0.75
        >>> model = nda.build_model("linear_regressor", input_dim=2, use_bias=False)
        >>> trainer = nda.Trainer(model, learning_rate=0.25, batch_size=100, seed=0)
        >>> epochs, loss = train_to_loss(trainer, x, y, target=0.26, max_epochs=50)
        >>> # Gradient descent from θ = 0: J_t = 0.25 + (1 − 2η)^(2t) · 0.75,
        >>> # J_3 = 0.2617, J_4 = 0.2529: four epochs of one full-batch step.
        >>> epochs, round(loss, 4), round(0.25 + 0.5**8 * 0.75, 4)
        (4, 0.2529, 0.2529)
    """
    max_epochs = POSITIVE_INT.check("max_epochs", max_epochs)
    epochs_per_check = POSITIVE_INT.check("epochs_per_check", epochs_per_check)
    epochs = 0
    loss = trainer.evaluate(x, y)["loss"]
    while loss > target and epochs < max_epochs:
        step = min(epochs_per_check, max_epochs - epochs)
        trainer.fit(x, y, epochs=step)
        epochs += step
        loss = trainer.evaluate(x, y)["loss"]
        if progress is not None:
            progress(epochs, loss)
    return epochs, loss
