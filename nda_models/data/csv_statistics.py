"""``csv_normalization``: normalisation statistics of a CSV file too large
for memory, to pair with ``stream_csv``.

One pass over the file in chunks of ``chunk_rows`` rows; the per-chunk mean
and sum of squared deviations are merged with Chan, Golub and LeVeque's
pairwise update (float64), so memory depends on the chunk size only. The
result follows the same rules as ``Dataset.normalization`` (see
``normalization_stats``): constant features get variance 1, columns too
large for float32 are refused by name.
"""

import numpy as np

from nda_models.core.constraints import POSITIVE_INT
from nda_models.data.csv_read import check_csv_path, read_cells
from nda_models.data.csv_schema import resolve_schema


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
        >>> stats = csv_normalization("big.csv", target="y")  # doctest: +SKIP
        >>> model = nda.build_model("mlp_regressor", input_dim=2,
        ...                         normalization=stats)  # doctest: +SKIP
    """
    import pandas as pd

    from nda_models.core.normalization_stats import from_moments

    chunk_rows = POSITIVE_INT.check("chunk_rows", chunk_rows)
    path = check_csv_path(path)
    header, _ = read_cells(path, nrows=1)
    schema = resolve_schema(path, header, target=target, features=features)
    moments = _Moments(len(schema.features))
    chunks = pd.read_csv(path, usecols=list(schema.features), chunksize=chunk_rows)
    for start, chunk in enumerate(chunks):
        values = _numeric(path, chunk[list(schema.features)], start * chunk_rows)
        moments.add(values)
    if moments.count == 0:
        raise ValueError(
            f"CSV file '{path}' has no data rows, so no statistics. Received: "
            "a header only"
        )
    return from_moments(
        moments.mean, moments.sum_squares / moments.count, moments.low,
        moments.high, schema.features,
    )  # fmt: skip


def _numeric(path, frame, first_row):
    """The chunk as float64, refusing text and missing cells by row."""
    import pandas as pd

    numbers = frame.apply(pd.to_numeric, errors="coerce").to_numpy(np.float64)
    bad = np.argwhere(~np.isfinite(numbers))
    if bad.size:
        row, column = (int(i) for i in bad[0])
        name = frame.columns[column]
        raise ValueError(
            f"CSV file '{path}', column '{name}', row {first_row + row + 1}: the "
            "cell is not a finite number. Fix or drop that row. Received: "
            f"{frame.iat[row, column]!r}"
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
