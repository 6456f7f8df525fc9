"""Checks of the data given to ``fit`` / ``evaluate``, before any graph runs.

Arrays are converted once: features to float32 (n, d), labels to float32
(regression) or int32 class indices (classification), shape (n,).
"""

import numpy as np

from nda_models.zoo.tasks import CLASSIFICATION


def check_not_complex(values, name):
    """Raises ``TypeError`` for complex numbers (casting would drop the
    imaginary part without a word)."""
    if np.iscomplexobj(values):
        raise TypeError(
            f"`{name}` holds complex numbers; the models take real values. Pass "
            f"the real part ({name}.real) or the magnitude (np.abs({name})) "
            f"explicitly. Received: {name} of dtype {np.asarray(values).dtype}"
        )


def check_features(x, input_dim, name="x"):
    """Returns ``x`` as a float32 (n, input_dim) array, else raises."""
    check_not_complex(x, name)
    try:
        x = np.asarray(x, dtype=np.float32)
    except (TypeError, ValueError):
        raise TypeError(
            f"`{name}` must be a numeric array of shape (n, {input_dim}) or a "
            f"tf.data.Dataset. Received: {name} of type {type(x).__name__}"
        ) from None
    if x.ndim != 2:
        raise ValueError(
            f"`{name}` must be 2-D, shape (n_samples, n_features); reshape a single "
            f"feature with x.reshape(-1, 1). Received: {name}.shape={x.shape}"
        )
    if x.shape[0] == 0:
        raise ValueError(f"`{name}` has no rows. Received: {name}.shape={x.shape}")
    if x.shape[1] != input_dim:
        raise ValueError(
            f"`{name}` has {x.shape[1]} features but the model expects "
            f"input_dim={input_dim}. Build the model with input_dim={x.shape[1]} or "
            f"select the right columns. Received: {name}.shape={x.shape}"
        )
    bad = np.argwhere(~np.isfinite(x))
    if bad.size:
        row, column = (int(i) for i in bad[0])
        raise ValueError(
            f"`{name}` contains NaN or inf ({len(bad)} values), first at row {row}, "
            f"column {column}. Drop or impute those rows. "
            f"Received: {name}[{row}, {column}]={x[row, column]}"
        )
    return np.ascontiguousarray(x)


def check_labels(y, n, task, num_classes, name="y"):
    """Returns ``y`` as a (n,) float32 or int32 array, else raises.

    Args:
        y: Labels: real targets for regression, class indices otherwise.
        n: Number of rows of the features.
        task: ``"regression"``, ``"binary"``, ``"multiclass"`` or ``None``.
        num_classes: Number of classes of the model (classification).
        name: Argument name for messages.

    Example:
        >>> check_labels([0, 2, 1], 3, "multiclass", 3).dtype
        dtype('int32')
        >>> check_labels([0, 3], 2, "multiclass", 3)
        Traceback (most recent call last):
        ValueError: ...
    """
    if y is None:
        raise ValueError(
            f"`{name}` is required with array features (it may be None only when x "
            f"is a tf.data.Dataset of (features, labels)). Received: {name}=None"
        )
    y = np.asarray(y)
    check_not_complex(y, name)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1 or y.shape[0] != n:
        raise ValueError(
            f"`{name}` must hold one label per row of x, shape ({n},). "
            f"Received: {name}.shape={y.shape}"
        )
    if not np.issubdtype(y.dtype, np.number) and y.dtype != bool:
        raise TypeError(
            f"`{name}` must be numeric (encode class names as 0..c-1). "
            f"Received: dtype {y.dtype}"
        )
    if not np.all(np.isfinite(y)):
        raise ValueError(f"`{name}` contains NaN or inf. Received: {name}={y[:5]}...")
    if task not in CLASSIFICATION:
        return y.astype(np.float32)
    return _class_indices(y, num_classes, name)


def _class_indices(y, num_classes, name):
    if np.any(y != np.round(y)):
        raise ValueError(
            f"`{name}` must be integer class indices 0..{num_classes - 1} for a "
            f"classifier. Received non-integer labels such as {y[y != np.round(y)][0]}"
        )
    outside = (y < 0) | (y >= num_classes)
    if np.any(outside):
        raise ValueError(
            f"`{name}` has labels outside 0..{num_classes - 1}, the classes of this "
            f"model (num_classes={num_classes}). Re-encode the labels or build the "
            f"model with more classes. Received: {name} contains "
            f"{sorted(set(y[outside].tolist()))[:5]}"
        )
    return y.astype(np.int32)
