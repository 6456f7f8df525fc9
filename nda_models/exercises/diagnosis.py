"""From a read answer to feedback: which parts are right, which mistake it is.

Order of explanation for each wrong part: two parts swapped; the exercise's
typical mistakes (``Exercise.mistakes``, most specific first); the wrong
sign; a factor 2 or ½; else the part's hint (``Exercise.hints``), naming the
entries of a list that are off. The message starts with the parts that are
right, so a student knows what to keep.

Example:
    >>> from nda_models.exercises import get_exercise
    >>> ex = get_exercise("example3_backward", seed=0)
    >>> right = ex.solution()
    >>> feedback = ex.check({"dl_dw": right["dl_db"], "dl_db": right["dl_db"]})
    >>> feedback.mistakes
    ('forgot_du_dw',)
    >>> print(feedback.message)  # doctest: +ELLIPSIS
    ∂ℓ/∂b is right; ∂ℓ/∂w is off by the factor x = ...: did you forget ∂u/∂w = x?
"""

import itertools

from nda_models.exercises.feedback import Feedback

# Generic diagnoses: (name, factor applied to the right value, how to say it).
_SCALINGS = (
    ("sign", -1.0, "has the wrong sign"),
    ("factor_2", 2.0, "is twice the right value: a factor 2 too many"),
    ("factor_half", 0.5, "is half the right value: a factor 2 missing"),
)


def diagnose(exercise, given, expected):
    """Returns the ``Feedback`` on ``given`` against ``expected`` (both by part).

    Args:
        exercise: The ``Exercise`` (its labels, mistakes, hints, tolerance).
        given: Part name -> the student's value, already read by the form.
        expected: Part name -> the right value.
    """
    same = exercise._same
    right = [part for part in expected if same(given[part], expected[part])]
    wrong = [part for part in expected if part not in right]
    if not wrong:
        names, verb = _names(exercise, right)
        checked = ""
        if exercise.tolerance is not None and _has_numbers(expected):
            checked = f" (checked to within {exercise.tolerance.describe()})"
        return Feedback(True, f"{names} {verb} right{checked}.", right=tuple(right))
    found, hints, covered = [], [], set()
    for a, b in itertools.combinations(wrong, 2):
        if not _alike(expected[a], expected[b]):
            continue
        if same(given[a], expected[b]) and same(given[b], expected[a]):
            found.append("swapped")
            hints.append(
                f"You swapped {exercise._label(a)} and {exercise._label(b)}: "
                "each value is right under the other name."
            )
            covered |= {a, b}
    for mistake in exercise.mistakes():
        values = exercise._mistake_parts(mistake)
        explained = [part for part in values if part in wrong and part not in covered
                     and same(given[part], values[part])]  # fmt: skip
        if explained:
            found.append(mistake.name)
            hints.append(mistake.hint)
            covered |= set(explained)
    for part in wrong:
        if part not in covered:
            name, hint = _generic(exercise, part, given[part], expected[part])
            found.append(name)
            hints.append(hint)
    message = " ".join(hints)
    if right:
        names, verb = _names(exercise, right)
        message = f"{names} {verb} right; {_continued(message)}"
    if message[:1].isascii():  # "the forward-mode count ..." (σ must not become Σ)
        message = message[:1].upper() + message[1:]
    return Feedback(
        False, message, right=tuple(right), wrong=tuple(wrong), mistakes=tuple(found)
    )


def _names(exercise, parts):
    """``("Θ and b", "are")``: the labels of ``parts``, and the verb."""
    labels = [exercise._label(part) for part in parts]
    if len(labels) > 2:
        labels = [", ".join(labels[:-1]), labels[-1]]
    return " and ".join(labels), ("are" if len(parts) > 1 else "is")


def _continued(sentence):
    """``sentence`` after a semicolon: "You ..." becomes "you ...", "Θ ..." stays."""
    if sentence[:2].istitle() and sentence[1:2].islower():
        return sentence[:1].lower() + sentence[1:]
    return sentence


def _alike(one, other):
    """Two values of the same kind (and length), so they can be swapped."""
    if isinstance(one, tuple) and isinstance(other, tuple):
        return len(one) == len(other)
    return type(one) is type(other)


def _has_numbers(expected):
    return any(isinstance(value, float | tuple) for value in expected.values())


def _scaled(value, factor):
    if isinstance(value, tuple):
        return tuple(v * factor for v in value)
    return value * factor


def _generic(exercise, part, given, expected):
    """``(name, sentence)`` for a wrong part no typical mistake explains."""
    label = exercise._label(part)
    hint = exercise.hints.get(part, "recompute it step by step.")
    if isinstance(expected, float | tuple):
        for name, factor, says in _SCALINGS:
            nonzero = any(abs(v) > exercise.tolerance.absolute
                          for v in (expected if isinstance(expected, tuple) else
                                    (expected,)))  # fmt: skip
            if nonzero and exercise._same(given, _scaled(expected, factor)):
                return name, f"{label} {says}; {hint}"
    if isinstance(expected, tuple):
        off = [str(i + 1) for i, (g, e) in enumerate(zip(given, expected, strict=True))
               if not exercise._same(g, e)]  # fmt: skip
        entries = (
            f"entr{'y' if len(off) == 1 else 'ies'} {', '.join(off)} of {len(expected)}"
        )
        return "wrong", f"{label} is not right ({entries} off): {hint}"
    return "wrong", f"{label} is not right: {hint}"
