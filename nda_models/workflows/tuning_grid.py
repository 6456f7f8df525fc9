"""The (η, M) grid of ``tune``, checked before anything trains.

The same rules for Python lists and the command line's comma-separated
text: at least one value; learning rates finite numbers > 0; batch sizes
integers >= 1; no value twice (a repeated pair would train twice and leave
two cells for one place of the heat-map). Pure Python: ``nda tune`` refuses a
bad grid before TensorFlow loads.

Example:
    >>> check_grid([0.1, 0.01], "learning_rates")
    [0.01, 0.1]
    >>> parse_grid("16,1", "batch_sizes")
    [1, 16]
    >>> check_grid([0.05, 0.05], "learning_rates")
    Traceback (most recent call last):
    ...
    ValueError: `learning_rates` lists 0.05 more than once; each value is one \
row or column of the grid (values are told apart by 6 significant digits). \
Remove the repeats. Received: learning_rates=[0.05, 0.05]
"""

import numbers

from nda_models.core.constraints import POSITIVE_INT, Interval

#: Each value of each list (the Trainer's own checks, before any training).
ITEMS = {
    "learning_rates": Interval(
        numbers.Real, 0, closed="neither", example=" such as 0.01"
    ),
    "batch_sizes": POSITIVE_INT,
}
EXAMPLES = {"learning_rates": "0.001,0.01,0.1", "batch_sizes": "1,16,128"}


def check_grid(values, name):
    """Returns the sorted values of one axis of the grid, or raises.

    Args:
        values: A list, tuple, NumPy array or other iterable of numbers.
        name: ``"learning_rates"`` or ``"batch_sizes"``.

    Returns:
        The values sorted, as Python floats (learning rates) or ints.

    Raises:
        TypeError: ``values`` is a string, a single number or not iterable,
            or a value is not a number (an integer for batch sizes).
        ValueError: the list is empty, a value is out of range (NaN, inf,
            <= 0) or appears twice.
    """
    if isinstance(values, str | bytes) or not _iterable(values):
        raise TypeError(
            f"`{name}` must be a list of numbers such as "
            f"[{EXAMPLES[name].replace(',', ', ')}]. Received: {name}={values!r}"
        )
    values = list(values)
    if not values:
        raise ValueError(
            f"`{name}` must list at least one value, such as "
            f"[{EXAMPLES[name].replace(',', ', ')}]. Received: {name}=[]"
        )
    cast = float if name == "learning_rates" else int
    checked = [
        cast(ITEMS[name].check(f"{name}[{i}]", value)) for i, value in enumerate(values)
    ]
    # Values are compared as the run names and the heat-map show them (6
    # significant digits): 0.1 and np.float32(0.1) would share a run folder.
    shown = [f"{v:g}" for v in checked]
    repeated = sorted({v for v in shown if shown.count(v) > 1}, key=float)
    if repeated:
        raise ValueError(
            f"`{name}` lists {', '.join(repeated)} more than once; each value is "
            "one row or column of the grid (values are told apart by 6 "
            f"significant digits). Remove the repeats. Received: {name}={values!r}"
        )
    return sorted(checked)


def parse_grid(text, name):
    """Parses the command line's ``"0.001,0.01,0.1"`` and checks it as above.

    Raises:
        ValueError: for an item that is not a number (an integer for batch
            sizes), and for what ``check_grid`` refuses.
    """
    items = [item.strip() for item in str(text).split(",") if item.strip()]
    cast = float if name == "learning_rates" else int
    try:
        values = [cast(item) for item in items]
    except ValueError:
        kind = "numbers" if cast is float else "integers"
        raise ValueError(
            f"`{name}` must be a comma-separated list of {kind} such as "
            f"'{EXAMPLES[name]}'. Received: {name}={text!r}"
        ) from None
    try:
        return check_grid(values, name)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{error} (from {text!r})") from None


def _iterable(values):
    try:
        iter(values)
    except TypeError:
        return False
    return not isinstance(values, numbers.Number)
