"""Checks of what a runtime answered, before it becomes a prediction.

Two kinds of trouble are caught here rather than shown as an ``IndexError``
or as NaN beside a class name:

- a model.onnx that gives outputs of the wrong type or shape, or a class
  index outside the classes (a re-signed or damaged graph whose declared
  outputs look right; ``onnx_graph`` checks the declarations at load):
  "corrupt or incomplete bundle";
- outputs that are not finite (NaN or infinity) for finite inputs, from
  either runtime: features far outside the range the model was trained on
  (around ±3e38 a normalised feature overflows float32). That is a
  ``ValueError`` naming the rows: the input is refused, not answered.

Example:
    >>> outputs = {"predictions": np.array([1.5, np.nan], np.float32)}
    >>> check_finite(outputs, np.array([[1.0], [3e38]], np.float32))
    Traceback (most recent call last):
    ...
    ValueError: The model's output is not finite (NaN or infinity) for 1 of 2 rows
    (row 1): ...
"""

import numpy as np

from nda_models.export.format.bundle_layout import ONNX_FILE, corrupt_bundle

_NUMERIC = ("predictions", "probabilities", "decision")


def check_structure(outputs, kind, rows, num_classes, folder):
    """Refuses ONNX Runtime outputs that do not fit the bundle.

    Args:
        outputs: ``{name: array}`` from the session.
        kind: The output kind.
        rows: The number of input rows.
        num_classes: The number of classes (classifiers), else ``None``.
        folder: The bundle, for the message.

    Raises:
        ValueError: "corrupt or incomplete bundle" for a wrong dtype, shape
            or class index.
    """
    for name, values in outputs.items():
        if name == "class_index":
            problem = _index_problem(values, rows, num_classes)
        else:
            problem = _numeric_problem(name, values, rows, kind, num_classes)
        if problem:
            raise corrupt_bundle(folder, f"{ONNX_FILE} gave {problem}")


def _index_problem(values, rows, num_classes):
    if values.dtype != np.int32 or values.shape != (rows,):
        return f"'class_index' of {values.dtype} {values.shape}, not int32 ({rows},)"
    if num_classes is None or not rows:  # no class names: nothing to check
        return ""
    if values.min() < 0 or values.max() >= num_classes:
        row = int(np.flatnonzero((values < 0) | (values >= num_classes))[0])
        return (
            f"the class index {int(values[row])} for row {row}, outside the "
            f"{num_classes} classes 0..{num_classes - 1}"
        )
    return ""


def _numeric_problem(name, values, rows, kind, num_classes):
    if name == "probabilities":
        shape = (rows, 2 if kind.startswith("binary") else num_classes)
    elif name == "predictions" and values.ndim == 2:
        shape = (rows, values.shape[1])
    else:
        shape = (rows,)
    if values.dtype != np.float32 or values.shape != shape:
        return f"{name!r} of {values.dtype} {values.shape}, not float32 {shape}"
    return ""


def check_finite(outputs, features):
    """Refuses answers that are NaN or infinite for finite ``features``.

    Raises:
        ValueError: naming the rows (first five) and the largest feature
            value among them.
    """
    numeric = [outputs[name] for name in _NUMERIC if name in outputs]
    if all(np.isfinite(values).all() for values in numeric):
        return  # the common case, one pass over each output
    bad = np.zeros(len(features), bool)
    for values in numeric:
        bad |= ~np.isfinite(values.reshape(len(features), -1)).all(axis=1)
    rows = np.flatnonzero(bad)
    shown = ", ".join(str(int(row)) for row in rows[:5])
    more = f" and {rows.size - 5} more" if rows.size > 5 else ""
    largest = float(np.abs(features[rows]).max())
    raise ValueError(
        f"The model's output is not finite (NaN or infinity) for {rows.size} of "
        f"{len(features)} rows (row{'s' if rows.size > 1 else ''} {shown}{more}): "
        "their features are probably far outside the range the model was "
        "trained on, where float32 arithmetic overflows. Check or rescale those "
        f"rows. Received: largest |feature| in them {largest:.3g}"
    )
