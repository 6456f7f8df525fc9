"""The regressors learn the standardised target and fold its scale back.

A learning rate, a tolerance or a divergence limit that works for y in
[0, 1] fails for y in the thousands (Adam moves each weight by about η per
step; the squared loss grows with y²). So ``NDARegressor`` trains on
z = (y − ȳ) / s_y (s_y the standard deviation, 1 for a constant target) and
folds the scale into the model's linear output layer afterwards,

    ŷ = s_y (w·h + b) + ȳ = (s_y w)·h + (s_y b + ȳ),

so ``model_`` and its bundle output y's units. This needs a linear
``Dense`` output (both zoo regressors have one); other models train on y as
it is (scale 1, mean 0). The loss and metrics of ``history_`` are given in
y's units: the squared loss × s_y², the mean absolute error × s_y.

Example:
    >>> target_scale(np.array([1.0, 3.0]))
    (2.0, 1.0)
"""

import numpy as np

from nda_models.core.lazy_module import lazy_module
from nda_models.core.normalization_stats import near_constant

keras = lazy_module("keras")

# How each logged value scales with s_y (its power); others are unitless.
_UNITS = {"loss": 2, "mean_squared_error": 2, "mean_absolute_error": 1,
          "root_mean_squared_error": 1}  # fmt: skip
IDENTITY = (0.0, 1.0)


def target_scale(y, centre=True):
    """``(mean, scale)`` of the target: its mean and standard deviation (1
    for a (near-)constant target, as ``StandardScaler`` does). Without
    ``centre`` (an output layer without bias) the mean is 0 and the scale
    the root mean square."""
    y = np.asarray(y, dtype=np.float64)
    mean = float(np.mean(y)) if centre and y.size else 0.0
    scale = float(np.sqrt(np.mean((y - mean) ** 2))) if y.size else 1.0
    if near_constant([scale**2])[0]:
        scale = 1.0
    return mean, scale


def foldable(model):
    """True if ``model`` ends with a linear ``Dense`` layer of one unit."""
    last = model.layers[-1]
    return (
        isinstance(last, keras.layers.Dense)
        and last.units == 1
        and last.activation is keras.activations.linear
    )


def standardized(y, scale):
    """z = (y − mean) / scale, float32."""
    mean, spread = scale
    return ((np.asarray(y, dtype=np.float64) - mean) / spread).astype(np.float32)


def fold(model, scale):
    """Rescales ``model``'s output layer in place so it outputs y, not z."""
    mean, spread = scale
    if (mean, spread) == IDENTITY:
        return
    last = model.layers[-1]
    kernel = np.asarray(last.kernel, dtype=np.float64)
    last.kernel.assign((kernel * spread).astype(np.float32))
    if last.use_bias:  # else the mean is 0: see target_scale(centre=False)
        bias = np.asarray(last.bias, dtype=np.float64)
        last.bias.assign((bias * spread + mean).astype(np.float32))


def unfolded_values(model, scale):
    """The values of ``model.variables`` with ``fold`` undone (the z space
    the run trains in)."""
    mean, spread = scale
    last = model.layers[-1]
    values = [v.numpy() for v in model.variables]
    if (mean, spread) == IDENTITY:
        return values
    for i, variable in enumerate(model.variables):
        value = values[i].astype(np.float64)
        if variable.path == last.kernel.path:
            values[i] = (value / spread).astype(np.float32)
        elif last.use_bias and variable.path == last.bias.path:
            values[i] = ((value - mean) / spread).astype(np.float32)
    return values


def in_target_units(logs, scale):
    """The per-epoch logs with losses and errors in y's units."""
    spread = scale[1]
    converted = {}
    for key, values in logs.items():
        power = _UNITS.get(key.removeprefix("val_"), 0)
        converted[key] = [float(v) * spread**power for v in values]
    return converted
