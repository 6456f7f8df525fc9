"""The input block shared by every builder: features, optionally normalised.

Normalisation lives inside the model (a ``keras.layers.Normalization`` layer
with fixed statistics computed on the training split), so a saved model takes
raw features.
"""

import numpy as np

from nda_models.constraints import POSITIVE_INT


def check_normalization(normalization, input_dim):
    """Returns ``(mean, variance)`` as float32 arrays of length ``input_dim``."""
    if normalization is None:
        return None
    try:
        mean, variance = normalization
    except (TypeError, ValueError):
        raise TypeError(
            "`normalization` must be a pair (mean, variance), e.g. "
            f"dataset.normalization. Received: normalization={normalization!r}"
        ) from None
    mean = np.asarray(mean, dtype=np.float32).reshape(-1)
    variance = np.asarray(variance, dtype=np.float32).reshape(-1)
    if mean.shape != (input_dim,) or variance.shape != (input_dim,):
        raise ValueError(
            f"`normalization` mean and variance must each have input_dim={input_dim} "
            f"values. Received: {mean.size} and {variance.size} values"
        )
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(variance))):
        raise ValueError("`normalization` must be finite. Received NaN or inf values")
    if np.any(variance < 0):
        raise ValueError("`normalization` variance must be >= 0. Received a negative")
    return mean, variance


def feature_input(input_dim, normalization=None):
    """Builds the model input and, if asked, its normalisation layer.

    Args:
        input_dim: Number of input features (``d`` in the lecture).
        normalization: ``None`` or ``(mean, variance)`` of the training split.

    Returns:
        ``(inputs, x)``: the ``keras.Input`` and the tensor the model uses.
    """
    import keras

    input_dim = POSITIVE_INT.check("input_dim", input_dim)
    normalization = check_normalization(normalization, input_dim)
    inputs = keras.Input(shape=(input_dim,), name="features")
    if normalization is None:
        return inputs, inputs
    mean, variance = normalization
    x = keras.layers.Normalization(
        mean=mean.tolist(), variance=variance.tolist(), name="normalization"
    )(inputs)
    return inputs, x
