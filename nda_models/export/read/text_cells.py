"""Which text cells are numbers: the rule of the CSV readers, for ``predict`` too.

Text reaches ``predict`` as a NumPy array of strings or an object column of
a DataFrame (``nda predict`` reads a column holding one odd cell as text).
NumPy turns text into floats with Python's ``float()``, which also reads
``'1_5'`` as 15 (digit grouping), ``'١٢'`` as 12 (Arabic-Indic digits) and
``'３'`` as 3 (full-width digits), where ``load_dataset``, ``stream_csv``
and pandas refuse the cell. A typo such as ``1_5`` for ``1.5`` then gives a
prediction for 15, silently. So a text cell counts as a number only if
pandas reads it as one (``pd.to_numeric``, as ``data.csv_cells`` does);
NaN spellings stay NaN (refused later as missing values).

Example:
    >>> first_misread_cell(np.array([["1.5", "2"], ["1_5", "3"]]))
    (1, 0)
    >>> first_misread_cell(np.array([[" 1e3 ", "nan"]], dtype=object)) is None
    True
"""

import numpy as np

from nda_models.core.lazy_module import lazy_module

pd = lazy_module("pandas")


def first_misread_cell(x):
    """``(row, column)`` of the first text cell that ``float()`` reads as a
    number and pandas does not, or None.

    Args:
        x: A 2-D NumPy array of text (``U``/``S``) or objects.
    """
    is_text = np.frompyfunc(lambda value: isinstance(value, str | bytes), 1, 1)
    rows, cols = np.nonzero(is_text(x).astype(bool))
    if not len(rows):
        return None
    cells = [_text(x[row, col]) for row, col in zip(rows, cols, strict=True)]
    parsed = pd.to_numeric(pd.Series(cells, dtype=object), errors="coerce")
    for i in np.flatnonzero(np.isnan(parsed.to_numpy(dtype=np.float64))):
        if not np.isnan(_python_float(cells[i])):
            return int(rows[i]), int(cols[i])
    return None


def _text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _python_float(text):
    try:
        return float(text)
    except ValueError:
        return float("nan")  # not a number for either: reported elsewhere
