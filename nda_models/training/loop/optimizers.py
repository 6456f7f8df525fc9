"""The lecture's update rules, by name, as Keras optimizers.

- ``"sgd"``: Θ_{t+1} = Θ_t − η_t ∇J(Θ_t) (slides "Basic gradient descent",
  "Stochastic Gradient Descent", "Mini-batching": which ∇J depends on M).
- ``"momentum"``: SGD with heavy-ball momentum v ← μv − η∇J, Θ ← Θ + v.
- ``"adam"``: Adam (Kingma and Ba, 2015).

``OPTIMIZERS`` is the one table of these names: the checks, the command
line's ``--optimizer`` choices and the messages read it. Keras is imported
when an optimizer is built, so listing the names imports no TensorFlow.

Example:
    >>> list(OPTIMIZERS)
    ['sgd', 'momentum', 'adam']
"""

import numbers

from nda_models.core.constraints import Interval
from nda_models.core.name_table import Lazy, NameTable

MOMENTUM = Interval(numbers.Real, 0, 1, closed="left", reason=" (0.9 is usual)")

_SGD = Lazy("keras.optimizers:SGD")
_ADAM = Lazy("keras.optimizers:Adam")
_OPTIMIZER = Lazy("keras.optimizers:Optimizer")


def sgd(learning_rate, momentum):
    """Plain (stochastic) gradient descent: Θ ← Θ − η_t ∇J; ``momentum`` unused."""
    del momentum
    return _SGD(learning_rate=learning_rate)


def heavy_ball(learning_rate, momentum):
    """SGD with momentum μ: v ← μv − η_t ∇J, Θ ← Θ + v."""
    momentum = MOMENTUM.check("momentum", momentum)
    return _SGD(learning_rate=learning_rate, momentum=momentum)


def adam(learning_rate, momentum):
    """Adam, with Keras's defaults (β1 = 0.9, β2 = 0.999); ``momentum`` unused."""
    del momentum
    return _ADAM(learning_rate=learning_rate)


#: Update rule name -> ``factory(learning_rate, momentum)``.
OPTIMIZERS = NameTable(
    {"sgd": sgd, "momentum": heavy_ball, "adam": adam},
    noun="optimizer",
    alternatives=" or a keras.optimizers.Optimizer",
)


def check_optimizer(optimizer):
    """Validates ``optimizer=`` (a name or a Keras optimizer) without building it.

    Raises:
        ValueError: for an unknown name (the names are listed, the closest
            one suggested).
        TypeError: for anything else.
    """
    if not isinstance(optimizer, str) and isinstance(optimizer, _OPTIMIZER.resolve()):
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
        >>> float(get_optimizer("momentum", 0.01, momentum=0.8).momentum)
        0.8
    """
    optimizer = check_optimizer(optimizer)
    if not isinstance(optimizer, str):
        return optimizer
    return OPTIMIZERS.lookup("optimizer", optimizer)(learning_rate, momentum)
