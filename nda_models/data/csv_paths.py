"""One data set in several CSV files: a list of paths or a glob pattern.

A large table is often written as parts (``part-000.csv``, ``part-001.csv``,
...), each with the same header line. The files are taken in sorted order (a
glob's matches) or in the order given (a list), so every worker of a
cluster sees the same list and can take its share of it.
"""

import glob
import os
import pathlib

from nda_models.data.csv_read import check_csv_path

GLOB_CHARACTERS = frozenset("*?[")


def check_csv_paths(path):
    """Returns the CSV files of ``path`` as a list of existing ``pathlib.Path``.

    A path that exists is the file it names, even when its name holds glob
    characters (``run[1].csv``, ``what?.csv``); only a str that names no file
    is expanded as a pattern, in its folder when that folder exists as named
    (``data[2024]/part-*.csv``). A list is never expanded. The same file may
    not appear twice, under any names: paths are compared by device and
    inode, so a symbolic link, a hard link, ``./a.csv`` and ``a.csv`` are the
    file they name.

    Args:
        path: A file (str or Path), a glob pattern such as ``"parts/*.csv"``,
            or a non-empty list or tuple of files.

    Raises:
        TypeError: if ``path`` is not a str, Path, list or tuple.
        ValueError: if a glob matches nothing, the list is empty, the same
            file appears twice, or a file is missing, a folder or empty.

    Example:
        >>> import pathlib
        >>> _ = pathlib.Path("run[1].csv").write_text("a,y\\n1,2\\n")
        >>> check_csv_paths("run[1].csv")
        [PosixPath('run[1].csv')]
    """
    if isinstance(path, (list, tuple)):
        if not path:
            raise ValueError(
                "`path` is an empty list; give at least one CSV file. Received: []"
            )
        files = [check_csv_path(item) for item in path]
        return _once(files, "the list names one file twice. Remove one of them")
    if not isinstance(path, (str, pathlib.PurePath)):
        raise TypeError(
            "`path` must be a CSV file, a glob pattern or a list of files. "
            f"Received: path of type {type(path).__name__}"
        )
    if isinstance(path, str) and GLOB_CHARACTERS & set(path):
        if not os.path.lexists(path):
            twice = f"the pattern {path!r} matches one file twice. Narrow it, or "
            return _once(_matches(path), twice + "pass a list")
    return [check_csv_path(path)]


def _matches(pattern):
    """The files a glob ``pattern`` matches, in sorted order. An existing
    folder is itself too: ``data[2024]/part-*.csv`` globs in ``data[2024]``."""
    folder, name = os.path.split(pattern)
    if folder and os.path.isdir(folder):
        pattern = os.path.join(glob.escape(folder), name)
    matches = sorted(glob.glob(pattern))
    if not matches:
        raise ValueError(
            f"No file matches the pattern {pattern!r}. Check the folder and the "
            f"pattern (e.g. 'data/part-*.csv'). Received: path={pattern!r}"
        )
    return [check_csv_path(match) for match in matches]


def _once(files, problem):
    """``files``, refusing one file named twice (same device and inode)."""
    seen = {}
    for file in files:
        stat = file.stat()
        first = seen.setdefault((stat.st_dev, stat.st_ino), file)
        if first is not file:
            raise ValueError(
                "Each CSV file may appear once in `path` (a repeated file would be "
                f"read twice per epoch): {problem}. Received: '{first}' and "
                f"'{file}' are the same file"
            )
    return files
