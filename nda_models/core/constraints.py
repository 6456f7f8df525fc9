"""Declarative argument checks: say what a value may be, get the house error.

In the spirit of scikit-learn's parameter constraints (``Interval``,
``StrOptions``): a constraint *describes* the admissible values, and one
``check`` method turns that description into the error message the style
guide asks for: what is wrong, what is expected, and ``Received: name=value``.
Every boundary check of the package goes through this module, so a message
reads the same wherever the argument is taken. Pure Python: importing it
costs nothing (no NumPy, no TensorFlow).

- ``Interval(numbers.Integral, 1, None)``: an integer >= 1 (``bool`` is not
  an integer here, although Python says it is).
- ``Interval(numbers.Real, 0, 1, closed="left")``: a number in [0, 1); a real
  interval with no upper bound also refuses infinity (and NaN).
- ``Options(("sgd", "adam"), noun="optimizer")``: one of a few names, with the
  closest suggested for a typo. A value matches an option of its own kind
  only: ``1`` is not ``True`` and ``1.0`` is not ``1``; NumPy's scalars count
  as the Python values they stand for (``np.int64(1)`` is ``1``,
  ``np.True_`` is ``True``), and ``check`` returns the option itself.

A constraint checks itself when it is declared: an ``Interval`` that admits
no value (``Interval(numbers.Integral, 5, 1)``, open bounds that meet, NaN
bounds) and an empty ``Options`` are refused at once, not at the first
value they would refuse.

Example:
    >>> import numbers
    >>> Interval(numbers.Integral, 1, None).check("batch_size", 32)
    32
    >>> Interval(numbers.Real, 0, 1, closed="left").check("dropout", 1.0)
    Traceback (most recent call last):
    ...
    ValueError: `dropout` must be in [0, 1). Received: dropout=1.0
    >>> Options(("sgd", "adam"), noun="optimizer").check("optimizer", "adma")
    Traceback (most recent call last):
    ...
    ValueError: Unknown optimizer. Did you mean 'adam'? Expected one of \
['sgd', 'adam']. Received: optimizer='adma'
"""

import math
import numbers

from nda_models.core.suggestions import did_you_mean

_CLOSED = ("left", "right", "both", "neither")


def is_bool(value):
    """True for ``True``/``False`` and NumPy's ``np.True_``/``np.False_``."""
    kind = type(value)
    return isinstance(value, bool) or (
        kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_")
    )


def is_integer(value):
    """True for an integer that is not a bool (``True`` is not a batch size)."""
    return isinstance(value, numbers.Integral) and not is_bool(value)


def is_number(value):
    """True for a real number that is not a bool."""
    return isinstance(value, numbers.Real) and not is_bool(value)


