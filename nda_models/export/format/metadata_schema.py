"""The declared schema of metadata.json, as a JSON Schema, and its checks.

``metadata.schema.json`` beside this module is the one place that says what a
bundle's metadata holds: every field, its type, its allowed values, down to
the normalisation statistics (a list of numbers >= 0 per feature). It is a
standard JSON Schema (draft 2020-12), so a tool in any language can validate
a bundle's metadata.json with it, and it is checked itself
(``jsonschema.Draft202012Validator.check_schema``) in every test run: a typo
in the schema fails in the tests, never silently.

The loader validates with ``fastjsonschema``, which compiles the schema into
one Python function at the first check (about 10 ms; it imports in 5 ms and
imports nothing else). ``jsonschema``, the reference implementation, is the
tests' oracle instead: ``tests/test_export_metadata_schema.py`` checks that
both give the same verdict on thousands of damaged documents. Beside
JupyterLab, whose ``jsonschema[format-nongpl]`` installs rfc3987-syntax,
importing ``jsonschema`` builds that package's grammar: 1.8 s of CPU that
every ``nda predict`` paid (python-jsonschema/jsonschema#1428). Why JSON
Schema rather than typed dataclasses or pydantic: the format is a file that
other languages read (the user guide shows ONNX Runtime serving a bundle from
JavaScript), and the rules are data rather than code.

The loader checks a bundle against the schema before using any field, so a
damaged or hand-edited metadata.json is reported as "corrupt or incomplete
bundle" naming the field and what was found, never as a ``KeyError``, a
``could not convert string to float`` or a silently wrong prediction. Rules
between fields (task and output kind, the number of names and of
normalisation statistics) are checked here in Python, after the schema.
Keys the schema does not declare are the user's own ``**metadata``, kept
unchecked. One departure from plain JSON Schema: an ``"integer"`` is a JSON
integer (``4``), not ``4.0``, as Python's ``json`` writes and reads them
(checked here, after the schema).

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

fastjsonschema = lazy_module("fastjsonschema")

SCHEMA_FILE = "metadata.schema.json"
SCHEMA = json.loads(
    importlib.resources.files(__package__).joinpath(SCHEMA_FILE).read_text("utf-8")
)

# The declared fields, in the schema's order (save_model reserves these keys).
FIELDS = tuple(SCHEMA["properties"])


@functools.cache
def _validate():
    """The schema compiled to a function (once, at the first check).

    The top level's ``required`` is left out: ``check_field`` checks one field
    at a time, in a document that holds only that field.
    """
    fields_only = {**SCHEMA, "required": []}
    return fastjsonschema.compile(fields_only, use_formats=False)


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
    try:
        _validate()(document)
    except fastjsonschema.JsonSchemaValueException as error:
        path = _path_in(document, error.name, error.value) or [name]
        raise _bad(
            folder, _message(error.rule, error.rule_definition, path, document)
        ) from None
    path = _float_integer(document, name)
    if path is not None:
        raise _bad(folder, _message("type", "integer", path, document))


def _path_in(document, name, failing):
    """The keys of the failing value ``failing`` in ``document``.

    fastjsonschema names it ``data.files.model.keras`` or
    ``data.normalization.mean[3]``: keys joined by dots, so a key holding a
    dot or a bracket (a file name in ``files``) cannot be told from two keys
    by splitting. The name is matched against the document's own keys
    instead, down to the value that failed. List indices become ints.
    ``None`` if nothing matches (never seen).
    """
    return _match(document, name.removeprefix("data"), failing)


def _match(value, rest, failing):
    """The keys below ``value`` spelled by ``rest`` (``.key``, ``[3]``)."""
    if not rest:
        return [] if value is failing else None
    if isinstance(value, dict):
        candidates = [
            (key, rest[len(key) + 1 :])
            for key in value
            # the key, then the end of the name ("" is in any string), a dot or [
            if rest.startswith(f".{key}") and rest[len(key) + 1 : len(key) + 2] in "[."
        ]
    elif isinstance(value, list) and rest.startswith("["):
        index, _, tail = rest[1:].partition("]")
        fits = index.isdigit() and int(index) < len(value)
        candidates = [(int(index), tail)] if fits else []
    else:
        candidates = []
    for key, tail in candidates:
        below = _match(value[key], tail, failing)
        if below is not None:
            return [key, *below]
    return None


def _float_integer(document, name):
    """The path of a float (e.g. ``4.0``) where the schema says integer.

    JSON Schema counts 4.0 as an integer; this format does not. Only the
    schema's integer fields are looked at (``_integer_paths``), not every
    value: a bundle's normalisation statistics may hold millions of numbers.
    """
    for path in _integer_paths(name):
        value = document
        for key in path:
            if not isinstance(value, dict) or key not in value:
                break
            value = value[key]
        else:
            if isinstance(value, float):
                return list(path)
    return None


@functools.cache
def _integer_paths(name):
    """The paths of field ``name``'s integers, through declared properties.

    Raises:
        TypeError: if the schema puts an integer in a list's items or an
            object's free keys, which ``_float_integer`` does not look into.
    """
    found = []

    def walk(node, path):
        node = _resolved(node)
        if "integer" in _types(node):
            found.append(path)
        for key, child in node.get("properties", {}).items():
            walk(child, (*path, key))
        for free in ("items", "additionalProperties"):
            if _holds_integer(node.get(free, {})):
                raise TypeError(f"{SCHEMA_FILE}: an integer under {path} {free}")

    walk(SCHEMA["properties"][name], (name,))
    return tuple(found)


def _holds_integer(node):
    node = _resolved(node)
    children = [*node.get("properties", {}).values()]
    children += [node[k] for k in ("items", "additionalProperties") if k in node]
    return "integer" in _types(node) or any(_holds_integer(c) for c in children)


def _types(node):
    types = node.get("type", [])
    return types if isinstance(types, list) else [types]


def _message(rule, rule_value, path, document):
    """``field 'x.y' should be ..., found ...`` for one schema error.

    ``rule`` is the schema keyword that failed (``"type"``, ``"enum"``...),
    ``rule_value`` its value in the schema, ``path`` the failing value's keys.
    """
    instance = document
    for key in path:
        instance = instance[key]
    if rule in ("enum", "const"):
        allowed = rule_value if isinstance(rule_value, list) else [rule_value]
        found = _found(instance)
        return f"field {_dotted(path)!r} should be one of {allowed}, found {found}"
    if rule == "required":
        missing = next(k for k in rule_value if k not in instance)
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
    if rule == "minimum" and depth in (0, len(path)):
        return (
            f"field {_dotted(path)!r} should be at least {rule_value}, "
            f"found {instance!r}"
        )
    value = document
    for key in path[:depth]:
        value = value[key]
    expected = _node_at(path[:depth]).get("expected", "valid")
    text = (
        f"field {_dotted(path[:depth])!r} should be {expected}, found {_found(value)}"
    )
    if depth < len(path):  # which item or entry: the field may hold thousands
        text += f"; {_dotted(path)} is {_found(instance)}"
    return text


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
    """``normalization.mean[3]``; a key the schema does not name is quoted:
    ``files['model.keras']``."""
    text = str(path[0])
    for depth, key in enumerate(path[1:], 2):
        if isinstance(key, int):
            text += f"[{key}]"
        else:
            text += f".{key}" if _is_named(path[:depth]) else f"[{key!r}]"
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
        if not all(_finite(value) for value in values):
            return f"field 'normalization.{key}' holds a value that is not finite"
    return ""


def _finite(number):
    """math.isfinite, False for an int beyond any float (10**400 raises)."""
    try:
        return math.isfinite(number)
    except OverflowError:
        return False


def _found(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _bad(folder, detail):
    return corrupt_bundle(folder, f"{METADATA_FILE} {detail}")
