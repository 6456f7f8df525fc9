"""Atomic writes of single output files (tables, figures).

The content is written to a temporary file beside the target, flushed to
disk, then renamed over it: readers see the old file or the new one, never a
half-written one, and a crash leaves the old file intact. The file gets the
permissions ``open()`` would give it: those of the file it replaces, or
0666 minus the umask for a new file (``mkstemp`` alone would give 0600).

The temporary is named ``.<stem>.<8 random characters>.tmp<suffix>``;
``is_temporary_of`` recognises exactly that name, so a clean-up can remove
what a killed writer left without touching a user's similar-looking files.
"""

import contextlib
import os
import pathlib
import re
import stat
import tempfile

# tempfile's random part: 8 characters from a-z, 0-9 and "_".
_RANDOM_PART = "[a-z0-9_]{8}"


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
    try:
        os.fchmod(handle, _mode_for(path))
    finally:
        os.close(handle)
    temp = pathlib.Path(name)
    try:
        yield temp
        with open(temp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def is_temporary_of(name, target):
    """True if ``name`` is exactly an ``atomic_path`` temporary of ``target``.

    Example:
        >>> is_temporary_of(".table.k2x9_q0a.tmp.csv", "table.csv")
        True
        >>> is_temporary_of("table.tmp.csv", "table.csv")
        False
    """
    target = pathlib.PurePath(target)
    pattern = (
        rf"\.{re.escape(target.stem)}\.{_RANDOM_PART}\.tmp{re.escape(target.suffix)}"
    )
    return re.fullmatch(pattern, name) is not None


def current_umask():
    """The process's umask (read without changing it where Linux allows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: the only way is to set it and put it back
    os.umask(mask)
    return mask


def _mode_for(path):
    """What ``open(path, "w")`` would leave: the old file's mode, or 0666 - umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~current_umask()
