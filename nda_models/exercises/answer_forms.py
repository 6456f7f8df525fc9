"""What an answer looks like, and how a student's answer is read.

Each form reads one value the way a student may type it (``0.5``,
``np.float32(0.5)``, ``[1, 2]``, ``np.array([1, 2])``, ``{"b": 1}``) into
plain Python values, or raises ``AnswerError`` saying what is wrong with it.
Checking never trusts the value: strings, ``None``, booleans, NaN, nested
lists and objects of any other type are refused with a message, never with an
exception from NumPy.

Example:
    >>> form = Fields({"theta": (Vector(2), "Θ"), "b": (Number(), "b")})
    >>> form.parse({"theta": [1, 2.5], "b": 0})
    {'theta': (1.0, 2.5), 'b': 0.0}
    >>> form.describe()
    "a dict {'theta': a list of 2 numbers, 'b': a number}"
"""

import collections.abc
import itertools
import math
import numbers

import numpy as np

from nda_models.core.suggestions import did_you_mean

_REPR_LIMIT = 80
# The most entries a list of letters may hold (the letters may repeat).
_LETTERS_LIMIT = 100


class AnswerError(ValueError):
    """An answer that cannot be read in the expected form."""


def shown(value):
    """``repr(value)``, shortened, and never raising (for feedback messages)."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a student's object may break repr
        text = f"<a {type(value).__name__} object>"
    return text if len(text) <= _REPR_LIMIT else text[: _REPR_LIMIT - 3] + "..."


def kind(value):
    """``"None"``, ``"a list"``, ``"an int"``: what a value is, in words."""
    if value is None:
        return "None"
    name = type(value).__name__
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"


def _scalar(value):
    """A 0-d NumPy array or NumPy scalar as a Python scalar; others unchanged."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    if isinstance(value, np.generic):
        return value.item()
    return value


def first_items(value, limit, where):
    """The first ``limit + 1`` items of ``value``, at most: a student's object
    may say it is short and iterate forever (never ``list(value)``)."""
    try:
        iterator = iter(value)
    except TypeError:
        raise AnswerError(f"{where} is {kind(value)}, not a list.") from None
    return list(itertools.islice(iterator, limit + 1))


def read_number(value, where="your answer"):
    """Returns ``value`` as a finite float, or raises ``AnswerError``."""
    value = _scalar(value)
    if isinstance(value, bool):
        raise AnswerError(f"{where} is a bool ({value}), not a number.")
    if isinstance(value, str):
        raise AnswerError(
            f"{where} is the string {shown(value)}, not a number: drop the quotes."
        )
    if not isinstance(value, numbers.Real):
        raise AnswerError(f"{where} is {kind(value)}, not a number.")
    try:
        number = float(value)
    except OverflowError:  # an int beyond float: 10**400
        raise AnswerError(f"{where} is too large for a float.") from None
    if not math.isfinite(number):
        raise AnswerError(f"{where} is {number}, not a finite number.")
    return number


class Number:
    """A finite real number (Python, NumPy scalar or 0-d array)."""

    def describe(self):
        return "a number"

    def parse(self, value, where="your answer"):
        return read_number(value, where)


class Count:
    """A whole number >= 0 (``3`` or ``3.0``)."""

    def describe(self):
        return "a whole number"

    def parse(self, value, where="your answer"):
        number = read_number(value, where)
        if number < 0 or not number.is_integer():
            raise AnswerError(f"{where} is {number:g}, not a whole number >= 0.")
        return int(number)


class Vector:
    """A list (tuple, 1-D array) of ``length`` finite numbers."""

    def __init__(self, length):
        self.length = length

    def describe(self):
        return f"a list of {self.length} numbers"

    def parse(self, value, where="your answer"):
        if isinstance(value, np.ndarray):
            if value.ndim != 1:
                raise AnswerError(
                    f"{where} is an array of shape {value.shape}, not a flat list."
                )
            if value.shape[0] != self.length:
                raise AnswerError(
                    f"{where} has {value.shape[0]} entries, not {self.length}."
                )
            value = value.tolist()
        if isinstance(value, str | bytes) or not isinstance(
            value, collections.abc.Sequence
        ):
            raise AnswerError(f"{where} is {kind(value)}, not a list.")
        items = first_items(value, self.length, where)
        if len(items) > self.length:
            raise AnswerError(
                f"{where} has more than {self.length} entries: it needs {self.length}."
            )
        if len(items) < self.length:
            raise AnswerError(f"{where} has {len(items)} entries, not {self.length}.")
        return tuple(
            read_number(item, f"entry {i + 1} of {where}")
            for i, item in enumerate(items)
        )


class Letters:
    """A list (or set) of labels among ``choices``, e.g. ``["A", "C"]``."""

    def __init__(self, choices):
        self.choices = tuple(choices)

    def describe(self):
        return (
            f"a list of letters among {', '.join(self.choices)} (an empty list if none)"
        )

    def parse(self, value, where="your answer"):
        if isinstance(value, str):
            value = value.replace(",", " ").split()  # "A, C" as ["A", "C"]
        if not isinstance(value, collections.abc.Collection) or isinstance(
            value, bytes | collections.abc.Mapping
        ):
            raise AnswerError(f"{where} is {kind(value)}, not a list.")
        items = first_items(value, _LETTERS_LIMIT, where)
        if len(items) > _LETTERS_LIMIT:
            raise AnswerError(
                f"{where} has more than {_LETTERS_LIMIT} entries: give each letter "
                "once."
            )
        letters = set()
        for item in items:
            if not isinstance(item, str) or item.strip().upper() not in self.choices:
                raise AnswerError(
                    f"{where} holds {shown(item)}, which is not one of the letters "
                    f"{', '.join(self.choices)}."
                )
            letters.add(item.strip().upper())
        return frozenset(letters)


class Fields:
    """A dict of named parts, each in its own form.

    Args:
        parts: Name -> ``(form, label)``; the label names the part in
            feedback (``"∂ℓ/∂w"``).
    """

    def __init__(self, parts):
        self.parts = dict(parts)

    def label(self, name):
        return self.parts[name][1]

    def describe(self):
        inner = ", ".join(
            f"{name!r}: {form.describe()}" for name, (form, _) in self.parts.items()
        )
        return f"a dict {{{inner}}}"

    def parse(self, value, where="your answer"):
        if not isinstance(value, collections.abc.Mapping):
            raise AnswerError(f"{where} is {kind(value)}, not a dict.")
        keys = first_items(value.keys(), len(self.parts), where)
        unknown = [key for key in keys if key not in self.parts]
        if unknown:
            hint = did_you_mean(unknown[0], list(self.parts))
            raise AnswerError(
                f"{where} has the key {shown(unknown[0])}, which is not one of "
                f"{list(self.parts)}.{hint}"
            )
        missing = [name for name in self.parts if name not in value]
        if missing:
            raise AnswerError(f"{where} lacks the key {missing[0]!r}.")
        return {
            name: form.parse(value[name], f"answer[{name!r}]")
            for name, (form, _) in self.parts.items()
        }
