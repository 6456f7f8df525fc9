"""Seeded train / validation / test splits (scikit-learn's ``train_test_split``).

``test_size`` and ``val_size`` are fractions of the whole table, so the
defaults ``test_size=0.2, val_size=0.2`` give 60 / 20 / 20. Classification
splits are stratified by default: each split keeps the class proportions.
"""

import numbers

import numpy as np

from nda_models.core.constraints import Interval
from nda_models.core.lazy_module import lazy_module

model_selection = lazy_module("sklearn.model_selection")

SPLIT_FRACTION = Interval(
    numbers.Real, 0, 1, closed="left", reason=" (a fraction of all rows, e.g. 0.2)"
)


def check_fractions(test_size, val_size):
    """Raises unless both fractions are in ``[0, 1)`` and leave rows to train on."""
    SPLIT_FRACTION.check("test_size", test_size)
    SPLIT_FRACTION.check("val_size", val_size)
    if test_size + val_size >= 1.0:
        raise ValueError(
            "test_size + val_size must be below 1 so that rows remain for "
            f"training. Received: test_size={test_size!r}, val_size={val_size!r}"
        )


def split_arrays(x, y, *, test_size, val_size, stratify, seed):
    """Splits ``(x, y)`` into train, validation and test parts.

    Args:
        x: Array of shape ``(n, d)``.
        y: Array of shape ``(n,)``.
        test_size: Fraction of all rows for the test split.
        val_size: Fraction of all rows for the validation split.
        stratify: Keep the class proportions of ``y`` in each split.
        seed: Seed of the shuffle before splitting.

    Returns:
        ``(x_train, y_train, x_val, y_val, x_test, y_test)``.

    Example:
        >>> x, y = np.arange(20.0).reshape(10, 2), np.arange(10.0)
        >>> parts = split_arrays(x, y, test_size=0.2, val_size=0.2,
        ...                      stratify=False, seed=0)
        >>> [len(part) for part in parts]
        [6, 6, 2, 2, 2, 2]
    """
    check_fractions(test_size, val_size)
    x_rest, y_rest, x_test, y_test = cut_rows(x, y, test_size, stratify, seed)
    # val_size is a fraction of the whole table, so rescale it to the rest.
    val_of_rest = val_size / (1.0 - test_size)
    x_train, y_train, x_val, y_val = cut_rows(
        x_rest, y_rest, val_of_rest, stratify, seed
    )
    return x_train, y_train, x_val, y_val, x_test, y_test


def cut_rows(x, y, fraction, stratify, seed):
    """Cuts ``fraction`` of the rows off; returns ``(x_keep, y_keep, x_cut, y_cut)``."""
    if fraction == 0.0:
        return x, y, x[:0], y[:0]
    try:
        x_keep, x_cut, y_keep, y_cut = model_selection.train_test_split(
            x,
            y,
            test_size=fraction,
            random_state=seed,
            stratify=y if stratify else None,
        )
    except ValueError as error:
        hint = (
            " Pass stratify=False, or use more rows or larger split fractions."
            if stratify
            else " Use more rows or other test_size / val_size fractions."
        )
        raise ValueError(
            f"Cannot split {len(y)} rows into a {fraction:.3g} part: "
            f"{str(error).rstrip('.')}.{hint}"
        ) from None
    return x_keep, y_keep, x_cut, y_cut


def resolve_stratify(stratify, task):
    """``None`` means "stratify classification"; regression cannot stratify."""
    if stratify is None:
        return task != "regression"
    if not isinstance(stratify, bool | np.bool_):
        raise TypeError(f"stratify must be True, False or None. Received: {stratify!r}")
    if stratify and task == "regression":
        raise ValueError(
            "stratify=True needs class labels, but this dataset is a regression "
            "task. Pass stratify=False (or leave it None). Received: stratify=True"
        )
    return bool(stratify)
