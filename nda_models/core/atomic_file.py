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

A file that a saved bundle lists (its ``metadata.json``, ``history.csv``,
``model.onnx``...) is refused too: writing it would corrupt the bundle
(``bundle_files``); and so is a read-only file (no write bit, as
``chmod a-w`` leaves it): ``open()`` would refuse to write it, but a rename
over it succeeds in a writable folder, so the rule refuses it itself.

The temporary is named ``.<stem>.<PID>.<8 random characters>.tmp<suffix>``;
``is_temporary_of`` recognises exactly that name (and the older one without
the PID), so a clean-up can remove what a killed writer left without
touching a user's similar-looking files: each write to a file first deletes
the temporaries of that file whose writer's process has ended (kill -9, a
power cut), so none is left behind for good.

A write that fails because the disk is full, the quota or the file-size
limit (``ulimit -f``) is reached raises an ``OSError`` whose message says so
in one line, names the file and that the old one is kept (``write_failure``).
"""

import contextlib
import errno
import os
import pathlib
import re
import stat
import tempfile

from nda_models.core.bundle_files import bundle_file_error, owning_bundle

# tempfile's random part: 8 characters from a-z, 0-9 and "_".
_RANDOM_PART = "[a-z0-9_]{8}"

# errno values of a write that ran out of room, and what each means.
NO_ROOM = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EFBIG: "the file-size limit (ulimit -f) is reached",
}


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
            ``path``, or a file of a bundle (see ``output_target``).
        OSError: when the disk, the quota or the file-size limit runs out
            (``write_failure``); the old file is kept.

    Example:
        >>> with atomic_path("results/table.csv") as tmp:
        ...     _ = tmp.write_text("a,b")
        >>> open("results/table.csv").read()
        'a,b'
    """
    path = output_target(path, what)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_dead_temporaries(path)
    handle, name = tempfile.mkstemp(
        prefix=f".{path.stem}.{os.getpid()}.",
        suffix=f".tmp{path.suffix}",
        dir=path.parent,
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
    except OSError as error:
        failure = write_failure(error, what, path)
        if failure is None:
            raise
        raise failure from error
    finally:
        temp.unlink(missing_ok=True)


def write_failure(error, what, path, kept="the old one is kept"):
    """A one-line ``OSError`` for a write that ran out of room, else ``None``.

    Args:
        error: What the writer raised (an ``OSError``, or a library's error
            whose message carries the system's words, as TensorFlow's do).
        what: The output's name (``"--output"``, ``"the bundle"``).
        path: The file or folder being written.
        kept: What survives, for the message.

    Returns:
        An ``OSError`` with the same errno, or ``None`` if ``error`` is
        another failure (re-raise it as it is).

    Example:
        >>> error = OSError(errno.EFBIG, "File too large")
        >>> print(write_failure(error, "--export", "t.csv").strerror.split("; ")[0])
        cannot write --export 't.csv': the file-size limit (ulimit -f) is reached
    """
    code = no_room(error)
    if code is None:
        return None
    return OSError(
        code,
        f"cannot write {what} {os.fspath(path)!r}: {NO_ROOM[code]}; {kept}. "
        "Free space or raise the limit, then run again.",
    )


def no_room(error):
    """The ``NO_ROOM`` errno of ``error``, also read from a library's message.

    TensorFlow's writers raise their own errors, whose message carries the
    system's words (``"...tfevents...; File too large"``).

    Example:
        >>> no_room(RuntimeError("Failed to flush: No space left on device"))
        28
        >>> no_room(OSError(errno.EACCES, "Permission denied")) is None
        True
    """
    code = getattr(error, "errno", None)
    if code in NO_ROOM:
        return code
    text = str(error)
    return next((n for n in NO_ROOM if os.strerror(n) in text), None)


def remove_dead_temporaries(path):
    """Deletes the temporaries of ``path`` whose writing process has ended.

    Only names ``is_temporary_of`` recognises and that carry a PID are
    touched, and only when no process of that PID runs (another writer's
    temporary stays until its rename).
    """
    path = pathlib.Path(path)
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        pid = _writer_pid(name, path)
        if pid is not None and not process_alive(pid):
            with contextlib.suppress(OSError):
                os.unlink(path.parent / name)


def process_alive(pid):
    """True if a process ``pid`` runs on this machine (or may: not ours)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def output_target(path, what="the output file"):
    """The regular file to write for ``path``: links followed, the rest refused.

    Args:
        path: The output path given by the user.
        what: Its name in error messages (``"--export"``).

    Returns:
        The absolute ``pathlib.Path`` of the file (that may not exist yet).

    Raises:
        ValueError: for a folder, a FIFO, a socket, a device or a loop of
            symbolic links, naming what is there; a read-only file; a file
            of a bundle.

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
    if mode is not None and not mode & 0o222:
        raise ValueError(
            f"cannot write {what} {text!r}: it is {via}a read-only file (mode "
            f"{stat.S_IMODE(mode):04o}), and renaming over it would replace it all "
            "the same. Make it writable (chmod u+w) or choose another file name. "
            f"Received: {what}={text!r}"
        )
    bundle = owning_bundle(real)
    if bundle is not None:
        raise bundle_file_error(text, bundle, what)
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
        >>> is_temporary_of(".table.4242.k2x9_q0a.tmp.csv", "table.csv")
        True
        >>> is_temporary_of(".table.k2x9_q0a.tmp.csv", "table.csv")  # no PID: older
        True
        >>> is_temporary_of("table.tmp.csv", "table.csv")
        False
    """
    return _temporary_match(name, target) is not None


def _temporary_match(name, target):
    target = pathlib.PurePath(target)
    pattern = (
        rf"\.{re.escape(target.stem)}\.(?:(\d+)\.)?{_RANDOM_PART}"
        rf"\.tmp{re.escape(target.suffix)}"
    )
    return re.fullmatch(pattern, name)


def _writer_pid(name, target):
    """The PID in ``name`` if it is a temporary of ``target`` that has one."""
    match = _temporary_match(name, target)
    return int(match.group(1)) if match and match.group(1) else None


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
