"""Validation of builder hyper-parameters, at the boundary, before Keras.

The constraints are declared once here (see ``nda_models.core.constraints``);
each check raises with the message the style guide asks for: what is wrong,
what is expected, and what was received.
"""

import numbers

from nda_models.core.constraints import POSITIVE_INT, Interval, Options, is_integer

NUM_CLASSES = Interval(
    numbers.Integral,
    2,
    reason=" (use a binary model such as 'logistic_neuron' for one output)",
)
FRACTION = Interval(numbers.Real, 0, 1, closed="left")
NON_NEGATIVE = Interval(numbers.Real, 0)
BOOLEAN = Options((True, False))


def check_units(name, value):
    """Returns ``value`` as a tuple of positive ints (an int means one layer).

    Example:
        >>> check_units("hidden_units", 8), check_units("hidden_units", [64, 32])
        ((8,), (64, 32))
    """
    if is_integer(value):
        value = (value,)
    if not isinstance(value, (tuple, list)):
        raise TypeError(
            f"`{name}` must be a sequence of layer sizes such as (64, 32). "
            f"Received: {name}={value!r}"
        )
    return tuple(POSITIVE_INT.check(name, units) for units in value)
