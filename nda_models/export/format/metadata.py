"""metadata.json: what a bundle says about its model, data and making.

The fields and their types are declared once, in the JSON Schema
``metadata.schema.json`` (see ``metadata_schema``), and every bundle is
checked against it when it is read. Fields (format
version 1): ``format``, ``format_version``, ``registry_name``,
``task``, ``output_kind``, ``input_dim``, ``hparams``, ``feature_names``,
``class_names``, ``dataset``, ``normalization``, ``metrics``, ``serving``,
``onnx`` (model.onnx: opset, input, outputs, exporter; ``None`` without it),
``history_file``, ``versions``, ``created`` (UTC, ISO 8601), ``files``
(SHA-256 of every other file) and ``metadata_sha256``; extra keyword
metadata given to ``save_model`` is stored beside them.

Example:
    >>> ds = nda.load_dataset("iris")
    >>> model = nda.build_model("softmax_classifier", input_dim=4, num_classes=3)
    >>> folder = nda.save_model(model, "saved_models/iris_softmax", dataset=ds)
    >>> metadata = read_metadata(folder)
    >>> metadata["feature_names"][:2], metadata["output_kind"]
    (['sepal length (cm)', 'sepal width (cm)'], 'multiclass_probability')
"""

import datetime
import json
import platform
from importlib import metadata as importlib_metadata

from nda_models.core.bundle_files import METADATA_MAX_BYTES
from nda_models.export.format.bundle_layout import (
    FORMAT_NAME,
    FORMAT_VERSION,
    METADATA_FILE,
    corrupt_bundle,
)
from nda_models.export.format.checksums import metadata_sha256
from nda_models.export.format.json_values import lone_surrogate, to_json
from nda_models.export.format.metadata_schema import FIELDS, check_field, check_metadata

# The largest metadata.json read or written (the format's limit, in core).
MAX_BYTES = METADATA_MAX_BYTES

# Why a string with a lone surrogate is refused, at save and at load.
_SURROGATE = (
    "a lone surrogate ('\\ud800'-'\\udfff') is half of a UTF-16 pair, no "
    "character: it cannot be written as UTF-8 (a CSV of predictions, a terminal)"
)

# Keys save_model sets itself: the declared fields.
RESERVED = tuple(FIELDS)
_PACKAGES = (
    "nda_models",
    "tensorflow",
    "keras",
    "numpy",
    "pandas",
    "tf2onnx",
    "onnx",
    "onnxruntime",
)


def library_versions():
    """Versions of Python and the libraries a bundle depends on."""
    versions = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def user_metadata(extra):
    """Checks the extra ``**metadata`` of ``save_model``; returns it as JSON.

    Raises:
        ValueError: if a key is one the bundle sets itself.
        TypeError: if a value cannot be stored as JSON.
    """
    for key in extra:
        if key in RESERVED:
            raise ValueError(
                f"The metadata key {key!r} is set by save_model itself; rename "
                f"your entry. Reserved keys: {list(RESERVED)}. Received: {key}="
                f"{extra[key]!r}"
            )
    return {key: to_json(value, key) for key, value in extra.items()}


def check_text(fields):
    """Refuses a string of the metadata ``fields`` that is not text.

    Raises:
        ValueError: naming the first string (or key) holding a lone
            surrogate, which ``read_metadata`` refuses.
    """
    found = lone_surrogate(fields)
    if found is not None:
        place, text = found
        raise ValueError(
            f"The bundle's {METADATA_FILE} cannot hold the string {text!r} "
            f"({place}): {_SURROGATE}. Pass text: decode bytes with "
            f"errors='replace' (not 'surrogateescape'). Received: {place}={text!r}"
        )


def finish_metadata(fields, files):
    """Adds format, versions, creation time and checksums to ``fields``.

    Args:
        fields: The descriptive fields (registry name, names, hparams, ...).
        files: ``{relative path: sha256}`` of the bundle's other files.

    Returns:
        The complete metadata dict, ready for ``write_metadata``.
    """
    metadata = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION}
    metadata.update(fields)
    metadata["versions"] = library_versions()
    metadata["created"] = datetime.datetime.now(datetime.UTC).isoformat(
        timespec="seconds"
    )
    metadata["files"] = files
    metadata["metadata_sha256"] = metadata_sha256(metadata)
    return metadata


