"""The "Did you mean ...?" of every unknown-name error in the package."""

import difflib


def did_you_mean(received, known):
    """Returns `` Did you mean 'x'?`` for the closest known name, or ``""``.

    Args:
        received: The name the user gave.
        known: The names that exist.

    Example:
        >>> did_you_mean("perceptorn", ["perceptron", "mlp_classifier"])
        " Did you mean 'perceptron'?"
    """
    close = difflib.get_close_matches(str(received), [str(k) for k in known], n=1)
    return f" Did you mean {close[0]!r}?" if close else ""
