"""What ``Trainer.reset`` assigns: the model's and the optimizer's
variables and a constant η.

Each value is checked before anything is assigned, so a refused reset
leaves the trainer as it was.
"""

import keras
import numpy as np
import tensorflow as tf

from nda_models.training.loop.schedules import LEARNING_RATE


def learning_rate_variable(optimizer):
    """The variable holding a constant η, or ``None`` under a schedule."""
    rate = optimizer.learning_rate
    return rate if isinstance(rate, tf.Variable | keras.Variable) else None


def set_learning_rate(optimizer, learning_rate):
    """Assigns a new constant η to ``optimizer``.

    Raises:
        ValueError: if ``learning_rate`` is not a positive number.
        TypeError: if the optimizer follows a schedule.

    Example:
        >>> sgd = keras.optimizers.SGD(0.01)
        >>> set_learning_rate(sgd, 0.5); round(float(sgd.learning_rate), 3)
        0.5
    """
    learning_rate = LEARNING_RATE.check("learning_rate", learning_rate)
    variable = learning_rate_variable(optimizer)
    if variable is None:
        raise TypeError(
            "reset(learning_rate=...) needs an optimizer with a constant "
            "learning rate; this one follows a schedule. Build a new Trainer "
            "with the schedule you want. Received: learning_rate="
            f"{learning_rate!r}"
        )
    variable.assign(learning_rate)


def restart_optimizer(optimizer, start):
    """Puts the optimizer's variables (step counter, momenta) back to ``start``,
    one value per variable, keeping its constant η (``set_learning_rate``).

    Example:
        >>> sgd = keras.optimizers.SGD(0.01, momentum=0.9)
        >>> w = keras.Variable([1.0])
        >>> sgd.build([w]); start = [v.numpy() for v in sgd.variables]
        >>> sgd.apply([np.array([1.0])], [w]); int(sgd.iterations)
        1
        >>> restart_optimizer(sgd, start); int(sgd.iterations)
        0
    """
    rate = learning_rate_variable(optimizer)
    for variable, value in zip(optimizer.variables, start, strict=True):
        if variable is not rate:
            variable.assign(value)


def assign_variables(targets, variables):
    """Assigns ``variables`` (one value per target, in order) to ``targets``.

    Raises:
        ValueError: if the count or a shape does not match (nothing assigned).

    Example:
        >>> w = keras.Variable(np.zeros(2), name="w")
        >>> assign_variables([w], [[1.0, 2.0]]); w.numpy().tolist()
        [1.0, 2.0]
        >>> assign_variables([w], [[1.0]])
        Traceback (most recent call last):
        ValueError: `variables` do not fit the model: w has shape (2,). ...
    """
    if not isinstance(variables, list | tuple) or len(variables) != len(targets):
        count = len(variables) if isinstance(variables, list | tuple) else None
        raise ValueError(
            f"`variables` must hold one value per model variable ({len(targets)}"
            ", in the order of model.variables). Received: "
            f"{count} values"
        )
    values = [np.asarray(value) for value in variables]
    for target, value in zip(targets, values, strict=True):
        if tuple(value.shape) != tuple(target.shape):
            raise ValueError(
                f"`variables` do not fit the model: {target.path} has shape "
                f"{tuple(target.shape)}. Received: shape {value.shape}"
            )
    for target, value in zip(targets, values, strict=True):
        target.assign(value)
