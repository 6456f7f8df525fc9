"""``Table``: one whole, unsplit data set as a source returns it."""

import typing

import numpy as np

from nda_models.zoo.tasks import CLASSIFICATION


class Table(typing.NamedTuple):
    """Features, labels and their names before the train/val/test split.

    Every source (synthetic, scikit-learn, CSV, tensorflow-datasets) returns
    a ``Table``; ``load_dataset`` splits it into a ``Dataset``.

    Attributes:
        x: float32 array of shape ``(n, d)``.
        y: float32 targets (regression) or int32 class indices, shape ``(n,)``.
        feature_names: Tuple of ``d`` names.
        class_names: Tuple of class names, or ``None`` for regression.
        task: ``"regression"``, ``"binary"`` or ``"multiclass"``.
        info: Dict of extras, copied into ``Dataset.info``.

    Example:
        >>> table = Table(np.zeros((2, 1)), np.zeros(2), ("x",), None, "regression")
    """

    x: np.ndarray
    y: np.ndarray
    feature_names: tuple
    class_names: tuple | None
    task: str
    info: dict = {}


def classification_task(num_classes):
    """``"binary"`` for two classes, ``"multiclass"`` for more."""
    binary, multiclass = CLASSIFICATION
    return binary if num_classes == 2 else multiclass
