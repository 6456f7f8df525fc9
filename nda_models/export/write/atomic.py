"""Atomic replacement of a bundle directory: a crash never leaves half a bundle.

The new bundle is written into a temporary folder beside the target (same
file system, so renames are atomic), every file and folder is flushed to disk
with ``fsync``, and only then does it take the target's place:

1. no bundle yet: ``rename(temp, path)``;
2. a bundle exists: the files in its folder that are not the bundle's (a
   ``ckpt/`` folder, your notes: see ``bundle_contents``) are hard-linked into
   the new bundle (``keep_extras``); then on Linux
   ``renameat2(RENAME_EXCHANGE)`` swaps the two folders in one step, so at
   every instant ``path`` holds either the old or the new complete bundle, and
   your files; elsewhere the old one is renamed aside, the new one renamed
   in, and an interrupted swap is undone by the next save;
3. the old bundle, now in the temporary folder, is disposed of: only its own
   files are deleted (``keep_extras.dispose``).

Only an empty folder or a valid bundle is ever replaced: a folder holding
anything else (``thesis.tex``, ``raw/``) is refused, naming what it holds.
Folders left by a killed save (``.NAME.nda-tmp-PID-*``) are disposed of by
the next save to the same path, once their process ``PID`` has ended.

Example:
    >>> def write(folder):
    ...     (folder / "metadata.json").write_text("{}")
    >>> write_atomically("saved_models/m", write).name
    'm'
    >>> import os; os.listdir("saved_models/m")
    ['metadata.json']
"""

import ctypes
import errno
import os
import pathlib
import stat
import tempfile

