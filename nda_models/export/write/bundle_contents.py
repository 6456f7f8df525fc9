"""Which entries of a folder belong to its bundle, and which are someone else's.

A folder is a bundle only if its metadata.json is ours and valid: it parses,
carries the ``nda_models.bundle`` format marker, passes the schema and its
own checksum (``read_metadata``). A file named ``metadata.json`` or
``model.keras`` alone proves nothing, and neither does a name in the list: a
metadata.json copied into a folder that holds the user's own ``model.keras``
lists that name too. The bundle *owns* exactly:

- metadata.json and the files its ``files`` list names, each only while it
  is a regular file with the SHA-256 listed for it (as it was written; a
  file edited since is someone's work: ``changed_paths``);
- the folders on the way to those files;
- empty folders inside ``saved_model/`` (TensorFlow writes ``assets/``).

Everything else in the folder (a ``ckpt/`` checkpoint folder, a user's
``notes.txt``, a file dropped into ``saved_model/``) is an *extra*: replacing
the bundle keeps it. Entries are read without following symbolic links, so a
link is one entry, owned only if it is listed itself, and nothing behind a
link is ever counted as the bundle's.

A folder holding nothing but checkpoint folders of nda_models (folders with
a ``run_signature.json``, as ``nda train --checkpoint-dir B/ckpt --out B``
makes) is an empty place for a bundle: its checkpoint folders are extras.

Example:
    >>> import pathlib
    >>> folder = pathlib.Path("project")
    >>> (folder / "raw").mkdir(parents=True)
    >>> (folder / "thesis.tex").write_text("...")
    3
    >>> owned_paths(folder) is None  # no metadata.json of ours: not a bundle
    True
    >>> describe_entries(folder)
    "'raw/', 'thesis.tex'"
"""

import os
import pathlib
import stat

from nda_models.export.format.bundle_layout import METADATA_FILE, SAVED_MODEL_DIR
from nda_models.export.format.checksums import file_sha256
from nda_models.export.format.metadata import read_metadata

# The file every checkpoint folder of the Trainer holds (training/run).
SIGNATURE_FILE = "run_signature.json"


def owned_paths(folder):
    """The relative paths of the files the bundle at ``folder`` owns.

    Returns:
        A set of POSIX relative paths (metadata.json included), or ``None``
        if ``folder`` holds no valid nda_models metadata.json. Listed paths
        that are absolute or climb out with ``..`` are left out, and so are
        files that are not as the bundle wrote them (``changed_paths``).
    """
    listed = listed_files(folder)
    if listed is None:
        return None
    folder = pathlib.Path(folder)
    return {METADATA_FILE} | {
        name
        for name, digest in listed.items()
        if _inside(folder, name) and _as_written(folder / name, digest)
    }


def changed_paths(folder):
    """Listed files of the bundle at ``folder`` that are there but not as written.

    A file edited or replaced since the save, or something else (a link, a
    FIFO, a folder) under a listed name: what it holds is not the bundle's.

    Returns:
        Sorted relative POSIX paths (empty if ``folder`` is no bundle).
    """
    folder = pathlib.Path(folder)
    return sorted(
        name
        for name, digest in (listed_files(folder) or {}).items()
        if _inside(folder, name) and not _as_written(folder / name, digest)
    )


def _inside(folder, name):
    """True if ``folder/name`` exists without passing through a link: what
    is behind a link in the bundle folder is never the bundle's."""
    parts = pathlib.PurePosixPath(name).parts
    for depth in range(1, len(parts)):
        if not _is_real_folder(folder.joinpath(*parts[:depth])):
            return False
    return os.path.lexists(folder / name)


def _is_real_folder(path):
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def listed_files(folder):
    """``{relative path: SHA-256}`` of metadata.json's ``files``, or ``None``.

    ``None`` if ``folder`` holds no valid nda_models metadata.json; absolute
    paths and paths that climb out with ``..`` are left out.
    """
    try:
        metadata = read_metadata(pathlib.Path(folder))
    except (ValueError, OSError):
        return None
    listed = {}
    for name, digest in metadata["files"].items():
        parts = pathlib.PurePosixPath(name).parts
        if parts and parts[0] != "/" and ".." not in parts:
            listed[pathlib.PurePosixPath(*parts).as_posix()] = digest
    return listed


def _as_written(path, digest):
    """A regular file (not a link: never followed, never a FIFO opened)
    whose SHA-256 is ``digest``."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        return file_sha256(path) == digest
    except OSError:
        return False


def only_checkpoint_folders(folder):
    """True if every entry of ``folder`` is a checkpoint folder of nda_models."""
    entries = list(os.scandir(folder))
    return bool(entries) and all(is_checkpoint_folder(e.path) for e in entries)


def is_checkpoint_folder(path):
    """A real folder (not a link) holding a ``run_signature.json`` file."""
    return not os.path.islink(path) and os.path.isfile(
        os.path.join(path, SIGNATURE_FILE)
    )


def split_contents(folder, owned):
    """Sorts the entries under ``folder`` into the bundle's and the extras.

    Args:
        folder: The bundle folder.
        owned: Its ``owned_paths``.

    Returns:
        ``(files, folders, extras)``: the owned files (and links) and owned
        folders, deepest first, and the top-most extra entries, as relative
        POSIX paths. An extra folder is listed once, not its contents.
    """
    folder = pathlib.Path(folder)
    ancestors = {
        pathlib.PurePosixPath(name).parents[i].as_posix()
        for name in owned
        for i in range(len(pathlib.PurePosixPath(name).parts) - 1)
    }
    files, folders, extras = [], [], []
    stack = [""]
    while stack:
        relative = stack.pop()
        for entry in sorted(os.scandir(folder / relative), key=lambda e: e.name):
            name = f"{relative}/{entry.name}" if relative else entry.name
            if entry.is_dir(follow_symlinks=False):
                if name in ancestors:
                    folders.append(name)
                    stack.append(name)
                elif name.startswith(f"{SAVED_MODEL_DIR}/") and _holds_no_file(entry):
                    folders.append(name)
                else:
                    extras.append(name)
            elif name in owned:
                files.append(name)
            else:
                extras.append(name)
    folders.sort(key=lambda name: -name.count("/"))
    return files, folders, extras


def _holds_no_file(entry):
    """True for a real folder with nothing but (empty) real folders inside."""
    for root, dirs, names in os.walk(entry.path):
        if names or any(os.path.islink(os.path.join(root, d)) for d in dirs):
            return False
    return True


def describe_entries(folder, limit=3):
    """A few top-level names of ``folder`` for a message: ``'a/', 'b' and 4 more``."""
    names = sorted(
        entry.name + ("/" if entry.is_dir(follow_symlinks=False) else "")
        for entry in os.scandir(folder)
    )
    shown = ", ".join(repr(name) for name in names[:limit])
    more = len(names) - limit
    return shown + (f" and {more} more" if more > 0 else "")
