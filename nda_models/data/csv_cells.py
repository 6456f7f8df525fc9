"""Parsing CSV text cells as numbers, with errors naming column, row and line.

As scikit-learn's ``check_array``: a feature must be a finite number (no NaN,
no inf), and here also within the float32 range, since models train in float32.
"""

import numpy as np

from nda_models.core.lazy_module import lazy_module
from nda_models.data.csv_read import row_and_line

pd = lazy_module("pandas")

FLOAT32_MAX = float(np.finfo(np.float32).max)
MISSING_TEXT = ("", "nan", "na", "n/a", "null", "none")


def cell_error(path, column, index, encoding, problem, fix, received=None):
    """The ``ValueError`` for cell ``index`` (0-based data row) of ``column``;
    ``received`` (the cell's text) ends the message as ``Received: ...``."""
    row = int(index) + 1
    line, _ = row_and_line(path, row, encoding)
    tail = "" if received is None else f" Received: {received!r}"
    return ValueError(
        f"CSV file '{path}', column '{column}', row {row} (line {line}): {problem}. "
        f"{fix}{tail}"
    )


def numeric_column(path, name, cells, encoding="utf-8"):
    """Parses one column of text cells as float64, rejecting bad cells.

    Args:
        path: File path, for messages.
        name: Column name, for messages.
        cells: pandas Series of str, indexed from 0 (data row 1).
        encoding: File encoding, to find the line of a bad cell.

    Returns:
        A float64 NumPy array of finite values within the float32 range.

    Example:
        >>> import pandas as pd
        >>> numeric_column("f.csv", "x", pd.Series(["1", "2.5"]))
        array([1. , 2.5])
    """
    values = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values) | (np.abs(values) > FLOAT32_MAX)
    if not bad.any():
        return values
    index = int(np.flatnonzero(bad)[0])
    text, value = str(cells.iloc[index]), values[index]
    problem, fix = _describe_bad(text, value)
    raise cell_error(path, name, index, encoding, problem, fix, received=text)


def _describe_bad(text, value):
    """``(problem, fix)`` for a cell that is not a usable float32 number."""
    if text.strip().lower() in MISSING_TEXT:
        return (
            f"missing value (cell {text!r})",
            "Fill the cell or drop the row (e.g. DataFrame.dropna()); missing "
            "values are not allowed, as in scikit-learn's check_array.",
        )
    if np.isnan(value):
        return (
            f"the cell {text!r} is not a number",
            "Write a plain number such as 1.5, or leave the column out with "
            "features=[...].",
        )
    if "inf" in text.lower():
        return (f"the cell {text!r} is infinite", "Replace it with a finite number.")
    return (
        f"the value {text!r} is too large for float32 (|x| > {FLOAT32_MAX:.4g})",
        "Rescale the column (e.g. change its unit) so every value fits float32.",
    )