def write_metadata(folder, metadata):
    """Writes metadata.json (strict JSON, UTF-8, sorted keys) into ``folder``.

    Raises:
        ValueError: if the file would be larger than ``MAX_BYTES``, which
            ``read_metadata`` refuses.
    """
    text = json.dumps(metadata, indent=2, sort_keys=True, allow_nan=False) + "\n"
    data = text.encode("utf-8")
    if len(data) > MAX_BYTES:
        names = metadata.get("feature_names") or []
        raise ValueError(
            f"The bundle's {METADATA_FILE} would be {len(data):,} bytes, more "
            f"than the {MAX_BYTES:,} a bundle may hold (load_model reads no "
            "more). Shorten the feature or class names, or store large extra "
            f"metadata in a file of your own. Received: {len(names)} feature names"
        )
    (folder / METADATA_FILE).write_bytes(data)


def read_metadata(folder):
    """Reads metadata.json of the bundle ``folder`` and checks it.

    The file must be at most ``MAX_BYTES`` (no more is read), strict JSON
    (no NaN, no key twice in an object), ours, of a format this version
    reads, valid against the declared schema (``metadata.schema.json``) and
    unaltered (its ``metadata_sha256``).

    Raises:
        ValueError: "corrupt or incomplete bundle" naming the field and what
            was found if the file is missing, not JSON, not ours, invalid or
            altered; or an upgrade hint if a newer format wrote it.
    """
    path = folder / METADATA_FILE
    if not path.is_file():
        raise corrupt_bundle(folder, f"{METADATA_FILE} is missing")
    with open(path, "rb") as stream:
        data = stream.read(MAX_BYTES + 1)  # never more, whatever the file's size
    if len(data) > MAX_BYTES:
        raise corrupt_bundle(
            folder,
            f"{METADATA_FILE} is larger than {MAX_BYTES >> 20} MiB, more than a "
            "bundle ever writes",
        )
    try:
        metadata = json.loads(
            data.decode("utf-8"),
            parse_constant=_not_a_number,
            object_pairs_hook=_no_repeated_keys,
        )
    except (UnicodeDecodeError, ValueError) as error:
        raise corrupt_bundle(
            folder, f"{METADATA_FILE} is not valid JSON ({error})"
        ) from None
    except RecursionError:
        raise corrupt_bundle(
            folder, f"{METADATA_FILE} nests lists or objects too deeply to read"
        ) from None
    try:
        _check(metadata, folder)
    except RecursionError:
        raise corrupt_bundle(
            folder, f"{METADATA_FILE} nests lists or objects too deeply to check"
        ) from None
    return metadata


def _no_repeated_keys(pairs):
    """An object naming a key twice means one thing to one reader and another
    to the next (Python keeps the last value); a bundle never writes one."""
    value = dict(pairs)
    if len(value) < len(pairs):
        keys = [key for key, _ in pairs]
        repeated = next(key for i, key in enumerate(keys) if key in keys[:i])
        raise ValueError(f"the key {repeated!r} appears twice in one object")
    return value


def _not_a_number(name):
    """Python's json reads NaN and Infinity; strict JSON, as written, has none."""
    raise ValueError(f"{name} is not a JSON number")


def _check(metadata, folder):
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT_NAME:
        raise corrupt_bundle(folder, f"{METADATA_FILE} is not nda_models metadata")
    check_field(metadata, "format_version", folder)
    version = metadata["format_version"]
    if version > FORMAT_VERSION:
        raise ValueError(
            f"The bundle at {str(folder)!r} has format version {version!r}; this "
            f"nda_models reads versions up to {FORMAT_VERSION}. Upgrade nda_models. "
            f"Received: format_version={version!r}"
        )
    check_metadata(metadata, folder)
    if metadata["metadata_sha256"] != metadata_sha256(metadata):
        raise corrupt_bundle(folder, f"{METADATA_FILE} does not match its checksum")
    found = lone_surrogate(metadata)
    if found is not None:
        place, text = found
        detail = f"{METADATA_FILE} holds the string {text!r} ({place}): {_SURROGATE}"
        raise corrupt_bundle(folder, detail)
