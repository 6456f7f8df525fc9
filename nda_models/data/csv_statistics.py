"""``csv_normalization``: normalisation statistics of a CSV file too large
for memory, to pair with ``stream_csv``.

One pass over the file in chunks of ``chunk_rows`` rows, read as
``load_dataset("csv:...")`` reads a file (rows with too many or too few
fields, bytes that are not text in the encoding are refused naming the line;
gzip, bzip2 and xz files are read decompressed), every feature cell a finite
number; the per-chunk mean
and sum of squared deviations are merged with Chan, Golub and LeVeque's
pairwise update (float64), so memory depends on the chunk size only. The
result follows the same rules as ``Dataset.normalization`` (see
``normalization_stats``): constant features get variance 1, columns too
large for float32 are refused by name.
"""

import numpy as np

from nda_models.core.constraints import POSITIVE_INT
from nda_models.core.lazy_module import lazy_module
from nda_models.core.normalization_stats import from_moments
from nda_models.data.csv_read import (
    check_csv_path,
    check_row_widths,
    read_cell_chunks,
    row_and_line,
)
from nda_models.data.csv_schema import resolve_schema

pd = lazy_module("pandas")


def csv_normalization(path, *, target=None, features=None, chunk_rows=100_000):
    """Per-feature ``(mean, variance)`` of a CSV file, read in chunks.

    Args:
        path: CSV file whose first line names the columns (as ``stream_csv``).
        target: Target column name (default: the last column).
        features: Feature column names (default: every other column).
        chunk_rows: Rows read at a time (bounds the memory).

    Returns:
        A tuple ``(mean, variance)`` of float32 arrays, one value per feature,
        for ``build_model(..., normalization=...)``.

    Raises:
        ValueError: for a bad header, a cell that is not a number or is
            missing, or a column too large to standardise in float32.

    Example:
        >>> import pathlib
        >>> rows = "".join(f"{i},{2 * i},{i % 3}\\n" for i in range(5))
        >>> _ = pathlib.Path("big.csv").write_text("a,b,y\\n" + rows)
        >>> mean, variance = csv_normalization("big.csv", target="y", chunk_rows=2)
        >>> mean.tolist(), variance.tolist()
        ([2.0, 4.0], [2.0, 8.0])
        >>> model = nda.build_model("mlp_regressor", input_dim=2,
        ...                         normalization=(mean, variance))
    """
    chunk_rows = POSITIVE_INT.check("chunk_rows", chunk_rows)
    path = check_csv_path(path)
    moments, schema = None, None
    for header, first, rows in read_cell_chunks(path, chunk_rows):
        if schema is None:
            schema = resolve_schema(path, header, target=target, features=features)
            moments = _Moments(len(schema.features))
        check_row_widths(path, rows, len(header))
        columns = [
            _numeric(path, name, rows[index], first)
            for name, index in zip(schema.features, schema.feature_indices, strict=True)
        ]
        moments.add(np.stack(columns, axis=1))
    if moments.count == 0:
        raise ValueError(
            f"CSV file '{path}' has no data rows, so no statistics. Received: "
            "a header only"
        )
    return from_moments(
        moments.mean, moments.sum_squares / moments.count, moments.low,
        moments.high, schema.features,
    )  # fmt: skip


def _numeric(path, name, cells, first_row):
    """One column of a chunk as float64, refusing text and missing cells by
    row (``first_row``: the 0-based data row of ``cells[0]``)."""
    numbers = pd.to_numeric(cells, errors="coerce").to_numpy(np.float64)
    bad = np.flatnonzero(~np.isfinite(numbers))
    if bad.size:
        row = first_row + int(bad[0]) + 1
        line, _ = row_and_line(path, row, "utf-8")
        raise ValueError(
            f"CSV file '{path}', column '{name}', row {row}: the cell is not a "
            f"finite number (line {line}). Fix or drop that row. Received: "
            f"{cells.iloc[int(bad[0])]!r}"
        )
    return numbers


class _Moments:
    """Running count, mean, sum of squared deviations, min and max."""

    def __init__(self, width):
        self.count = 0
        self.mean = np.zeros(width)
        self.sum_squares = np.zeros(width)
        self.low = np.full(width, np.inf)
        self.high = np.full(width, -np.inf)

    def add(self, values):
        n = values.shape[0]
        if n == 0:
            return
        mean = values.mean(axis=0)
        squares = ((values - mean) ** 2).sum(axis=0)
        total = self.count + n
        delta = mean - self.mean
        # Chan et al.: merge two groups' means and squared deviations.
        self.sum_squares += squares + delta**2 * self.count * n / total
        self.mean += delta * n / total
        self.count = total
        self.low = np.minimum(self.low, values.min(axis=0))
        self.high = np.maximum(self.high, values.max(axis=0))
