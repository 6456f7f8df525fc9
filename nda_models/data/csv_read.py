"""Reading a CSV file as a grid of text cells, with clear errors for bad files.

pandas reads every cell as text (``header=None, dtype=str``), so nothing is
guessed at this stage: no column becomes an index, no cell becomes NaN
behind our back. Numbers are parsed later, column by column, where a bad cell
can be reported with its column and row. Rows are numbered from 1 after the
header, blank lines not counted (as pandas skips them); messages also give the
line of the file.
"""

import csv
import pathlib


class CsvFileNotFoundError(FileNotFoundError, ValueError):
    """A missing CSV file: a ``ValueError`` (bad input) and a ``FileNotFoundError``."""


def check_csv_path(path):
    """Returns ``path`` as a ``pathlib.Path`` of an existing, non-empty file.

    Example:
        >>> check_csv_path("missing.csv")
        Traceback (most recent call last):
        ...
        nda_models.data.csv_read.CsvFileNotFoundError: CSV file 'missing.csv' ...
    """
    if not isinstance(path, str | pathlib.PurePath):
        raise TypeError(f"A CSV path must be a str or Path. Received: path={path!r}")
    path = pathlib.Path(path)
    if not path.exists():
        raise CsvFileNotFoundError(
            f"CSV file '{path}' does not exist. Check the path (relative paths "
            f"start at the working directory). Received: path='{path}'"
        )
    if path.is_dir():
        raise ValueError(
            f"CSV path '{path}' is a directory. Give the path of a .csv file. "
            f"Received: path='{path}'"
        )
    if path.stat().st_size == 0:
        raise ValueError(
            f"CSV file '{path}' is empty. Expected a header line of column names "
            "followed by one line per row."
        )
    return path


def read_cells(path, *, encoding="utf-8", nrows=None):
    """Reads the CSV as text: ``(header, rows)`` with ``rows`` a DataFrame of str.

    Args:
        path: Path of an existing, non-empty file (see ``check_csv_path``).
        encoding: Text encoding of the file.
        nrows: Read only the header and this many rows (``None``: all rows).

    Returns:
        ``(header, rows)``: a list of column names, and a DataFrame of str
        cells with ``len(header)`` columns numbered ``0..k-1``. Missing cells
        are empty strings.

    Example:
        >>> header, rows = read_cells(check_csv_path("data.csv"))  # doctest: +SKIP
    """
    import pandas as pd

    try:
        grid = pd.read_csv(
            path,
            header=None,
            dtype=str,
            keep_default_na=False,
            index_col=False,
            encoding=encoding,
            nrows=None if nrows is None else nrows + 1,
        )
    except pd.errors.EmptyDataError:
        raise ValueError(
            f"CSV file '{path}' has no text, only blank lines. Expected a header "
            "line of column names followed by one line per row."
        ) from None
    except UnicodeDecodeError as error:
        raise _decode_error(path, encoding, error) from None
    except pd.errors.ParserError:
        raise _field_count_error(path, encoding) from None
    header = list(grid.iloc[0])
    rows = grid.iloc[1:].reset_index(drop=True)
    rows.columns = range(len(header))
    if len(rows) == 0:
        raise ValueError(
            f"CSV file '{path}' has a header but no data rows. Add at least one "
            f"row of values under the header. Received: header={header}"
        )
    return header, rows


def _scan(path, encoding):
    """Yields ``(row, line, fields)`` for the header (row 0) and every data row."""
    with open(path, newline="", encoding=encoding, errors="replace") as file:
        reader = csv.reader(file)
        row = 0
        for fields in reader:
            if not fields:
                continue
            yield row, reader.line_num, fields
            row += 1


def _field_count_error(path, encoding):
    """The ``ValueError`` for a row whose field count differs from the header."""
    error = width_mismatch_error(path, encoding)
    if error is not None:
        return error
    return ValueError(
        f"CSV file '{path}' could not be parsed: check for unbalanced quotes. "
        "Every row must have as many fields as the header."
    )


def width_mismatch_error(path, encoding):
    """A ``ValueError`` for the first row with too many or too few fields, or None."""
    header_width = None
    for row, line, fields in _scan(path, encoding):
        if header_width is None:
            header_width = len(fields)
        elif len(fields) != header_width:
            return row_width_error(path, row, line, fields, header_width)
    return None


def row_width_error(path, row, line, fields, header_width):
    """The message for a row with too many or too few fields."""
    where = f"CSV file '{path}', row {row} (line {line})"
    if row == 1 and len(fields) == header_width + 1 and fields[-1] == "":
        return ValueError(
            f"{where}: the rows end with a trailing comma, giving "
            f"{len(fields)} fields for {header_width} column names. Remove the "
            "trailing comma from every row (or name the extra column in the header)."
        )
    kind = "too many" if len(fields) > header_width else "too few"
    return ValueError(
        f"{where} has {kind} fields: {len(fields)} where the header has "
        f"{header_width}. Give every row one value per column; quote cells that "
        f"contain commas. Received: {_preview(fields)}"
    )


def _preview(fields, limit=8):
    shown = ",".join(fields[:limit])
    return shown + (",..." if len(fields) > limit else "")


def _decode_error(path, encoding, error):
    """The ``ValueError`` for a file that is not text in ``encoding``."""
    line_number, bad_byte = None, None
    with open(path, "rb") as file:
        for line_number, raw in enumerate(file, start=1):  # noqa: B007
            try:
                raw.decode(encoding)
            except UnicodeDecodeError as line_error:
                bad_byte = raw[line_error.start : line_error.start + 1]
                break
    where = f" at line {line_number} (byte {bad_byte!r})" if bad_byte else ""
    return ValueError(
        f"CSV file '{path}' is not {encoding} text{where}. Re-save it as UTF-8, or "
        f"pass the file's encoding, e.g. encoding='latin-1'. Received: {error.reason}"
    )


def row_and_line(path, row, encoding):
    """The file line of data row ``row`` and its fields, for messages."""
    for index, line, fields in _scan(path, encoding):
        if index == row:
            return line, fields
    return row + 1, None
