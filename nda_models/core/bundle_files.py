"""Which files a saved bundle owns, as every single-file writer must know it.

A table, figure, page or prediction file written over a file a bundle lists
(``nda datasets iris --export saved_models/iris/history.csv``) corrupts the
bundle: its checksum no longer matches and ``load_model`` refuses it. So
``atomic_file.output_target`` refuses such a path, and this module answers
whether a path is one: a file of a bundle is its ``metadata.json`` (when it
carries the ``nda_models.bundle`` format marker) or a path its ``files``
list names, in that folder or one above it. New files dropped into a bundle
folder are not refused: a bundle keeps such extras (``export/write``).

The two names and the size limit are the bundle format's
(``export/format/bundle_layout`` and ``metadata`` take them from here, so
the format is spelled once and ``core`` imports nothing of the rest).

Example:
    >>> import json, os
    >>> os.makedirs("saved_models/m")
    >>> files = {"history.csv": "0" * 64}
    >>> meta = {"format": "nda_models.bundle", "files": files}
    >>> _ = open("saved_models/m/metadata.json", "w").write(json.dumps(meta))
    >>> str(owning_bundle(os.path.abspath("saved_models/m/history.csv")))[-14:]
    'saved_models/m'
    >>> owning_bundle(os.path.abspath("saved_models/m/notes.txt")) is None
    True
"""

import json
import os
import pathlib

METADATA_FILE = "metadata.json"
FORMAT_NAME = "nda_models.bundle"

# The largest metadata.json read or written: room for the names and
# normalisation statistics of about three million features (70 bytes each).
METADATA_MAX_BYTES = 256 << 20


def owning_bundle(path):
    """The bundle folder that owns file ``path``, or ``None``.

    Args:
        path: An absolute path, links already resolved (``os.path.realpath``).

    Returns:
        The ``pathlib.Path`` of the nearest folder above ``path`` whose
        nda_models ``metadata.json`` is ``path`` itself or lists it.
    """
    path = pathlib.Path(path)
    for folder in path.parents:
        listed = _listed_files(folder / METADATA_FILE)
        if listed is None:
            continue
        relative = path.relative_to(folder).as_posix()
        if relative == METADATA_FILE or relative in listed:
            return folder
    return None


def _listed_files(metadata):
    """The ``files`` keys of an nda_models metadata.json, or ``None``."""
    try:
        if not metadata.is_file() or metadata.stat().st_size > METADATA_MAX_BYTES:
            return None
        record = json.loads(metadata.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None  # unreadable or not JSON: not a bundle we can recognise
    if not isinstance(record, dict) or record.get("format") != FORMAT_NAME:
        return None
    files = record.get("files")
    return set(files) if isinstance(files, dict) else set()


def bundle_file_error(path, folder, what):
    """The ``ValueError`` for writing ``what`` over a file of bundle ``folder``."""
    text = os.fspath(path)
    return ValueError(
        f"cannot write {what} {text!r}: it is a file of the model bundle "
        f"{str(folder)!r} (its {METADATA_FILE} lists it), and writing it would "
        f"corrupt the bundle. Choose a file outside the bundle. "
        f"Received: {what}={text!r}"
    )
