"""SHA-256 checksums of the files of a bundle, written at save, checked at load.

A checksum catches a truncated copy, a half-synced download or a flipped bit
before Keras or TensorFlow read the file, so the user sees "corrupt or
incomplete bundle" instead of an obscure zip or protobuf error. It is not a
signature: whoever can edit the files can recompute it (see the user guide
on trusting bundles, docs/guide/trust.md).

Example:
    >>> import pathlib
    >>> folder = pathlib.Path("bundle")
    >>> folder.mkdir()
    >>> _ = (folder / "history.csv").write_text("epoch,loss")
    >>> sums = tree_checksums(folder)
    >>> sums
    {'history.csv': '81869416b92d72cd68cdf3a840e82baa2cc3481424b48205ee27ceff49c9017f'}
    >>> verify_checksums(folder, sums)  # nothing to report
    >>> _ = (folder / "history.csv").write_text("epoch,loss,oops")
    >>> verify_checksums(folder, sums)
    Traceback (most recent call last):
    ...
    ValueError: corrupt or incomplete bundle at 'bundle': the file 'history.csv'
    does not match its SHA-256 checksum (expected 81869416b92d..., found ...
"""

import hashlib
import json
import os
import pathlib

from nda_models.export.format.bundle_layout import METADATA_FILE, corrupt_bundle

_CHUNK = 1 << 20


def file_sha256(path):
    """Hex SHA-256 of one file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_checksums(folder):
    """Maps each file under ``folder`` (except metadata.json) to its SHA-256.

    Args:
        folder: The bundle directory.

    Returns:
        ``{relative posix path: hex digest}``, sorted by path.
    """
    folder = pathlib.Path(folder)
    sums = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = pathlib.Path(root) / name
            relative = path.relative_to(folder).as_posix()
            if relative != METADATA_FILE:
                sums[relative] = file_sha256(path)
    return dict(sorted(sums.items()))


def metadata_sha256(metadata):
    """SHA-256 of the metadata itself, without its ``metadata_sha256`` field.

    The metadata cannot hold the checksum of its own file, so it holds the
    checksum of its canonical JSON form (sorted keys).
    """
    body = {key: value for key, value in metadata.items() if key != "metadata_sha256"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verify_checksums(folder, expected):
    """Checks that every listed file exists and has its recorded SHA-256.

    Args:
        folder: The bundle directory.
        expected: ``{relative path: hex digest}`` from metadata.json.

    Raises:
        ValueError: "corrupt or incomplete bundle", naming the first file that
            is missing or differs.
    """
    folder = pathlib.Path(folder)
    for relative, digest in expected.items():
        parts = pathlib.PurePosixPath(relative).parts
        if not parts or parts[0] == "/" or ".." in parts:
            raise corrupt_bundle(folder, f"the checksum list names {relative!r}")
        path = folder / relative
        if not path.is_file():
            raise corrupt_bundle(folder, f"the file {relative!r} is missing")
        actual = file_sha256(path)
        if actual != digest:
            raise corrupt_bundle(
                folder,
                f"the file {relative!r} does not match its SHA-256 checksum "
                f"(expected {digest[:12]}..., found {actual[:12]}...)",
            )
