"""Reading a whole CSV file: chosen columns as numbers, the others as text.

The one reader of whole files: ``load_dataset("csv:...")``, ``nda predict``
and ``nda evaluate`` call it, so each CSV trick has one behaviour. The rules
are those of ``csv_read`` (blank or whitespace-only lines skipped, the header
is the first line that is not, a byte order mark is no text, compression
recognised by its bytes whatever the file's name, every row with one field
per column, UTF-8 checked) and of ``csv_cells`` (a number is what
``pd.to_numeric`` reads: ``1_5``, ``True``, ``١٢`` or ``３`` are not; it must
be finite and fit float32). Errors name the file, column, row and line.

Speed: reading every cell as text, then parsing each column, costs about seven
times what pandas' C parser takes to read the numbers itself (100,000 rows of
16 floats: 0.79 s against 0.11 s, ``benchmarks/bench_csv_read.py``). So the
file is first read that way; the parser accepts exactly the numbers
``to_numeric`` accepts, with the same float64 values (tested), except that it
reads a column of only ``true``/``false`` spellings as booleans. Its result
is kept only if every number column came out as integers or floats that are
finite and fit float32 and pandas warned of no row longer than the header (a
row shorter than the header is found as ``csv_read`` finds it: its last cell
reads as empty, then the lines are counted). Otherwise the file is read again
as text cells and checked cell by cell, which raises the message or gives the
same values.
"""

import lzma
import warnings

import numpy as np

from nda_models.core.lazy_module import lazy_module
from nda_models.data.csv_cells import FLOAT32_MAX, numeric_column
from nda_models.data.csv_compression import PANDAS_NAMES, compression_of
from nda_models.data.csv_read import check_row_widths, read_text_grid

pd = lazy_module("pandas")


def read_header(path, encoding="utf-8"):
    """The column names of a CSV file: its first line that is not blank.

    Example:
        >>> import pathlib
        >>> _ = pathlib.Path("h.csv").write_text("\\ufeff\\n  \\na,b\\n1,2\\n")
        >>> read_header("h.csv")
        ['a', 'b']
    """
    header, _ = read_text_grid(path, encoding, nrows=1)
    return header


def read_columns(path, header, numeric, encoding="utf-8"):
    """Reads every row: the columns at ``numeric`` as float64, the others as text.

    Args:
        path: An existing, non-empty file (see ``csv_read.check_csv_path``).
        header: Its column names (``read_header``).
        numeric: 0-based positions of the columns to read as numbers.
        encoding: Text encoding of the file.

    Returns:
        A DataFrame with columns ``0..len(header)-1``, one row per data row
        (none for a header-only file).

    Raises:
        ValueError: for a row with another field count, text that is not in
            ``encoding``, or a number cell that is not a finite float32
            number, naming the file, column, row and line.

    Example:
        >>> import pathlib
        >>> _ = pathlib.Path("c.csv").write_text("a,name\\n1.5,x\\n  \\n2,y\\n")
        >>> read_columns("c.csv", ["a", "name"], [0]).values.tolist()
        [[1.5, 'x'], [2.0, 'y']]
        >>> _ = pathlib.Path("c.csv").write_text("a,name\\nTrue,x\\n")
        >>> read_columns("c.csv", ["a", "name"], [0])
        Traceback (most recent call last):
        ...
        ValueError: CSV file 'c.csv', column 'a', row 1 (line 2): the cell 'True' ...
    """
    numeric = sorted(set(numeric))
    frame = _parsed_numbers(path, len(header), numeric, encoding)
    if frame is not None:
        return frame
    return read_text_columns(path, header, numeric, encoding)


def read_text_columns(path, header, numeric, encoding="utf-8"):
    """``read_columns`` the slow way, every cell read as text, then the columns
    at ``numeric`` parsed one by one (``csv_cells.numeric_column``): what
    ``read_columns`` does when in doubt, and the rule its fast try must keep."""
    _, rows = read_text_grid(path, encoding)
    if len(rows):
        check_row_widths(path, rows, len(header), encoding)
    for index in numeric:
        rows[index] = numeric_column(path, header[index], rows[index], encoding)
    return rows


def _parsed_numbers(path, width, numeric, encoding):
    """The file read by pandas' number parser, or None where in doubt."""
    text = [index for index in range(width) if index not in numeric]
    compression = PANDAS_NAMES[compression_of(path)]
    try:
        with warnings.catch_warnings():
            # A row longer than the header: pandas would drop its last fields.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                path,
                header=0,
                names=range(width),
                index_col=False,
                na_filter=False,
                dtype=dict.fromkeys(text, str),
                encoding=encoding,
                compression=compression,
                low_memory=False,
            )
    except (ValueError, OSError, EOFError, lzma.LZMAError, pd.errors.ParserWarning):
        return None  # the text reading says what is wrong
    if len(frame) == 0:
        return None
    check_row_widths(path, frame, width, encoding)  # a short row ends in ""
    for index in numeric:
        if frame[index].dtype.kind not in "iuf":
            return None
        values = frame[index].to_numpy(dtype=np.float64)
        if not (np.abs(values) <= FLOAT32_MAX).all():  # also False for NaN
            return None
        frame[index] = values
    return frame
