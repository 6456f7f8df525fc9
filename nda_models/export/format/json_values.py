"""Conversion of user metadata (NumPy numbers, tuples, paths) to plain JSON.

metadata.json is strict JSON that any language can read: NumPy scalars and
arrays become numbers and lists, tuples become lists, paths become strings,
NaN and infinity become ``null``. Its strings are text: a lone surrogate
(``"\\ud800"``, half of a UTF-16 pair, e.g. from bytes decoded with
``errors="surrogateescape"``) is no character, cannot be written as UTF-8 (a
CSV of predictions, a terminal) and is found by ``lone_surrogate``.

Example:
    >>> to_json({"accuracy": np.float32(0.5), "units": (64, 32)}, "metrics")
    {'accuracy': 0.5, 'units': [64, 32]}
    >>> lone_surrogate({"class_names": ["cat", "\\ud83d"]})
    ('class_names[1]', '\\ud83d')
"""

import json
import math
import os

import numpy as np


def to_json(value, where):
    """Returns ``value`` as plain JSON types.

    Args:
        value: Metadata value.
        where: Its name, for the error message (e.g. ``"metrics['loss']"``).

    Raises:
        TypeError: for a value JSON cannot represent (an object, a function).
    """
    if isinstance(value, np.generic | np.ndarray):
        value = value.tolist()
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, dict):
        return {
            str(key): to_json(item, f"{where}[{key!r}]") for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [to_json(item, f"{where}[{index}]") for index, item in enumerate(value)]
    raise TypeError(
        f"Metadata {where} cannot be stored in metadata.json. Pass numbers, "
        "strings, booleans, None, lists or dicts of them. Received: "
        f"{where}={value!r} of type {type(value).__name__}"
    )


def lone_surrogate(value, where=""):
    """The first string (or key) of JSON ``value`` that is not text, or ``None``.

    Args:
        value: Plain JSON types (as ``to_json`` returns or ``json`` reads).
        where: The name of ``value`` (``""`` for a whole metadata dict, whose
            keys are then the names).

    Returns:
        ``(place, string)``: ``place`` names the string (``class_names[1]``,
        or ``a key of files``), ``string`` holds a lone surrogate.
    """
    try:  # the common case at C speed: every string encodes
        json.dumps(value, ensure_ascii=False).encode("utf-8")
        return None
    except UnicodeEncodeError:
        return _first_surrogate(value, where)


def _first_surrogate(value, where):
    if isinstance(value, str):
        return None if _is_text(value) else (where, value)
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and not _is_text(key):
            return (f"a key of {where or 'the metadata'}", key)
        place = f"{where}[{key!r}]" if where else str(key)
        found = _first_surrogate(item, place)
        if found is not None:
            return found
    return None


def _is_text(string):
    try:
        string.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
