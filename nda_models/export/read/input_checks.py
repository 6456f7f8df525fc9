"""Validation of raw inference input: array, list of rows or DataFrame -> float32.

Checked at the boundary, before Keras sees the data, as scikit-learn's
``predict`` does: a 2-D shape, the feature count, numeric values, no NaN or
infinity. Dates, times and durations are not numbers, in any container: a
``datetime64``/``timedelta64`` array or DataFrame column (time-zone aware
included), a Period column, or objects such as ``Timestamp``, ``datetime``
and ``np.datetime64`` in an object column are refused naming the column
(pandas would otherwise turn them into micro- or nanoseconds since 1970,
about 1e15 to 1e18). DataFrame columns are matched to the model's feature
names by name, in any order; missing columns are an error that names them,
extra columns are ignored with a warning.

Example:
    >>> features_array([[5.1, 3.5]], ["petal_length", "petal_width"])
    array([[5.1, 3.5]], dtype=float32)
"""

import datetime
import sys
import warnings

import numpy as np

from nda_models.export.read.text_cells import first_misread_cell

_NUMERIC_KINDS = "fiub"
_TEXT_KINDS = "OUS"
_TIME_KINDS = "mM"  # timedelta64, datetime64
_TIME_OBJECTS = (
    datetime.date,  # and datetime.datetime, pandas.Timestamp
    datetime.time,
    datetime.timedelta,  # and pandas.Timedelta
    np.datetime64,
    np.timedelta64,
)


def features_array(x, feature_names, input_dim=None, *, stacklevel=2):
    """Returns ``x`` as a C-contiguous float32 array of shape (n, input_dim).

    Args:
        x: NumPy array, list of rows, or pandas DataFrame.
        feature_names: The model's feature names in input order, or ``None``.
        input_dim: Number of features (default ``len(feature_names)``).
        stacklevel: Passed to ``warnings.warn`` so warnings point at the caller.

    Raises:
        TypeError: for an unsupported container or a non-numeric dtype.
        ValueError: for a wrong shape or feature count, missing columns, text
            that is not a number, NaN or infinity (naming row and column).
    """
    input_dim = len(feature_names) if input_dim is None else input_dim
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(x, pandas.DataFrame):
        x, row_names = _frame_values(x, feature_names, stacklevel + 1)
    else:
        x, row_names = _array_values(x), None
    x = _check_shape(x, input_dim, feature_names)
    values = _as_float32(x, feature_names, row_names)
    if not np.isfinite(values).all():
        _raise_non_finite(x, values, feature_names, row_names)
    return values


def _array_values(x):
    if isinstance(x, np.ndarray):
        return x
    if x is None or isinstance(x, str | bytes | dict | set):
        raise TypeError(
            "Features must be a NumPy array, a list of rows or a pandas DataFrame. "
            f"Received: x of type {type(x).__name__}"
        )
    try:
        return np.asarray(x)
    except ValueError:
        raise ValueError(
            "The rows of x have different lengths; every row needs one value per "
            "feature. Received: a ragged list of rows"
        ) from None


def _check_shape(x, input_dim, feature_names):
    if x.ndim == 1 and x.size == 0:
        return x.reshape(0, input_dim)
    if x.ndim != 2:
        raise ValueError(
            f"Expected a 2-D array of shape (n_rows, {input_dim}), got a {x.ndim}-D "
            "array. Pass one row as [row] or x.reshape(1, -1). "
            f"Received: x.shape={x.shape}"
        )
    if x.shape[1] != input_dim:
        names = "" if feature_names is None else f" {list(feature_names)}"
        raise ValueError(
            f"x has {x.shape[1]} features, but the model expects {input_dim} "
            f"features{names} in this order. Received: x.shape={x.shape}"
        )
    return x


def _as_float32(x, feature_names, row_names):
    kind = x.dtype.kind
    if x.dtype == np.float32:
        return np.ascontiguousarray(x)
    if kind in _TIME_KINDS:
        raise _time_error(_column_name(0, feature_names), x.dtype)
    if kind == "O":
        _refuse_time_objects(x, feature_names, row_names)
    if kind in _TEXT_KINDS:
        _refuse_misread_text(x, feature_names, row_names)
    if kind in _NUMERIC_KINDS:
        # Values beyond float32's range become inf, reported by the caller.
        with np.errstate(over="ignore"):
            return np.ascontiguousarray(x, dtype=np.float32)
    if kind not in _TEXT_KINDS:
        raise TypeError(
            "Features must be numbers (int, float or bool). Received: x.dtype="
            f"{x.dtype}"
        )
    try:
        with np.errstate(over="ignore"):
            return np.ascontiguousarray(x.astype(np.float64), dtype=np.float32)
    except (TypeError, ValueError):
        row, col = _first_text_cell(x)
    raise ValueError(
        f"The value at {_where(row, col, feature_names, row_names)} is not a "
        f"number; fix or remove that row. Received: {x[row, col]!r}"
    )


def _refuse_time_objects(x, feature_names, row_names):
    """Dates and durations in an object array are refused, naming the cell."""
    for row, col in np.ndindex(*x.shape):
        value = x[row, col]
        if isinstance(value, _TIME_OBJECTS) or type(value).__name__ in (
            "Period",
            "Interval",
        ):
            raise TypeError(
                f"The value at {_where(row, col, feature_names, row_names)} is a "
                f"{type(value).__name__} (a date, time or duration), not a number. "
                "Convert the column to numbers first, as for training (e.g. "
                f"days since a fixed date). Received: {value!r}"
            )


