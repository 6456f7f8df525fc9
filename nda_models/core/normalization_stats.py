"""Per-feature normalisation statistics, safe for constant and huge features.

A model standardises its inputs with ``(x - mean) / sqrt(variance)`` (a
``keras.layers.Normalization`` layer, see ``zoo/inputs.py``). Two kinds of
feature break that formula in float32:

- **constant (or nearly constant) features**, e.g. the always-blank border
  pixels of ``digits``. With variance 0, Keras divides by its epsilon 1e-7, so
  a value that differs at prediction time becomes about 1e7 and the model's
  answers are garbage. As scikit-learn's ``StandardScaler`` does, such a
  feature is *scaled by 1*: its variance is replaced by 1, so it is only
  centred. "Nearly constant" uses scikit-learn's threshold for float32 scales
  (``sklearn.preprocessing._data._handle_zeros_in_scale``): a standard
  deviation below ``10 * eps(float32)`` ≈ 1.19e-6;
- **huge features** (values around 1e20): the variance overflows float32, so
  they cannot be standardised inside the model at all. They are refused,
  naming the column, before any training.

Every place that computes or accepts statistics goes through this module:
``Dataset.normalization``, the builders' ``normalization=`` and bundles
loaded from disk (older bundles may hold a variance of 0).
"""

import numpy as np

from nda_models.core.lazy_module import lazy_module

keras = lazy_module("keras")

FLOAT32_MAX = float(np.finfo(np.float32).max)
# scikit-learn's _handle_zeros_in_scale: scale < 10 * eps(dtype) counts as 0.
NEAR_ZERO_STD = 10 * float(np.finfo(np.float32).eps)


def near_constant(variance):
    """Boolean mask of the features whose standard deviation is below
    ``NEAR_ZERO_STD`` (they are scaled by 1)."""
    variance = np.asarray(variance, dtype=np.float64)
    return np.sqrt(np.maximum(variance, 0.0)) < NEAR_ZERO_STD


def scale_constant_by_one(variance):
    """Returns ``variance`` (float32) with 1 for near-constant features.

    Example:
        >>> scale_constant_by_one([0.0, 4.0, 1e-14]).tolist()
        [1.0, 4.0, 1.0]
    """
    variance = np.array(variance, dtype=np.float32).reshape(-1)
    variance[near_constant(variance)] = 1.0
    return variance


def feature_label(index, feature_names=None):
    """``"column 'age'"`` when names are known, else ``"feature 3"``."""
    if feature_names is not None and index < len(feature_names):
        return f"column {feature_names[index]!r}"
    return f"feature {index}"


def overflow_error(index, variance, feature_names=None, largest=None):
    """The ValueError for a feature whose standardisation overflows float32."""
    what = feature_label(index, feature_names)
    seen = "" if largest is None else f" (values up to {largest:.3g})"
    return ValueError(
        f"Cannot normalise {what}: its variance {variance:.3g} overflows float32 "
        f"(largest float32 is {FLOAT32_MAX:.3g}), so the model cannot standardise "
        "it. Rescale that column (e.g. divide it by a power of ten) or train "
        "without normalisation (`nda train ... --no-normalize`, or "
        f"normalize=False / normalization=None). Received: {what}{seen}"
    )


def compute_normalization(x, feature_names=None):
    """Returns ``(mean, variance)`` of the rows of ``x``, as float32 arrays.

    Statistics are accumulated in float64; the variance is the population
    variance (``ddof=0``, as ``keras.layers.Normalization.adapt``), with 1 for
    near-constant features (see the module docstring).

    Args:
        x: (n, d) array of training features.
        feature_names: Names of the columns, for error messages.

    Returns:
        A tuple ``(mean, variance)`` of float32 arrays of shape ``(d,)``.

    Raises:
        ValueError: if a feature cannot be standardised in float32 (naming it).

    Example:
        >>> mean, variance = compute_normalization([[1.0, 5.0], [3.0, 5.0]])
        >>> variance.tolist()  # the constant column is scaled by 1
        [1.0, 1.0]
    """
    x = np.asarray(x, dtype=np.float64)
    if x.shape[0] == 0:
        zeros = np.zeros(x.shape[1])
        return from_moments(zeros, zeros, zeros, zeros, feature_names)
    return from_moments(
        x.mean(axis=0), x.var(axis=0), x.min(axis=0), x.max(axis=0), feature_names
    )


def from_moments(mean, variance, low, high, feature_names=None):
    """Checks float64 per-feature moments and returns the float32 pair.

    Args:
        mean, variance: Per-feature mean and population variance (float64).
        low, high: Per-feature smallest and largest values seen.
        feature_names: Names of the columns, for error messages.

    Returns:
        ``(mean, variance)`` as float32, near-constant features given 1.

    Raises:
        ValueError: if a feature cannot be standardised in float32.
    """
    mean, variance = np.asarray(mean), np.asarray(variance)
    low, high = np.asarray(low), np.asarray(high)
    largest = np.maximum(high - mean, mean - low)  # the largest |x - mean|
    too_big = (variance > FLOAT32_MAX) | (largest > FLOAT32_MAX)
    if np.any(too_big):
        i = int(np.argmax(too_big))
        seen = float(max(abs(low[i]), abs(high[i])))
        raise overflow_error(i, variance[i], feature_names, seen)
    return mean.astype(np.float32), scale_constant_by_one(variance)


def scale_loaded_constant_features_by_one(model):
    """Gives near-constant features of a loaded model's ``Normalization``
    layers a variance of 1 (bundles saved before this rule held 0).

    Args:
        model: A built ``keras.Model``; changed in place.

    Returns:
        The number of features whose variance was replaced.
    """
    replaced = 0
    for layer in model.layers:
        if type(layer).__name__ != "Normalization" or layer.input_variance is None:
            continue
        variance = np.asarray(layer.input_variance, dtype=np.float64)
        mask = near_constant(variance)
        if not np.any(mask):
            continue
        fixed = np.where(mask, 1.0, variance)
        layer.input_variance = fixed.tolist()
        shape = tuple(layer.variance.shape)
        tensor = keras.ops.reshape(keras.ops.convert_to_tensor(fixed), shape)
        layer.variance = keras.ops.cast(tensor, layer.compute_dtype)
        replaced += int(mask.sum())
    return replaced
