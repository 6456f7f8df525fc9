"""The lecture's update rules as Keras optimizers.

- ``"sgd"``: Θ_{t+1} = Θ_t − η_t ∇J(Θ_t) (slides "Basic gradient descent",
  "Stochastic Gradient Descent", "Mini-batching": which ∇J depends on M).
- ``"momentum"``: SGD with heavy-ball momentum v ← μv − η∇J, Θ ← Θ + v.
- ``"adam"``: Adam (Kingma and Ba, 2015).
"""

import numbers

import keras

from nda_models.core.constraints import Interval
from nda_models.core.options import OPTIMIZERS

MOMENTUM = Interval(numbers.Real, 0, 1, closed="left", reason=" (0.9 is usual)")


def check_optimizer(optimizer):
    """Validates ``optimizer=`` (a name or a Keras optimizer) without building it."""
    if isinstance(optimizer, keras.optimizers.Optimizer):
        return optimizer
    return OPTIMIZERS.check("optimizer", optimizer)


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
            learning_rate=learning_rate, momentum=MOMENTUM.check("momentum", momentum)
        )
    return keras.optimizers.Adam(learning_rate=learning_rate)
