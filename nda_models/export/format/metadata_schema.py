"""The declared schema of metadata.json, as a JSON Schema, and its checks.

``metadata.schema.json`` beside this module is the one place that says what a
bundle's metadata holds: every field, its type, its allowed values, down to
the normalisation statistics (a list of numbers >= 0 per feature). It is a
standard JSON Schema (draft 2020-12), so a tool in any language can validate
a bundle's metadata.json with it, and it is checked itself
(``Draft202012Validator.check_schema``) in every test run and before the
first bundle is checked: a typo in the schema fails in the tests, never
silently. ``jsonschema`` is imported then, not with ``import nda_models``:
beside JupyterLab (the ``dev`` extra) it loads rfc3987-syntax's grammar,
about 1 s of CPU that ``nda --help`` has no use for. Why JSON Schema
rather than typed dataclasses or pydantic: the format is a file that other
languages read (the user guide shows ONNX Runtime serving a bundle from
JavaScript), the rules are data rather than code, and ``jsonschema`` is a
small pure-Python dependency.

The loader checks a bundle against the schema before using any field, so a
damaged or hand-edited metadata.json is reported as "corrupt or incomplete
bundle" naming the field and what was found, never as a ``KeyError``, a
``could not convert string to float`` or a silently wrong prediction. Rules
between fields (task and output kind, the number of names and of
normalisation statistics) are checked here in Python, after the schema.
Keys the schema does not declare are the user's own ``**metadata``, kept
unchecked. One departure from plain JSON Schema: an ``"integer"`` is a JSON
integer (``4``), not ``4.0``, as Python's ``json`` writes and reads them.

To add a field: declare it in the schema file (and write it in ``save.py``).

Example:
    >>> metadata = {"format": "nda_models.bundle", "format_version": 1}
    >>> check_metadata(metadata, "saved_models/m")
    Traceback (most recent call last):
    ...
    ValueError: corrupt or incomplete bundle at 'saved_models/m': metadata.json
    has no 'registry_name' field. ...
    >>> FIELDS[:3]
    ('format', 'format_version', 'registry_name')
"""

import functools
import importlib.resources
import json
import math

from nda_models.core.lazy_module import lazy_module
from nda_models.export.format.bundle_layout import METADATA_FILE, corrupt_bundle
from nda_models.zoo.output_kinds import OUTPUT_KINDS, output_kinds_of
from nda_models.zoo.tasks import TASKS

jsonschema = lazy_module("jsonschema")

SCHEMA_FILE = "metadata.schema.json"
SCHEMA = json.loads(
    importlib.resources.files(__package__).joinpath(SCHEMA_FILE).read_text("utf-8")
)

# The declared fields, in the schema's order (save_model reserves these keys).
FIELDS = tuple(SCHEMA["properties"])


@functools.cache
def _validator():
    """The schema, checked, as a validator (built once, at the first check).

    Integers are JSON integers: not booleans (as in JSON Schema) and not 4.0.
    """
    draft = jsonschema.Draft202012Validator
    draft.check_schema(SCHEMA)
    integers = draft.TYPE_CHECKER.redefine("integer", lambda _, v: type(v) is int)
    return jsonschema.validators.extend(draft, type_checker=integers)(SCHEMA)


def check_metadata(metadata, folder):
    """Checks ``metadata`` against the schema, then the rules between fields.

    Args:
        metadata: The parsed metadata.json (any JSON value).
        folder: The bundle directory, for the message.

    Raises:
        ValueError: "corrupt or incomplete bundle", naming the first field
            (in the schema's order) that is missing or wrong, and what was
            found.
    """
    if not isinstance(metadata, dict):
        raise _bad(folder, f"holds {_found(metadata)} instead of an object")
    for name in FIELDS:
        check_field(metadata, name, folder)
    problem = _consistency_problem(metadata)
    if problem:
        raise _bad(folder, problem)


def check_field(metadata, name, folder):
    """Checks one declared field of ``metadata`` (e.g. before the others)."""
    if name not in metadata:
        if name in SCHEMA["required"]:
            raise _bad(folder, f"has no {name!r} field")
        return
    document = {name: metadata[name]}
    errors = [
        error
        for error in _validator().iter_errors(document)
        if error.validator != "required" or error.path  # others are checked here
    ]
    if errors:
        error = jsonschema.exceptions.best_match(errors)
        raise _bad(folder, _message(error, document))


def _message(error, document):
    """``field 'x.y' should be ..., found ...`` for one schema error."""
    path = list(error.absolute_path)
    if error.validator in ("enum", "const"):
        allowed = error.validator_value
        allowed = allowed if isinstance(allowed, list) else [allowed]
        found = _found(error.instance)
        return f"field {_dotted(path)!r} should be one of {allowed}, found {found}"
    if error.validator == "required":
        missing = next(k for k in error.validator_value if k not in error.instance)
        return f"field {_dotted(path)!r} has no {missing!r} entry"
    # The nearest named field on the path that says in words what it holds
    # (a list's items and an object's free keys are described by their field).
    depth = next(
        (
            d
            for d in range(len(path), 0, -1)
            if _is_named(path[:d]) and "expected" in _node_at(path[:d])
        ),
        0,
    )
    if error.validator == "minimum" and depth in (0, len(path)):
        return (
            f"field {_dotted(path)!r} should be at least {error.validator_value}, "
            f"found {error.instance!r}"
        )
    value = document
    for key in path[:depth]:
        value = value[key]
    expected = _node_at(path[:depth]).get("expected", "valid")
    return (
        f"field {_dotted(path[:depth])!r} should be {expected}, found {_found(value)}"
    )


def _node_at(path):
    """The schema node that describes the value at ``path`` (refs resolved)."""
    node = _resolved(SCHEMA)
    for key in path:
        if isinstance(key, int):
            node = _resolved(node.get("items", {}))
        else:
            known = node.get("properties", {})
            node = _resolved(known.get(key, node.get("additionalProperties", {})))
    return node


def _is_named(path):
    """True if the last key of ``path`` is a property the schema names."""
    key = path[-1]
    parent = _node_at(path[:-1])
    return isinstance(key, str) and key in parent.get("properties", {})


def _resolved(node):
    if not isinstance(node, dict):
        return {}
    ref = node.get("$ref", "")
    return SCHEMA["$defs"][ref.rsplit("/", 1)[1]] if ref else node


def _dotted(path):
    text = str(path[0])
    for key in path[1:]:
        text += f"[{key}]" if isinstance(key, int) else f".{key}"
    return text


def _consistency_problem(metadata):
    """Rules between fields: task and output kind, names and sizes."""
    task, kind = metadata["task"], metadata["output_kind"]
    if task not in TASKS or kind not in OUTPUT_KINDS:
        return f"field 'task' or 'output_kind' is unknown: {task!r}, {kind!r}"
    if kind not in output_kinds_of(task):
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
    return _normalization_problem(metadata.get("normalization"), metadata)


def _normalization_problem(stats, metadata):
    if stats is None:
        return ""
    for key in ("mean", "variance"):
        values = stats[key]
        if len(values) != metadata["input_dim"]:
            return (
                f"field 'normalization.{key}' has {len(values)} values for "
                f"input_dim={metadata['input_dim']} features"
            )
        if not all(math.isfinite(value) for value in values):
            return f"field 'normalization.{key}' holds a value that is not finite"
    return ""


def _found(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _bad(folder, detail):
    return corrupt_bundle(folder, f"{METADATA_FILE} {detail}")
