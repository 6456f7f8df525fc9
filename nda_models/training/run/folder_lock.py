"""One training run per checkpoint folder: an OS lock held for the whole fit.

Two runs writing the same checkpoint folder destroy each other's work: one
run's clean-up removes the other's live temporary files (TensorFlow then
fails with ``MergeV2Checkpoints ... not found``), or both rotate the
``checkpoint`` list and one run's checkpoints are silently lost. So a fit
takes an exclusive ``fcntl.flock`` on ``run.lock`` in the folder before it
touches anything there, and holds it until the fit ends. The operating
system releases the lock when its process ends, however it ends (``kill
-9`` included), so a crashed run never leaves the folder locked. The file
holds the holder's process id and host, for the refusal's message; it is
never deleted (deleting a lock file lets two runs hold "the" lock at once).
A ``run.lock`` holding anything else (a file of the user's) is refused, not
overwritten.
"""

import errno
import fcntl
import os
import re
import socket
import stat

LOCK_FILE = "run.lock"
_RECORD_MAX = 300  # a PID, a host name (at most 255 bytes) and a newline


class FolderLock:
    """The exclusive lock of one checkpoint folder (``folder/run.lock``).

    Args:
        folder: The checkpoint folder (it must exist).

    Example:
        >>> import pathlib
        >>> folder = pathlib.Path("ckpt"); folder.mkdir()
        >>> with FolderLock(folder):
        ...     FolderLock(folder).acquire()  # a second run, same folder
        Traceback (most recent call last):
        RuntimeError: The checkpoint folder 'ckpt' is in use by process ...
        >>> with FolderLock(folder):  # released when the first run ended
        ...     pass
    """

    def __init__(self, folder):
        self.folder = folder
        self.path = os.path.join(os.fspath(folder), LOCK_FILE)
        self.fd = None

    def acquire(self):
        """Takes the lock and writes this process's id into the file.

        Raises:
            RuntimeError: if another run (process, or fit in this process)
                holds it, naming the process; or if ``run.lock`` is not a
                regular file (a link, a folder...).
        """
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            holder = _read_holder(fd)
            os.close(fd)
            if error.errno not in (errno.EWOULDBLOCK, errno.EACCES):
                raise
            raise RuntimeError(
                f"The checkpoint folder {os.fspath(self.folder)!r} is in use by "
                f"{holder} (another training run holds {LOCK_FILE}). Wait for "
                "it to end, or pass another checkpoint folder. Received: "
                f"checkpoint_dir={os.fspath(self.folder)!r}"
            ) from None
        if not _holds_a_record(fd):
            os.close(fd)
            raise _not_a_lock_file(self.path, "holds something else")
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {socket.gethostname()}\n".encode())
        self.fd = fd
        return self

    def release(self):
        """Lets the folder go (closing the file releases the lock)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc_info):
        self.release()
        return False

    def _open(self):
        """Opens ``run.lock`` (created if missing) without following a link."""
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            fd = os.open(self.path, flags, 0o666)
        except OSError as error:
            if error.errno not in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
                raise
            fd = None
        if fd is not None and not _is_regular(fd):
            os.close(fd)
            fd = None
        if fd is None:
            raise _not_a_lock_file(self.path, "is not a regular file")
        return fd


def _not_a_lock_file(path, what):
    return RuntimeError(
        f"{path} {what}, but the checkpoints keep their lock file under that "
        "name. Move or rename it (it is not touched), or pass another "
        f"checkpoint folder. Received: {path!r}"
    )


def _holds_a_record(fd):
    """True if the file is empty or holds one ``PID HOST`` line, as written
    here: a file of the user's named run.lock is never overwritten."""
    data = os.pread(fd, _RECORD_MAX + 1, 0)
    return not data or (
        len(data) <= _RECORD_MAX and re.fullmatch(rb"\d+( \S*)?\n?", data) is not None
    )


def _is_regular(fd):
    return stat.S_ISREG(os.fstat(fd).st_mode)


def _read_holder(fd):
    """``"process N on HOST"`` from the lock file, or ``"another process"``."""
    try:
        text = os.pread(fd, 200, 0).decode("ascii", "replace").split()
    except OSError:
        text = []
    if not text or not text[0].isdigit():
        return "another process"
    host = f" on {text[1]}" if len(text) > 1 else ""
    return f"process {text[0]}{host}"