def _is_finite(value):
    """``math.isfinite`` that says False for an int too large for a float."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


class Interval:
    """An integer or real number between two bounds.

    Args:
        kind: ``numbers.Integral`` or ``numbers.Real``.
        low: Lower bound, or ``None`` for none.
        high: Upper bound, or ``None`` for none.
        closed: Which bounds belong to the interval: ``"both"`` (default),
            ``"left"``, ``"right"`` or ``"neither"``.
        allow_none: ``None`` is accepted too (and returned as is).
        example: Appended to the expectation, e.g. ``" such as 0.01"``.
        reason: Appended when the value is out of range: why the bounds are
            what they are, or how to choose.

    Example:
        >>> import numbers
        >>> rate = Interval(numbers.Real, 0, None, closed="neither")
        >>> rate.describe(), rate.check("learning_rate", 1)
        ('a number > 0', 1.0)
    """

    def __init__(self, kind, low=None, high=None, *, closed="both",
                 allow_none=False, example="", reason=""):  # fmt: skip
        if kind not in (numbers.Integral, numbers.Real):
            raise TypeError(
                "`kind` must be numbers.Integral or numbers.Real. "
                f"Received: kind={kind!r}"
            )
        if closed not in _CLOSED:
            raise ValueError(
                f"`closed` must be one of {list(_CLOSED)}. Received: closed={closed!r}"
            )
        for bound, value in (("low", low), ("high", high)):
            _check_bound(kind, bound, value)
        self.kind, self.low, self.high = kind, low, high
        self.closed = closed
        self.allow_none = allow_none
        self.example, self.reason = example, reason
        if self._admits_nothing():
            raise ValueError(
                f"This interval admits no value: {self._bounds()} is empty for "
                f"{'integers' if kind is numbers.Integral else 'numbers'}. Swap or "
                f"widen the bounds, or close them. Received: low={low!r}, "
                f"high={high!r}, closed={closed!r}"
            )

    def _admits_nothing(self):
        if self.low is None or self.high is None:
            return False
        left = self.closed in ("left", "both")
        right = self.closed in ("right", "both")
        if self.kind is numbers.Integral:  # the smallest and largest integers in
            smallest = self.low if left else self.low + 1
            largest = self.high if right else self.high - 1
            return smallest > largest
        return self.low > self.high or (self.low == self.high and not (left and right))

    def _bounds(self):
        left = self.closed in ("left", "both")
        right = self.closed in ("right", "both")
        if self.low is not None and self.high is not None:
            return (
                f"in {'[' if left else '('}{self.low}, {self.high}"
                f"{']' if right else ')'}"
            )
        if self.low is not None:
            return f"{'>=' if left else '>'} {self.low}"
        if self.high is not None:
            return f"{'<=' if right else '<'} {self.high}"
        return ""

    def describe(self, *, out_of_range=False):
        """The expectation in words: ``"an integer >= 1"``, ``"in [0, 1)"``...

        A value of the wrong type reads the kind of number first (``"a number
        in [0, 1)"``, ``"None or an integer >= 0"``); a number out of range
        reads the range (``"in [0, 1)"``, ``"a finite number > 0"``).
        """
        integral = self.kind is numbers.Integral
        bounds = self._bounds()
        if out_of_range and not integral and bounds.startswith("in "):
            text = bounds
        else:
            noun = "an integer" if integral else "a number"
            if out_of_range and not integral:
                noun = "a finite number"
            text = f"{noun} {bounds}".rstrip()
        text += self.example
        if self.allow_none:
            text = text + " or None" if out_of_range else "None or " + text
        return text

    def contains(self, value):
        """True when ``value`` (already of the right type) is in the interval."""
        if self.kind is numbers.Real and not _is_finite(value):
            return False
        left = self.closed in ("left", "both")
        right = self.closed in ("right", "both")
        if self.low is not None and not (
            value >= self.low if left else value > self.low
        ):
            return False
        if self.high is not None and not (
            value <= self.high if right else value < self.high
        ):
            return False
        return True

    def check(self, name, value):
        """Returns ``value`` as an int or float, or raises.

        Raises:
            TypeError: if ``value`` is not an integer (a number).
            ValueError: if it is outside the interval.
        """
        if value is None and self.allow_none:
            return None
        right_type = (
            is_integer(value) if self.kind is numbers.Integral else is_number(value)
        )
        if not right_type:
            raise TypeError(
                f"`{name}` must be {self.describe()}. Received: {name}={value!r}"
            )
        if not self.contains(value):
            raise ValueError(
                f"`{name}` must be {self.describe(out_of_range=True)}{self.reason}. "
                f"Received: {name}={value!r}"
            )
        return int(value) if self.kind is numbers.Integral else float(value)


class Options:
    """One of a fixed set of values (usually names), closest name suggested.

    Iterating over an ``Options`` gives its values, so the same object feeds
    argparse's ``choices=`` and the check.

    Args:
        values: The admissible values, in the order to list them.
        noun: What a value is called in "Unknown <noun>" (default: the
            argument's name).
        meaning: Appended to the list of values, e.g. what each one does.
        alternatives: Other accepted kinds of value, appended to the list,
            e.g. ``" or a keras.optimizers.Optimizer"`` (the caller checks
            those before calling ``check``).
        allow_none: ``None`` is accepted too.

    Example:
        >>> samplings = Options(("permutation", "uniform"), noun="sampling")
        >>> list(samplings), samplings.check("sampling", "uniform")
        (['permutation', 'uniform'], 'uniform')
    """

    def __init__(self, values, *, noun=None, meaning="", alternatives="",
                 allow_none=False):  # fmt: skip
        self.values = tuple(values)
        if not self.values or any(v != v for v in self.values):  # NaN != NaN
            raise ValueError(
                "Options must list values that a value can equal (at least one, "
                f"none NaN), e.g. Options(('sgd', 'adam')). Received: values={values!r}"
            )
        self.noun = noun
        self.meaning = meaning
        self.alternatives = alternatives
        self.allow_none = allow_none

    def __iter__(self):
        return iter(self.values)

    def __contains__(self, value):
        return self._match(value) is not _NO_MATCH

    def _match(self, value):
        """The option ``value`` stands for: equal and of the same kind (``True``
        is not ``1``, ``1.0`` is not ``1``), or ``_NO_MATCH``."""
        kind = _kind(value)
        for option in self.values:
            if _kind(option) is kind and value == option:
                return option
        return _NO_MATCH

    def __len__(self):
        return len(self.values)

    def __repr__(self):
        return f"Options({list(self.values)!r})"

    def describe(self):
        """``"one of ['a', 'b']"`` plus the alternatives, and None if allowed."""
        none = "None or " if self.allow_none else ""
        return f"{none}one of {list(self.values)}{self.alternatives}"

    def check(self, name, value):
        """Returns ``value`` if it is one of the options, else raises.

        Raises:
            TypeError: if ``value`` is of a kind no option has (a bool, an
                integer, a float, a string...), or spells a number option
                (``"1"`` for ``1``).
            ValueError: for an unknown value, suggesting the closest name.

        Returns:
            The matching option itself (``np.int64(1)`` gives ``1``).
        """
        if value is None and self.allow_none:
            return None
        option = self._match(value)
        if option is not _NO_MATCH:
            return option
        if _kind(value) not in {_kind(option) for option in self.values}:
            raise TypeError(
                f"`{name}` must be {self.describe()}. Received: {name}={value!r} "
                f"of type {type(value).__name__}"
            )
        spelled = [o for o in self.values if not isinstance(o, str) and str(o) == value]
        if spelled:  # "1" for 1: the number, not its spelling
            raise TypeError(
                f"`{name}` must be {self.describe()}: the {type(spelled[0]).__name__} "
                f"{spelled[0]!r}, not the string {value!r}. Received: {name}={value!r}"
            )
        # Suggest among the options of the value's own kind (names for a name).
        names = [str(o) for o in self.values if _kind(o) is _kind(value)]
        hint = did_you_mean(str(value), names)
        raise ValueError(
            f"Unknown {self.noun or name}.{hint} Expected {self.describe()}"
            f"{self.meaning}. Received: {name}={value!r}"
        )


_NO_MATCH = object()


def _kind(value):
    """The kind of value an option compares with: bool, integer, real number,
    string, or the value's own type."""
    if is_bool(value):
        return bool
    if is_integer(value):
        return numbers.Integral
    if is_number(value):
        return numbers.Real
    if isinstance(value, str):
        return str
    return type(value)


def _check_bound(kind, bound, value):
    """A bound is None or a finite number (an integer for integer intervals)."""
    if value is None:
        return
    right_type = is_integer(value) if kind is numbers.Integral else is_number(value)
    if not right_type:
        expected = "an integer" if kind is numbers.Integral else "a real number"
        raise TypeError(
            f"The bound `{bound}` of an interval of "
            f"{'integers' if kind is numbers.Integral else 'numbers'} must be "
            f"None or {expected}. Received: {bound}={value!r}"
        )
    if not _is_finite(value):
        raise ValueError(
            f"The bound `{bound}` must be finite; use None for no bound (a NaN "
            f"bound would admit nothing). Received: {bound}={value!r}"
        )


#: Sizes and counts: batch_size, input_dim, layer units, every, log_every...
POSITIVE_INT = Interval(numbers.Integral, 1)

#: A random seed: an integer in [0, 2**32 - 1], or None for a non-deterministic run.
SEED = Interval(
    numbers.Integral, 0, 2**32 - 1, allow_none=True,
    reason=" (seeds reach NumPy and scikit-learn, which take 32-bit seeds)",
)  # fmt: skip
