"""Reading a CSV file as a grid of text cells, with clear errors for bad files.

pandas reads every cell as text (``header=None, dtype=str``), so nothing is
guessed at this stage: no column becomes an index, no cell becomes NaN
behind our back. Numbers are parsed later, column by column, where a bad cell
can be reported with its column and row. Rows are numbered from 1 after the
header, blank lines not counted (as pandas skips them); messages also give the
line of the file. A blank line is empty or only whitespace; the header is the
first line that is not blank. gzip, bzip2 and xz files are read decompressed
(``csv_compression``), and their lines are those of the decompressed text.
"""

import csv
import pathlib

from nda_models.core.lazy_module import lazy_module
from nda_models.data.csv_compression import (
    PANDAS_NAMES,
    compression_of,
    damaged_error,
    open_bytes,
    open_text,
)
from nda_models.data.shown_names import shown_list

pd = lazy_module("pandas")


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
        >>> _ = pathlib.Path("data.csv").write_text("a,y\\n1, 2\\n\\n3,4\\n")
        >>> header, rows = read_cells(check_csv_path("data.csv"))
        >>> header, rows.values.tolist()
        (['a', 'y'], [['1', ' 2'], ['3', '4']])
    """
    header, rows = read_text_grid(path, encoding, nrows)
    check_has_rows(path, header, rows)
    return header, rows


def check_has_rows(path, header, rows):
    """Refuses a file with a header and no data rows (nothing to learn from)."""
    if len(rows) == 0:
        raise ValueError(
            f"CSV file '{path}' has a header but no data rows. Add at least one "
            f"row of values under the header. Received: header={shown_list(header)}"
        )


def read_text_grid(path, encoding="utf-8", nrows=None):
    """``read_cells`` without its refusal of a file with no data rows: a
    header-only file gives ``(header, rows)`` with no rows."""
    size = None if nrows is None else nrows + 1
    with _read_errors(path, encoding):
        grid = _text_grid(path, encoding, nrows=size)
    header = list(grid.iloc[0])
    rows = grid.iloc[1:].reset_index(drop=True)
    rows.columns = range(len(header))
    return header, rows


def read_cell_chunks(path, chunk_rows, *, encoding="utf-8"):
    """Reads the CSV as text in chunks, with the errors of ``read_cells``.

    Yields:
        ``(header, first, rows)``: the column names, the 0-based index of the
        chunk's first data row, and a DataFrame of at most ``chunk_rows`` rows
        of str cells (as ``read_cells`` returns them).
    """
    header, first = None, 0
    with _read_errors(path, encoding):
        for grid in _text_grid(path, encoding, chunksize=chunk_rows):
            if header is None:
                header, grid = list(grid.iloc[0]), grid.iloc[1:]
            rows = grid.reset_index(drop=True)
            rows.columns = range(len(header))
            yield header, first, rows
            first += len(rows)


def _text_grid(path, encoding, **options):
    """``pandas.read_csv`` of every cell as text (see the module docstring)."""
    return pd.read_csv(
        path,
        header=None,
        dtype=str,
        keep_default_na=False,
        index_col=False,
        encoding=encoding,
        compression=PANDAS_NAMES[compression_of(path)],
        **options,
    )


class _read_errors:
    """Context manager: pandas' errors reading ``path`` -> our ``ValueError``."""

    def __init__(self, path, encoding):
        self.path, self.encoding = path, encoding

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        path, encoding = self.path, self.encoding
        if kind is None or not issubclass(kind, Exception):
            return False
        if isinstance(error, pd.errors.EmptyDataError):
            raise ValueError(
                f"CSV file '{path}' has no text, only blank lines. Expected a "
                "header line of column names followed by one line per row."
            ) from None
        if isinstance(error, UnicodeDecodeError):
            raise _decode_error(path, encoding, error) from None
        if isinstance(error, pd.errors.ParserError):
            raise _field_count_error(path, encoding) from None
        if isinstance(error, (OSError, EOFError)) and compression_of(path):
            raise damaged_error(path, compression_of(path), error) from None
        return False


def header_line(path):
    """The line number of the header: the first line that is not blank.

    Example:
        >>> import pathlib
        >>> _ = pathlib.Path("d.csv").write_text("\\n  \\na,y\\n1,2\\n")
        >>> header_line("d.csv")
        3
    """
    with open_bytes(path) as file:
        for number, raw in enumerate(file, start=1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark
            if raw.strip():
                return number
    return 1


def _scan(path, encoding):
    """Yields ``(row, line, fields)`` for the header (row 0) and every data row."""
    with open_text(path, encoding, errors="replace") as file:
        reader = csv.reader(file)
        row = 0
        for fields in reader:
            if reader.line_num == 1 and fields:  # a byte order mark is no text
                fields[0] = fields[0].removeprefix("\ufeff")
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue  # a blank line, skipped as pandas skips it
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


def width_mismatch_error(path, encoding, until_row=None):
    """A ``ValueError`` for the first row with too many or too few fields, or
    None (looking at rows 1 to ``until_row``, or all)."""
    header_width = None
    for row, line, fields in _scan(path, encoding):
        if until_row is not None and row > until_row:
            break
        if header_width is None:
            header_width = len(fields)
        elif len(fields) != header_width:
            return row_width_error(path, row, line, fields, header_width)
    return None


def check_row_widths(path, rows, width, encoding="utf-8", until_row=None):
    """Rows with too few fields read as empty last cells; report them as such
    (looking at the first ``until_row`` rows of the file, or all)."""
    if (rows[width - 1] == "").any():
        error = width_mismatch_error(path, encoding, until_row)
        if error is not None:
            raise error


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
    with open_bytes(path) as file:
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
