"""The exercises by name: ``@register_exercise`` on each class, then look-ups.

Example:
    >>> "sgd_step" in list_exercises()
    True
    >>> get_exercise("sgd_stpe")
    Traceback (most recent call last):
    ...
    ValueError: Unknown exercise 'sgd_stpe'. Did you mean 'sgd_step'? ...
"""

from nda_models.core.suggestions import did_you_mean

_EXERCISES = {}


def register_exercise(cls):
    """Class decorator: makes ``cls`` available as ``get_exercise(cls.name)``.

    Raises:
        ValueError: if the name is empty or already taken.
    """
    if not cls.name or cls.name in _EXERCISES:
        raise ValueError(
            f"An exercise needs a new, non-empty `name`. Received: name={cls.name!r} "
            f"(taken: {sorted(_EXERCISES)})"
        )
    _EXERCISES[cls.name] = cls
    return cls


def list_exercises():
    """Returns the names of all exercises, sorted."""
    return sorted(_EXERCISES)


def get_exercise(name, seed=0):
    """Returns exercise ``name`` with the numbers of ``seed``.

    Args:
        name: One of ``list_exercises()``.
        seed: Integer >= 0; the same seed gives the same numbers.

    Returns:
        An ``Exercise``: ``.question``, ``.params``, ``.check(answer)``,
        ``.solution()``.

    Raises:
        TypeError: if ``name`` is not a string or ``seed`` not an integer.
        ValueError: for an unknown name (listing the names, suggesting the
            closest) or a negative seed.
    """
    if not isinstance(name, str):
        raise TypeError(
            f"`name` must be a string, one of {list_exercises()}. Received: "
            f"name={name!r} of type {type(name).__name__}"
        )
    if name not in _EXERCISES:
        raise ValueError(
            f"Unknown exercise {name!r}.{did_you_mean(name, _EXERCISES)} "
            f"Expected one of {list_exercises()}. Received: name={name!r}"
        )
    return _EXERCISES[name](seed)
