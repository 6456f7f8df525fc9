"""Validation of ``Trainer`` and ``fit`` arguments, at the boundary.

Each check returns the cleaned value or raises in the house style: what is
wrong, what is expected, and ``Received: name=value``.
"""

import numbers

from nda_models.suggestions import did_you_mean
from nda_models.training.sampling import SAMPLINGS


def check_int(name, value, minimum, *, allow_none=False):
    """Returns ``value`` as an int >= ``minimum`` (or ``None`` if allowed)."""
    if value is None and allow_none:
        return None
    expected = f"an integer >= {minimum}" + (" or None" if allow_none else "")
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{name}` must be {expected}. Received: {name}={value!r}")
    if value < minimum:
        raise ValueError(f"`{name}` must be {expected}. Received: {name}={value!r}")
    return int(value)


def check_sampling(sampling):
    """Returns ``sampling`` if it is ``"permutation"`` or ``"uniform"``."""
    if sampling not in SAMPLINGS:
        hint = did_you_mean(str(sampling), SAMPLINGS)
        raise ValueError(
            f"Unknown sampling.{hint} Expected one of {list(SAMPLINGS)}: "
            "'permutation' reshuffles each epoch and draws without replacement, "
            "'uniform' draws indices with replacement. "
            f"Received: sampling={sampling!r}"
        )
    return sampling


def check_verbose(verbose):
    """Returns ``verbose`` in {0, 1, 2} (``"auto"`` means 1, as in Keras)."""
    if verbose == "auto":
        return 1
    if isinstance(verbose, bool) or verbose not in (0, 1, 2):
        raise ValueError(
            "`verbose` must be 0 (silent), 1 (progress bar), 2 (one line per "
            f"epoch) or 'auto'. Received: verbose={verbose!r}"
        )
    return int(verbose)


def check_model(model):
    """Returns the model's input dimension d; the model must be a built
    single-input ``keras.Model`` taking (n, d) features."""
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(
            "`model` must be a keras.Model, e.g. nda.build_model('linear_regressor',"
            f" input_dim=2). Received: model of type {type(model).__name__}"
        )
    try:
        shape = model.input_shape
    except (AttributeError, ValueError):
        shape = None
    if not (isinstance(shape, tuple) and len(shape) == 2 and shape[1]):
        raise ValueError(
            "`model` must be a built keras.Model with one input of shape "
            f"(batch, input_dim). Received: input_shape={shape!r}"
        )
    return int(shape[1])