from nda_models.core.atomic_file import current_umask, write_failure
from nda_models.core.deferred_interrupts import deferred_interrupts
from nda_models.core.output_locations import check_output_folder
from nda_models.core.path_argument import optional_path
from nda_models.export.format.bundle_layout import (
    ASIDE_TAG,
    HISTORY_FILE,
    KERAS_FILE,
    METADATA_FILE,
    ONNX_FILE,
    SAVED_MODEL_DIR,
    TEMP_TAG,
)
from nda_models.export.write.bundle_contents import (
    changed_paths,
    describe_entries,
    only_checkpoint_folders,
    owned_paths,
    split_contents,
)
from nda_models.export.write.keep_extras import dispose, mirror_extras

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
        OSError: when the disk, the quota or the file-size limit runs out
            while writing (one line, ``write_failure``); the old bundle stays.
        KeyboardInterrupt: a Ctrl-C during the save, delivered once the new
            bundle is in place (``deferred_interrupts``).
        ValueError: if ``path`` is a file, or a non-empty folder that is not
            a bundle (it is never deleted), or the folder's extras cannot be
            kept (see ``keep_extras``).
    """
    given = pathlib.Path(os.path.abspath(os.fspath(path)))
    path = pathlib.Path(os.path.realpath(given))  # a symlink is followed
    check_replaceable(path, overwrite)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(path)
    if given != path:
        remove_stale(given)  # what older versions left beside the link
    prefix = f".{path.name}.{TEMP_TAG}-{os.getpid()}-"
    with deferred_interrupts():  # Ctrl-C: delivered once the save is whole
        temp = pathlib.Path(tempfile.mkdtemp(prefix=prefix, dir=path.parent))
        os.chmod(temp, 0o777 & ~current_umask())  # as mkdir would, not 0700
        try:
            _write_tree(write, temp, path)
            if os.path.lexists(path):
                _link_extras(path, temp, overwrite)
            _move_into_place(temp, path)
        finally:
            # After a swap, ``temp`` holds the old bundle; on error, the partial.
            dispose(temp, path)
    return path


def _write_tree(write, temp, path):
    """``write(temp)`` then flush it; a disk that runs out says so in one line."""
    try:
        write(temp)
        fsync_tree(temp)
    except Exception as error:  # noqa: BLE001 - TensorFlow's errors are no OSError
        kept = "the bundle there is kept" if os.path.lexists(path) else "nothing saved"
        failure = write_failure(error, "the bundle", path, kept)
        if failure is None:
            raise
        raise failure from error


def _link_extras(path, temp, overwrite):
    """Hard-links the extras of the bundle at ``path`` into the new ``temp``."""
    owned = check_replaceable(path, overwrite)  # again: it may have changed
    if owned is not None:
        mirror_extras(path, temp, split_contents(path, owned)[2])
        fsync_tree(temp, files=False)


# Names a new bundle may write at its top level.
_BUNDLE_NAMES = (KERAS_FILE, SAVED_MODEL_DIR, ONNX_FILE, METADATA_FILE, HISTORY_FILE)


def check_bundle_location(path, what="bundle"):
    """Raises unless a bundle can be saved at ``path`` (checked before training).

    Raises:
        ValueError: if the place is not writable, is a file, or is a
            non-empty folder that is not a bundle (which is never replaced).
    """
    path = optional_path(path, what, "saved_models/NAME")
    if path is None:
        return
    real = pathlib.Path(os.path.realpath(path))
    check_output_folder(real.parent, what)
    check_replaceable(real, overwrite=True)


def check_replaceable(path, overwrite):
    """Refuses a ``path`` that ``save_model`` may not replace.

    Returns:
        The ``owned_paths`` of the bundle at ``path`` (an empty set for a
        folder of checkpoint folders only), or ``None`` if nothing (or an
        empty folder) is there.

    Raises:
        ValueError: a file, or a non-empty folder that is not a valid bundle
            (naming a few of its entries), or a bundle folder holding an
            extra named like a bundle file, or a listed file changed since
            the save (``changed_paths``).
        FileExistsError: something exists and ``overwrite`` is False.
    """
    if not os.path.lexists(path):
        return None
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
    if not any(path.iterdir()):
        return None
    owned = owned_paths(path)
    if owned is None and only_checkpoint_folders(path):
        return set()  # an empty place, with checkpoint folders to keep
    if owned is None:
        why = (
            f"its {METADATA_FILE} is not valid nda_models metadata"
            if os.path.lexists(path / METADATA_FILE)
            else f"it has no {METADATA_FILE} of nda_models"
        )
        raise ValueError(
            f"The bundle path {str(path)!r} is a folder that is not a model bundle "
            f"({why}); it holds {describe_entries(path)}. It is never replaced: "
            f"choose another path (e.g. {str(path / 'model')!r}) or empty it. "
            f"Received: path={str(path)!r}"
        )
    changed = changed_paths(path)
    if changed:
        raise ValueError(
            f"The bundle folder {str(path)!r} holds {changed[0]!r}, which differs "
            f"from the file its {METADATA_FILE} lists (edited or replaced since the "
            "bundle was saved), so it is not the bundle's to replace. Move or "
            f"rename it, or save elsewhere. Received: path={str(path)!r}"
        )
    clash = [name for name in split_contents(path, owned)[2] if name in _BUNDLE_NAMES]
    if clash:
        raise ValueError(
            f"The bundle folder {str(path)!r} holds {clash[0]!r}, which is not part "
            "of its bundle, but a new bundle writes an entry of that name. Move or "
            f"rename it, or save elsewhere. Received: path={str(path)!r}"
        )
    return owned


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


def fsync_tree(folder, *, files=True):
    """Flushes every regular file (if ``files``), then every folder, to disk.

    Symbolic links and special files (a FIFO would block ``open``) are not
    opened; links are not followed.
    """
    for root, _dirs, names in os.walk(folder, topdown=False):
        for name in names if files else ():
            file = os.path.join(root, name)
            if stat.S_ISREG(os.lstat(file).st_mode):
                with open(file, "rb") as stream:
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
    """Disposes of the temporary folders of ended saves to ``path``.

    An old bundle set aside by a save that died before renaming the new one
    in is put back at ``path`` first (only without ``renameat2``). Files that
    are not a bundle's go back to ``path`` (see ``keep_extras.dispose``).
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
            if tag == TEMP_TAG:
                dispose(folder, path)
                continue
            kept = folder / "bundle"
            if kept.is_dir() and not os.path.lexists(path):
                os.rename(kept, path)
            dispose(kept, path)
            try:
                folder.rmdir()
            except OSError:
                pass  # dispose kept what it could not put back, and said so


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
