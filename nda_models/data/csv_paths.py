"""One data set in several CSV files: a list of paths or a glob pattern.

A large table is often written as parts (``part-000.csv``, ``part-001.csv``,
...), each with the same header line. The files are taken in sorted order (a
glob's matches) or in the order given (a list), so every worker of a
cluster sees the same list and can take its share of it.
"""

import glob
import pathlib

from nda_models.data.csv_read import check_csv_path

GLOB_CHARACTERS = frozenset("*?[")


def check_csv_paths(path):
    """Returns the CSV files of ``path`` as a list of existing ``pathlib.Path``.

    Args:
        path: A file (str or Path), a glob pattern such as ``"parts/*.csv"``,
            or a non-empty list or tuple of files.

    Raises:
        TypeError: if ``path`` is not a str, Path, list or tuple.
        ValueError: if a glob matches nothing, the list is empty or repeats a
            file, or a file is missing, a folder or empty.

    Example:
        >>> check_csv_paths(["part-0.csv", "part-1.csv"])  # doctest: +SKIP
        [PosixPath('part-0.csv'), PosixPath('part-1.csv')]
    """
    if isinstance(path, str) and GLOB_CHARACTERS & set(path):
        matches = sorted(glob.glob(path))
        if not matches:
            raise ValueError(
                f"No file matches the pattern {path!r}. Check the folder and the "
                f"pattern (e.g. 'data/part-*.csv'). Received: path={path!r}"
            )
        return [check_csv_path(match) for match in matches]
    if isinstance(path, (list, tuple)):
        if not path:
            raise ValueError(
                "`path` is an empty list; give at least one CSV file. Received: []"
            )
        files = [check_csv_path(item) for item in path]
        resolved = [file.resolve() for file in files]
        repeated = next((f for f in files if resolved.count(f.resolve()) > 1), None)
        if repeated is not None:
            raise ValueError(
                "Each CSV file may appear once in `path` (a repeated file would be "
                f"read twice per epoch). Received: '{repeated}' more than once"
            )
        return files
    if not isinstance(path, (str, pathlib.PurePath)):
        raise TypeError(
            "`path` must be a CSV file, a glob pattern or a list of files. "
            f"Received: path of type {type(path).__name__}"
        )
    return [check_csv_path(path)]
