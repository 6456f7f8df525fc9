"""CSV text cells that a spreadsheet would run as formulas, defused.

A CSV that nda_models writes (``nda runs --export``, ``nda predict
--output``) holds text from elsewhere: run folder names (a class's shared
log folder holds what each student named theirs), HParams, class names of a
bundle. Excel, LibreOffice and Google Sheets read a cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula
(``=HYPERLINK(...)``, ``=cmd|...``): CSV injection. As OWASP advises, such
a text cell is written with a leading ``'``, which spreadsheets show as
text; a text cell that is a number (``"-1"``, ``"+2.5"``, a class name) is
left as it is, and so are numeric columns.

Example:
    >>> defused_cell('=HYPERLINK("http://example.com")')
    '\\'=HYPERLINK("http://example.com")'
    >>> defused_cell("-1"), defused_cell("lr=0.1"), defused_cell(3)
    ('-1', 'lr=0.1', 3)
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defused_cell(value):
    """``value`` with a leading ``'`` if a spreadsheet would read it as a formula.

    Args:
        value: A cell (only ``str`` cells can be formulas).

    Returns:
        The cell to write.
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value  # a number written as text


def defused_frame(frame):
    """A copy of the ``pandas.DataFrame`` ``frame`` with every text cell and
    column name that a spreadsheet would run as a formula defused.

    Example:
        >>> import pandas as pd
        >>> defused_frame(pd.DataFrame({"run": ["=1+2", "a"]}))["run"].tolist()
        ["'=1+2", 'a']
    """
    frame = frame.rename(columns=defused_cell)
    text = [name for name in frame.columns if frame[name].dtype.kind == "O"]
    for name in text:
        frame[name] = frame[name].map(defused_cell)
    return frame
