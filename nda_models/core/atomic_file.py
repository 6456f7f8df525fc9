"""Atomic writes of single output files (tables, figures, pages, predictions).

The content is written to a temporary file beside the target, flushed to
disk, then renamed over it: readers see the old file or the new one, never a
half-written one, and a crash leaves the old file intact. The file gets the
permissions ``open()`` would give it: those of the file it replaces, or
0666 minus the umask for a new file (``mkstemp`` alone would give 0600).

One rule for what may stand at the path, the same as for bundles
(``export/write/atomic.py``): a symbolic link is followed, to the end of a
chain of links, and the file it points to is replaced atomically (the
temporary is made beside that file, so the rename stays on its file
system); the link stays as it was. A folder, a FIFO, a socket or a device at
the path, or at the end of its links, is refused with a ``ValueError``
naming it (renaming over it would destroy it, or the writer would block on
the pipe), and so is a loop of links. ``output_target`` applies the rule;
``atomic_path`` applies it to every writer, and
``output_locations.check_output_file`` before a command starts its work.

The temporary is named ``.<stem>.<8 random characters>.tmp<suffix>``;
``is_temporary_of`` recognises exactly that name, so a clean-up can remove
what a killed writer left without touching a user's similar-looking files.
"""

import contextlib
import errno
import os
import pathlib
import re
import stat
import tempfile

# tempfile's random part: 8 characters from a-z, 0-9 and "_".
_RANDOM_PART = "[a-z0-9_]{8}"


@contextlib.contextmanager
def atomic_path(path, what="the output file"):
    """Yields a temporary path to write; moves it onto ``path`` on success.

    Args:
        path: The file to create or replace (a link is followed, see the
            module docstring).
        what: Its name in error messages (``"--output"``).

    Yields:
        A ``pathlib.Path`` beside the file written, with the same suffix (so
        writers that pick a format from the extension still work).

    Raises:
        ValueError: for a folder, FIFO, socket, device or a loop of links at
            ``path`` (see ``output_target``).

    Example:
        >>> with atomic_path("results/table.csv") as tmp:
        ...     _ = tmp.write_text("a,b")
        >>> open("results/table.csv").read()
        'a,b'
    """
    path = output_target(path, what)
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


def output_target(path, what="the output file"):
    """The regular file to write for ``path``: links followed, the rest refused.

    Args:
        path: The output path given by the user.
        what: Its name in error messages (``"--export"``).

    Returns:
        The absolute ``pathlib.Path`` of the file (that may not exist yet).

    Raises:
        ValueError: for a folder, a FIFO, a socket, a device or a loop of
            symbolic links, naming what is there.

    Example:
        >>> import os
        >>> _ = open("target.csv", "w").write("old")
        >>> os.symlink("target.csv", "latest.csv")
        >>> output_target("latest.csv").name
        'target.csv'
    """
    text = os.fspath(path)
    try:
        mode = os.stat(text).st_mode  # follows every link, as open() would
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _loop_error(what, text) from None
        mode = None  # a new file (or a link to one), or a folder in the way
    real = os.path.realpath(text)
    if os.path.islink(real):
        raise _loop_error(what, text)
    # Name where the link leads: the file, or (a pipe, a socket) the link's text.
    shown = real if os.path.lexists(real) or not os.path.islink(text) else None
    shown = shown or os.readlink(text)
    via = f"a symbolic link to {shown!r}, which is " if os.path.islink(text) else ""
    if mode is not None and not stat.S_ISREG(mode):
        raise ValueError(
            f"cannot write {what} {text!r}: it is {via}{_kind(mode)}, not a regular "
            f"file. Choose a file name. Received: {what}={text!r}"
        )
    return pathlib.Path(real)


def _loop_error(what, text):
    return ValueError(
        f"cannot write {what} {text!r}: it is a symbolic link that never reaches "
        f"a file (a loop). Remove or fix the link. Received: {what}={text!r}"
    )


def _kind(mode):
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


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
