"""Atomic replacement of a bundle directory: a crash never leaves half a bundle.

The new bundle is written into a temporary folder beside the target (same
file system, so renames are atomic), every file and folder is flushed to disk
with ``fsync``, and only then does it take the target's place:

1. no bundle yet: ``rename(temp, path)``;
2. a bundle exists: on Linux, ``renameat2(RENAME_EXCHANGE)`` swaps the two
   folders in one step, so at every instant ``path`` holds either the old or
   the new complete bundle; elsewhere the old one is renamed aside, the new
   one renamed in, and an interrupted swap is undone by the next save;
3. the old bundle, now in the temporary folder, is deleted.

Folders left by a killed save (``.NAME.nda-tmp-PID-*``) are removed by the
next save to the same path, once their process ``PID`` has ended.

Example:
    >>> write_atomically("saved_models/m", lambda folder: ...)
"""

import ctypes
import errno
import os
import pathlib
import shutil
import tempfile

from nda_models.core.atomic_file import current_umask
from nda_models.export.format.bundle_layout import (
    ASIDE_TAG,
    KERAS_FILE,
    METADATA_FILE,
    TEMP_TAG,
)

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def write_atomically(path, write, *, overwrite=True):
    """Writes a directory with ``write(temp_folder)`` and moves it to ``path``.

    Args:
        path: Target directory.
        write: Callable filling the empty temporary folder it receives.
        overwrite: Replace an existing bundle at ``path``.

    Returns:
        The absolute ``pathlib.Path`` of the bundle. If ``path`` is a
        symbolic link, the link is followed: the bundle is written where it
        points, and the link stays.

    Raises:
        FileExistsError: if ``path`` exists and ``overwrite`` is False.
        ValueError: if ``path`` is a file, or a non-empty folder that is not
            a bundle (it is never deleted).
    """
    given = pathlib.Path(os.path.abspath(os.fspath(path)))
    path = pathlib.Path(os.path.realpath(given))  # a symlink is followed
    check_replaceable(path, overwrite)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(path)
    if given != path:
        remove_stale(given)  # what older versions left beside the link
    prefix = f".{path.name}.{TEMP_TAG}-{os.getpid()}-"
    temp = pathlib.Path(tempfile.mkdtemp(prefix=prefix, dir=path.parent))
    os.chmod(temp, 0o777 & ~current_umask())  # as mkdir would, not mkdtemp's 0700
    try:
        write(temp)
        fsync_tree(temp)
        _move_into_place(temp, path)
    finally:
        # After a swap, ``temp`` holds the old bundle; on error, the partial one.
        shutil.rmtree(temp, ignore_errors=True)
    return path


def check_replaceable(path, overwrite):
    if not os.path.lexists(path):
        return
    if not path.is_dir():
        raise ValueError(
            "The bundle path exists and is not a directory. Choose a directory "
            f"path such as 'saved_models/NAME'. Received: path={str(path)!r}"
        )
    if not overwrite:
        raise FileExistsError(
            f"A bundle already exists at {str(path)!r}. Pass overwrite=True to "
            f"replace it, or choose another path. Received: path={str(path)!r}"
        )
    if any(path.iterdir()) and not (
        (path / METADATA_FILE).exists() or (path / KERAS_FILE).exists()
    ):
        raise ValueError(
            "The bundle path is a non-empty folder that is not a model bundle "
            "(no metadata.json or model.keras); it will not be replaced. Choose "
            f"another path or empty it. Received: path={str(path)!r}"
        )


def _move_into_place(temp, path):
    if not os.path.lexists(path):
        os.rename(temp, path)
    elif not _exchange(temp, path):
        aside = pathlib.Path(
            tempfile.mkdtemp(
                prefix=f".{path.name}.{ASIDE_TAG}-{os.getpid()}-", dir=path.parent
            )
        )
        os.rename(path, aside / "bundle")
        os.rename(temp, path)
        os.rename(aside / "bundle", temp)
        aside.rmdir()
    fsync_dir(path.parent)


def _exchange(a, b):
    """Swaps two paths atomically with Linux ``renameat2``; False if unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p] * 2 + [ctypes.c_uint]
    result = renameat2(
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), os.fspath(b))


def fsync_tree(folder):
    """Flushes every file, then every folder, under ``folder`` to disk."""
    for root, _dirs, files in os.walk(folder, topdown=False):
        for name in files:
            with open(os.path.join(root, name), "rb") as stream:
                os.fsync(stream.fileno())
        fsync_dir(root)


def fsync_dir(folder):
    """Flushes a folder's entries (new names, renames) to disk, where supported."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some platforms (Windows) cannot fsync a directory
    finally:
        os.close(fd)


def remove_stale(path):
    """Removes the temporary folders of ended saves to ``path``.

    An old bundle set aside by a save that died before renaming the new one
    in is put back at ``path`` first (only without ``renameat2``).
    """
    path = pathlib.Path(os.path.abspath(os.fspath(path)))
    if not path.parent.is_dir():
        return
    for tag in (ASIDE_TAG, TEMP_TAG):
        for folder in sorted(path.parent.glob(f".{path.name}.{tag}-*")):
            if _owner_alive(folder.name, tag):
                continue
            if folder.is_symlink():  # an old version swapped a link in here
                folder.unlink()
                continue
            kept = folder / "bundle"
            if tag == ASIDE_TAG and kept.is_dir() and not os.path.lexists(path):
                os.rename(kept, path)
            shutil.rmtree(folder, ignore_errors=True)


def _owner_alive(name, tag):
    pid_text = name.split(f".{tag}-", 1)[1].split("-", 1)[0]
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
