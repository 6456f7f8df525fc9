"""The ``sklearn_state`` of a bundle, checked before ``load_estimator`` uses it.

metadata.json's schema (``export/format/metadata.schema.json``) declares the
fields every bundle has and leaves other keys to their writer;
``sklearn_state`` is ``est.save``'s. A bundle is the user's to receive from
anyone, so a damaged or hand-edited state is a "corrupt or incomplete bundle"
naming the entry and what was found, before any of it is used: never an
``AttributeError``, ``KeyError``, ``OverflowError`` or NumPy's ufunc error
from deep in the restore, nor an estimator whose ``model`` parameter or
architecture is another model than the bundle's.

Example:
    >>> check_saved_state({"estimator": "NDARegressor"}, {}, "saved_models/m")
    Traceback (most recent call last):
    ...
    ValueError: corrupt or incomplete bundle at 'saved_models/m': its \
sklearn_state has no 'params' entry. ...
"""

import math

import numpy as np

from nda_models.export.format.bundle_layout import corrupt_bundle


def _integer(low, high=math.inf):
    return lambda value: type(value) is int and low <= value < high


def _finite(value):
    try:
        return type(value) in (int, float) and math.isfinite(value)
    except OverflowError:  # an int beyond any float
        return False


def _target_scale(value):
    """``[shift, scale]`` of a regressor's targets: finite, the scale > 0."""
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(_finite(v) for v in value)
        and value[1] > 0
    )


def _architecture(value):
    return (
        isinstance(value, dict)
        and isinstance(value.get("name"), str)
        and _integer(1)(value.get("input_dim"))
        and isinstance(value.get("options"), dict)
    )


# entry: (its check, what it holds in words); the last three only some have.
_ENTRIES = {
    "estimator": (lambda v: isinstance(v, str), "a string"),
    "params": (lambda v: isinstance(v, dict), "an object"),
    "architecture": (
        _architecture,
        "an object with 'name', 'input_dim' (an integer >= 1) and 'options'",
    ),
    "feature_names_in": (lambda v: type(v) is bool, "true or false"),
    "n_iter": (_integer(0), "an integer >= 0"),
    "sampling_seed": (_integer(0, 2**32), "an integer in [0, 2**32)"),
    "classes": (lambda v: isinstance(v, list) and len(v) >= 2, "a list of labels"),
    "classes_dtype": (lambda v: isinstance(v, str), "a NumPy dtype such as '<i8'"),
    "target_scale": (_target_scale, "[shift, scale], finite numbers, scale > 0"),
}
_OPTIONAL = ("classes", "classes_dtype", "target_scale")


def check_saved_state(saved, metadata, folder, estimator="NDARegressor", task=None):
    """Refuses an ``sklearn_state`` that ``est.save`` could not have written.

    Args:
        saved: The ``sklearn_state`` entry of the metadata (any JSON value).
        metadata: The bundle's metadata (its registry name and input width).
        folder: The bundle directory, for the message.
        estimator: The estimator class the bundle's model needs.
        task: The model's task, for the message.

    Raises:
        ValueError: "corrupt or incomplete bundle" naming the first entry
            missing or wrong, or one that disagrees with the bundle's model.
    """
    if not isinstance(saved, dict):
        raise _bad(folder, f"is {_found(saved)} instead of an object")
    name, width = metadata.get("registry_name"), metadata.get("input_dim")
    if saved.get("estimator") != estimator:
        detail = f"is of a {saved.get('estimator')!r} but its model {name!r}"
        raise _bad(folder, f"{detail} is a {task} model")
    for key, (check, expected) in _ENTRIES.items():
        if key not in saved:
            if key in _OPTIONAL:
                continue
            raise _bad(folder, f"has no {key!r} entry")
        if not check(saved[key]):
            raise _bad(
                folder, f"{key!r} should be {expected}, found {_found(saved[key])}"
            )
    arch, model = saved["architecture"], saved["params"].get("model")
    if (arch["name"], arch["input_dim"], model) != (name, width, name):
        raise _bad(
            folder,
            f"is of model {model!r}, architecture {arch['name']!r} with "
            f"input_dim={arch['input_dim']}, but the bundle holds {name!r} with "
            f"input_dim={width}",
        )
    if "classes" in saved:
        _check_classes(saved["classes"], saved.get("classes_dtype"), folder)


def _check_classes(classes, dtype, folder):
    """The labels must read back as the array they were (``classes_``)."""
    try:
        np.asarray(classes, dtype=np.dtype(dtype))
    except (TypeError, ValueError) as error:
        raise _bad(
            folder,
            f"'classes' {_found(classes)} cannot be read as dtype {dtype!r} ({error})",
        ) from None


def _found(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _bad(folder, detail):
    return corrupt_bundle(folder, f"its sklearn_state {detail}")
