"""The lecture's update rules as Keras optimizers.

- ``"sgd"``: Θ_{t+1} = Θ_t − η_t ∇J(Θ_t) (slides "Basic gradient descent",
  "Stochastic Gradient Descent", "Mini-batching": which ∇J depends on M).
- ``"momentum"``: SGD with heavy-ball momentum v ← μv − η∇J, Θ ← Θ + v.
- ``"adam"``: Adam (Kingma and Ba, 2015).
"""

import numbers

import keras

from nda_models.suggestions import did_you_mean

OPTIMIZERS = ("sgd", "momentum", "adam")


def check_momentum(momentum):
    """Returns ``momentum`` if it is a number in [0, 1), else raises."""
    if isinstance(momentum, bool) or not isinstance(momentum, numbers.Real):
        raise TypeError(
            f"`momentum` must be a number in [0, 1). Received: momentum={momentum!r}"
        )
    if not 0.0 <= momentum < 1.0:
        raise ValueError(
            "`momentum` must be in [0, 1) (0.9 is usual). "
            f"Received: momentum={momentum!r}"
        )
    return float(momentum)


def check_optimizer(optimizer):
    """Validates ``optimizer=`` (a name or a Keras optimizer) without building it."""
    if isinstance(optimizer, keras.optimizers.Optimizer):
        return optimizer
    if not isinstance(optimizer, str):
        raise TypeError(
            f"`optimizer` must be one of {list(OPTIMIZERS)} or a "
            f"keras.optimizers.Optimizer. Received: optimizer={optimizer!r}"
        )
    if optimizer not in OPTIMIZERS:
        hint = did_you_mean(optimizer, OPTIMIZERS)
        raise ValueError(
            f"Unknown optimizer.{hint} Expected one of {list(OPTIMIZERS)} or a "
            f"keras.optimizers.Optimizer. Received: optimizer={optimizer!r}"
        )
    return optimizer


def get_optimizer(optimizer, learning_rate, *, momentum=0.9):
    """Returns a new Keras optimizer for ``optimizer``.

    Args:
        optimizer: ``"sgd"``, ``"momentum"``, ``"adam"``, or a Keras optimizer
            instance (returned unchanged; its own learning rate is kept).
        learning_rate: A float or a ``LearningRateSchedule`` (see
            ``schedules.get_schedule``).
        momentum: μ of ``"momentum"``, in [0, 1).

    Returns:
        A ``keras.optimizers.Optimizer``.

    Raises:
        ValueError: for an unknown name (the closest one is suggested).

    Example:
        >>> opt = get_optimizer("momentum", 0.01, momentum=0.8)
    """
    optimizer = check_optimizer(optimizer)
    if isinstance(optimizer, keras.optimizers.Optimizer):
        return optimizer
    if optimizer == "sgd":
        return keras.optimizers.SGD(learning_rate=learning_rate)
    if optimizer == "momentum":
        return keras.optimizers.SGD(
            learning_rate=learning_rate, momentum=check_momentum(momentum)
        )
    return keras.optimizers.Adam(learning_rate=learning_rate)
