"""Atomic writes of single output files (tables, figures).

The content is written to a temporary file beside the target, flushed to
disk, then renamed over it: readers see the old file or the new one, never a
half-written one, and a crash leaves the old file intact.
"""

import contextlib
import os
import pathlib
import tempfile


@contextlib.contextmanager
def atomic_path(path):
    """Yields a temporary path to write; moves it onto ``path`` on success.

    Args:
        path: The file to create or replace.

    Yields:
        A ``pathlib.Path`` in the same folder, with the same suffix (so
        writers that pick a format from the extension still work).

    Example:
        >>> with atomic_path("results/table.csv") as tmp:
        ...     frame.to_csv(tmp, index=False)
    """
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(
        prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}", dir=path.parent
    )
    os.close(handle)
    temp = pathlib.Path(name)
    try:
        yield temp
        with open(temp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