def _refuse_misread_text(x, feature_names, row_names):
    """Text that Python's float() reads but the CSV readers refuse ('1_5')."""
    cell = first_misread_cell(x)
    if cell is not None:
        raise ValueError(
            f"The value at {_where(*cell, feature_names, row_names)} is not a "
            "plain number (load_dataset and stream_csv refuse it; Python would "
            "read digit groups or non-ASCII digits). Write a plain number such "
            f"as 1.5. Received: {str(x[cell])!r}"
        )


def _time_error(column, dtype):
    return TypeError(
        f"Features must be numbers, but the {column} holds dates, times or "
        f"durations ({dtype}); "
        "the model would see micro- or nanoseconds since 1970 (about 1e15 to "
        "1e18). Convert it "
        "to numbers first, as for training (e.g. days since a fixed date). "
        f"Received: {column} of dtype {dtype}"
    )


def _column_name(index, feature_names):
    if feature_names is None:
        return f"column {index}"
    return f"column {feature_names[index]!r}"


def _first_text_cell(x):
    for row, col in np.ndindex(*x.shape):
        try:
            float(x[row, col])
        except (TypeError, ValueError):
            return row, col
    return 0, 0


def _raise_non_finite(x, values, feature_names, row_names):
    row, col = (int(i) for i in np.argwhere(~np.isfinite(values))[0])
    try:
        original = float(x[row, col])
    except (TypeError, ValueError):  # None or pandas.NA in an object array
        original = float("nan")
    if np.isnan(original):
        what = "NaN (a missing value)"
    elif np.isinf(original):
        what = "infinity"
    else:
        what = "a value too large for float32 (|x| > 3.4e38)"
    raise ValueError(
        f"x contains {what} at {_where(row, col, feature_names, row_names)}. Fill "
        "or drop missing values before predicting. Received: "
        f"{int(np.sum(~np.isfinite(values)))} non-finite value(s)"
    )


def _where(row, col, feature_names, row_names):
    column = col if feature_names is None else repr(feature_names[col])
    if row_names is None:
        row_text = f"row {row}"
    else:
        label = row_names[row]
        label = label.item() if isinstance(label, np.generic) else label
        row_text = f"row with index {label!r}"
    return f"{row_text}, column {column}"


def _frame_values(frame, feature_names, stacklevel):
    """Selects the model's columns by name (any order) and returns their values.

    Returns:
        ``(values, index)``: a NumPy array and the frame's row index (used
        only to name a bad row in an error message).
    """
    columns = frame.columns.tolist()
    if feature_names is None or not all(isinstance(c, str) for c in columns):
        _warn_positional(columns, feature_names, stacklevel + 1)
        return _frame_numbers(frame), frame.index
    if columns == list(feature_names):
        return _frame_numbers(frame), frame.index  # fast path: already in order
    position = {name: i for i, name in enumerate(columns)}
    missing = [name for name in feature_names if name not in position]
    if missing:
        raise ValueError(
            f"The DataFrame lacks the column(s) {missing} that the model needs. "
            f"Expected columns (any order): {list(feature_names)}. Received: "
            f"columns={columns}"
        )
    wanted = set(feature_names)
    duplicated = sorted({c for c in columns if c in wanted and columns.count(c) > 1})
    if duplicated:
        raise ValueError(
            "The DataFrame has repeated column names, so they cannot be matched "
            f"to features. Rename them. Received: duplicated columns {duplicated}"
        )
    extra = [c for c in columns if c not in wanted]
    if extra:
        warnings.warn(
            f"Ignoring DataFrame column(s) {extra}: the model does not use them. "
            f"It uses {list(feature_names)}.",
            UserWarning,
            stacklevel=stacklevel,
        )
    selected = frame.take([position[name] for name in feature_names], axis=1)
    return _frame_numbers(selected), frame.index


# pandas dtypes of dates, durations and periods that have no NumPy kind.
_TIME_DTYPES = ("DatetimeTZDtype", "PeriodDtype", "IntervalDtype")


def _frame_numbers(frame):
    """Float64 values with pandas' missing values as NaN; objects if not numeric.

    Raises:
        TypeError: for a column of dates, times, durations or periods.
    """
    values = frame.to_numpy()
    if values.dtype.kind in "fiub":  # only numbers: no date or duration in it
        return values.astype(np.float64, copy=False)
    dtypes = frame.dtypes.tolist()  # once: each .dtypes builds a Series
    for name, dtype in zip(frame.columns, dtypes, strict=True):
        kind = getattr(dtype, "kind", "O")
        if kind in _TIME_KINDS or type(dtype).__name__ in _TIME_DTYPES:
            raise _time_error(f"column {name!r}", dtype)
    if any(dtype.kind == "O" for dtype in dtypes):  # NumPy reads dates as days
        names = [str(name) for name in frame.columns]
        cells = frame.to_numpy(dtype=object)
        _refuse_time_objects(cells, names, frame.index)
        _refuse_misread_text(cells, names, frame.index)
    try:
        return frame.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        return frame.to_numpy()


def _warn_positional(columns, feature_names, stacklevel):
    if feature_names is None and all(isinstance(c, str) for c in columns):
        message = (
            "x has feature names, but the model was saved without feature names; "
            "columns are used by position."
        )
    elif feature_names is not None:
        message = (
            "x does not have valid feature names (not all column names are "
            f"strings), but the model was saved with feature names "
            f"{list(feature_names)}; columns are used by position."
        )
    else:
        return
    warnings.warn(message, UserWarning, stacklevel=stacklevel)
