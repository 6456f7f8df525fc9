"""What a killed checkpoint writer leaves behind, recognised by exact name.

A checkpoint folder may also hold the user's own files, so clean-up removes
only names that TensorFlow's checkpoint writer or this package create, each
matched in full (never "contains ``_temp``"):

- ``ckpt-N_temp/``: the sharded save's folder (TensorFlow's
  ``functional_saver`` writes ``<prefix>_temp/part-*`` and merges them into
  ``<prefix>.index`` / ``.data-*``). Removed only if it holds nothing but
  such ``part-*`` files, so a folder the user made is never deleted;
- ``ckpt-N.index.tempstate<digits>``, ``ckpt-N.data-*.tempstate<digits>``:
  ``BundleWriter``'s temporaries;
- ``checkpoint.tmp<32 hex digits>``: the state file's atomic write
  (``file_io.atomic_write_string_to_file`` adds ``".tmp" + uuid4().hex``);
- ``.run_signature.<8 characters>.tmp.json``: our ``atomic_path`` temporary.

Example:
    >>> import os
    >>> os.makedirs("run1/ckpt-4_temp")  # what a save killed mid-write left
    >>> _ = open("run1/ckpt-4_temp/part-00000-of-00001.index", "w").close()
    >>> os.makedirs("run1/ckpt-5_temp"); _ = open("run1/ckpt-5_temp/notes.txt", "w")
    >>> remove_stale_temporaries("run1", "ckpt", "run_signature.json")
    ['ckpt-4_temp']
    >>> sorted(os.listdir("run1"))  # a folder holding a user's file is kept
    ['ckpt-5_temp']
"""

import os
import re
import shutil

from nda_models.core.atomic_file import is_temporary_of

_SHARD = r"\d{5}-of-\d{5}"
_TEMPSTATE = r"\.tempstate\d+"
_STATE_FILE_TEMP = re.compile(r"checkpoint\.tmp[0-9a-f]{32}")
_PART_FILE = re.compile(rf"part-{_SHARD}\.(index|data-{_SHARD})({_TEMPSTATE})?")


def stale_temporaries(directory, prefix, signature_file):
    """Names in ``directory`` that a killed checkpoint writer left, sorted."""
    temp_folder = re.compile(rf"{re.escape(prefix)}-\d+_temp")
    temp_file = re.compile(
        rf"{re.escape(prefix)}-\d+\.(index|data-{_SHARD}){_TEMPSTATE}"
    )
    names = []
    with os.scandir(directory) as entries:
        for entry in entries:
            name = entry.name
            if entry.is_symlink():
                continue  # never follow a link out of the folder
            if entry.is_dir():
                if temp_folder.fullmatch(name) and _only_parts(entry.path):
                    names.append(name)
            elif (
                temp_file.fullmatch(name)
                or _STATE_FILE_TEMP.fullmatch(name)
                or is_temporary_of(name, signature_file)
            ):
                names.append(name)
    return sorted(names)


def remove_stale_temporaries(directory, prefix, signature_file):
    """Deletes ``stale_temporaries(...)``; returns the names removed."""
    removed = stale_temporaries(directory, prefix, signature_file)
    for name in removed:
        path = os.path.join(directory, name)
        if os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
    return removed


def _only_parts(folder):
    """True if ``folder`` holds only TensorFlow ``part-*`` shard files."""
    with os.scandir(folder) as entries:
        return all(
            entry.is_file(follow_symlinks=False) and _PART_FILE.fullmatch(entry.name)
            for entry in entries
        )
