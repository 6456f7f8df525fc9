"""Validation of builder hyper-parameters, at the boundary, before Keras.

Each check raises with the message the style guide asks for: what is wrong,
what is expected, and what was received.
"""

import numbers

ACTIVATIONS = ("relu", "tanh", "sigmoid")


def check_positive_int(name, value):
    """Returns ``value`` if it is an integer >= 1, else raises."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{name}` must be an integer >= 1. Received: {name}={value!r}")
    if value < 1:
        raise ValueError(
            f"`{name}` must be an integer >= 1. Received: {name}={value!r}"
        )
    return int(value)


def check_num_classes(value):
    """Returns ``value`` if it is an integer >= 2, else raises."""
    value = check_positive_int("num_classes", value)
    if value < 2:
        raise ValueError(
            "`num_classes` must be at least 2 (use a binary model such as "
            f"'logistic_neuron' for one output). Received: num_classes={value!r}"
        )
    return value


def check_units(name, value):
    """Returns ``value`` as a tuple of positive ints (an int means one layer)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = (value,)
    if not isinstance(value, (tuple, list)):
        raise TypeError(
            f"`{name}` must be a sequence of layer sizes such as (64, 32). "
            f"Received: {name}={value!r}"
        )
    return tuple(check_positive_int(name, units) for units in value)


def check_activation(value):
    """Returns ``value`` if it is one of the lecture's hidden activations."""
    if value not in ACTIVATIONS:
        raise ValueError(
            f"Unknown activation. Expected one of {list(ACTIVATIONS)}. "
            f"Received: activation={value!r}"
        )
    return value


def check_fraction(name, value, *, upper_open=True):
    """Returns ``value`` if 0 <= value < 1 (or <= 1), else raises."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a number. Received: {name}={value!r}")
    if not 0.0 <= value < 1.0 if upper_open else not 0.0 <= value <= 1.0:
        bound = "[0, 1)" if upper_open else "[0, 1]"
        raise ValueError(f"`{name}` must be in {bound}. Received: {name}={value!r}")
    return float(value)


def check_non_negative(name, value):
    """Returns ``value`` if it is a finite number >= 0, else raises."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a number >= 0. Received: {name}={value!r}")
    if not 0.0 <= value < float("inf"):
        raise ValueError(
            f"`{name}` must be a finite number >= 0. Received: {name}={value!r}"
        )
    return float(value)
