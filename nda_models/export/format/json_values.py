"""Conversion of user metadata (NumPy numbers, tuples, paths) to plain JSON.

metadata.json is strict JSON that any language can read: NumPy scalars and
arrays become numbers and lists, tuples become lists, paths become strings,
NaN and infinity become ``null``.

Example:
    >>> to_json({"accuracy": np.float32(0.5), "units": (64, 32)}, "metrics")
    {'accuracy': 0.5, 'units': [64, 32]}
"""

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
