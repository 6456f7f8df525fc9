"""The input block shared by every builder: features, optionally normalised.

Normalisation lives inside the model (a ``keras.layers.Normalization`` layer
with fixed statistics computed on the training split), so a saved model takes
raw features. A near-constant feature is scaled by 1 (its variance becomes 1),
as scikit-learn's ``StandardScaler`` does; see ``normalization_stats``.
"""

import numpy as np

from nda_models.core.constraints import POSITIVE_INT
from nda_models.core.lazy_module import lazy_module
from nda_models.core.normalization_stats import (
    FLOAT32_MAX,
    overflow_error,
    scale_constant_by_one,
)

keras = lazy_module("keras")


def check_normalization(normalization, input_dim):
    """Returns ``(mean, variance)`` as float32 arrays of length ``input_dim``.

    Variances of near-constant features (standard deviation below
    ``normalization_stats.NEAR_ZERO_STD``) become 1, so those features are
    only centred; a variance that overflows float32 is refused.
    """
    if normalization is None:
        return None
    try:
        mean, variance = normalization
    except (TypeError, ValueError):
        raise TypeError(
            "`normalization` must be a pair (mean, variance), e.g. "
            f"dataset.normalization. Received: normalization={normalization!r}"
        ) from None
    mean = np.asarray(mean, dtype=np.float64).reshape(-1)
    variance = np.asarray(variance, dtype=np.float64).reshape(-1)
    if mean.shape != (input_dim,) or variance.shape != (input_dim,):
        raise ValueError(
            f"`normalization` mean and variance must each have input_dim={input_dim} "
            f"values. Received: {mean.size} and {variance.size} values"
        )
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(variance))):
        raise ValueError("`normalization` must be finite. Received NaN or inf values")
    if np.any(variance < 0):
        raise ValueError("`normalization` variance must be >= 0. Received a negative")
    too_big = (variance > FLOAT32_MAX) | (np.abs(mean) > FLOAT32_MAX)
    if np.any(too_big):
        index = int(np.argmax(too_big))
        raise overflow_error(index, variance[index])
    return mean.astype(np.float32), scale_constant_by_one(variance)


def feature_input(input_dim, normalization=None):
    """Builds the model input and, if asked, its normalisation layer.

    Args:
        input_dim: Number of input features (``d`` in the lecture).
        normalization: ``None`` or ``(mean, variance)`` of the training split.

    Returns:
        ``(inputs, x)``: the ``keras.Input`` and the tensor the model uses.
    """
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
