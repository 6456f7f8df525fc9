"""The declared schema of metadata.json: every field, its type and its rules.

``FIELDS`` is the one place that says what a bundle's metadata holds; the
loader checks a bundle against it before using any field, so a damaged or
hand-edited metadata.json is reported as "corrupt or incomplete bundle"
naming the field and what was found, never as a ``KeyError`` or a silently
wrong prediction. To add a field, add one ``Field`` here (and write it in
``save.py``); keys that are not declared are the user's own ``**metadata``
and are kept unchecked.

Field types: ``"text"``, ``"integer"`` (not a bool), ``"object"`` (a JSON
object), ``"texts"`` (a list of strings), ``"digests"`` (an object of
relative path -> SHA-256 hex) and ``"sha256"`` (64 lowercase hex digits).

Example:
    >>> check_metadata({"format": "nda_models.bundle", ...}, "saved_models/m")
"""

import dataclasses
import re

from nda_models.core.constraints import is_integer
from nda_models.export.format.bundle_layout import (
    FORMAT_NAME,
    METADATA_FILE,
    corrupt_bundle,
)
from nda_models.zoo.output_kinds import OUTPUT_KINDS
from nda_models.zoo.tasks import TASKS

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclasses.dataclass(frozen=True)
class Field:
    """One metadata field.

    Args:
        kind: The field type (see the module docstring).
        required: The field must be present.
        nullable: ``null`` is allowed.
        choices: Allowed values (empty: any value of the type).
        minimum: Smallest allowed integer.
    """

    kind: str
    required: bool = True
    nullable: bool = False
    choices: tuple = ()
    minimum: int | None = None


FIELDS = {
    "format": Field("text", choices=(FORMAT_NAME,)),
    "format_version": Field("integer", minimum=1),
    "registry_name": Field("text", nullable=True),
    "task": Field("text", choices=tuple(TASKS)),
    "output_kind": Field("text", choices=tuple(OUTPUT_KINDS)),
    "input_dim": Field("integer", minimum=1),
    "hparams": Field("object"),
    "feature_names": Field("texts", nullable=True),
    "class_names": Field("texts", nullable=True),
    "dataset": Field("object", nullable=True),
    "normalization": Field("object", nullable=True),
    "metrics": Field("object"),
    "serving": Field("object"),
    # model.onnx (opset, input, outputs, exporter); null when saved with
    # onnx=False, absent in bundles written before model.onnx existed.
    "onnx": Field("object", required=False, nullable=True),
    "history_file": Field("text", nullable=True),
    "versions": Field("object"),
    "created": Field("text"),
    "files": Field("digests"),
    "metadata_sha256": Field("sha256"),
}

# Which output kinds each task may have.
_KINDS_OF_TASK = {
    "regression": ("regression",),
    "binary": ("binary_probability", "binary_decision"),
    "multiclass": ("multiclass_probability",),
}


def check_metadata(metadata, folder):
    """Checks ``metadata`` against ``FIELDS`` and the rules between fields.

    Args:
        metadata: The parsed metadata.json (any JSON value).
        folder: The bundle directory, for the message.

    Raises:
        ValueError: "corrupt or incomplete bundle", naming the first field
            that is missing or wrong and what was found.
    """
    if not isinstance(metadata, dict):
        raise _bad(folder, f"holds {_found(metadata)} instead of an object")
    for name, field in FIELDS.items():
        if name not in metadata:
            if field.required:
                raise _bad(folder, f"has no {name!r} field")
            continue
        problem = field_problem(field, metadata[name])
        if problem:
            raise _bad(folder, f"field {name!r} {problem}")
    problem = _consistency_problem(metadata)
    if problem:
        raise _bad(folder, problem)


def check_field(metadata, name, folder):
    """Checks one declared field of ``metadata`` (e.g. before the others)."""
    field = FIELDS[name]
    if name not in metadata:
        raise _bad(folder, f"has no {name!r} field")
    problem = field_problem(field, metadata[name])
    if problem:
        raise _bad(folder, f"field {name!r} {problem}")


def field_problem(field, value):
    """What is wrong with ``value`` for ``field``, or ``""`` if nothing."""
    if value is None:
        return "" if field.nullable else "is null"
    expected = _type_problem(field.kind, value)
    if expected:
        return f"should be {expected}, found {_found(value)}"
    if field.choices and value not in field.choices:
        return f"should be one of {list(field.choices)}, found {_found(value)}"
    if field.minimum is not None and value < field.minimum:
        return f"should be at least {field.minimum}, found {value}"
    return ""


def _type_problem(kind, value):
    if kind == "text":
        return "" if isinstance(value, str) else "a string"
    if kind == "integer":
        return "" if is_integer(value) else "an integer"
    if kind == "object":
        return "" if isinstance(value, dict) else "an object"
    if kind == "texts":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return "" if ok else "a list of strings"
    if kind == "sha256":
        ok = isinstance(value, str) and _SHA256.fullmatch(value)
        return "" if ok else "a SHA-256 (64 hex digits)"
    if kind == "digests":
        ok = isinstance(value, dict) and all(
            isinstance(v, str) and _SHA256.fullmatch(v) for v in value.values()
        )
        return "" if ok else "an object of file -> SHA-256 (64 hex digits)"
    raise ValueError(f"Unknown metadata field type. Received: kind={kind!r}")


def _consistency_problem(metadata):
    """Rules between fields: task and output kind, names and sizes."""
    task, kind = metadata["task"], metadata["output_kind"]
    if kind not in _KINDS_OF_TASK[task]:
        return f"field 'output_kind' is {kind!r}, which a {task} model cannot have"
    features = metadata.get("feature_names")
    if features is not None and len(features) != metadata["input_dim"]:
        return (
            f"field 'feature_names' has {len(features)} names for "
            f"input_dim={metadata['input_dim']} features"
        )
    classes = metadata.get("class_names")
    if task == "regression" and classes is not None:
        return f"field 'class_names' is {_found(classes)} for a regression model"
    if task == "binary" and classes is not None and len(classes) != 2:
        return f"field 'class_names' has {len(classes)} names for a binary model"
    for name in (features, classes):
        if name is not None and len(set(name)) != len(name):
            return f"names repeat in {_found(name)}"
    return ""


def _found(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _bad(folder, detail):
    return corrupt_bundle(folder, f"{METADATA_FILE} {detail}")
