"""Encoding a CSV target column: a regression number or a class index.

Class labels become indices 0..c-1: in the order of ``class_names`` when it
is given, else sorted (numbers numerically, text alphabetically), as
``sklearn.preprocessing.LabelEncoder`` does. Integer labels keep their value
as name ("0", "1"), so a CSV written from ``y`` loads back to the same ``y``.
Labels are compared by their keys (``csv_labels``: no surrounding spaces,
whole numbers by value, so ``1.0`` is the class ``1``). A ``class_names``
given with ``task=None`` makes the task a classification.
"""

import re

import numpy as np

from nda_models.core.lazy_module import lazy_module
from nda_models.data.csv_cells import MISSING_TEXT, cell_error, numeric_column
from nda_models.data.csv_labels import WHITESPACE, class_keys, label_keys
from nda_models.data.shown_names import shown_list
from nda_models.data.table import classification_task

pd = lazy_module("pandas")

_INTEGER_TEXT = r"^\s*[+-]?\d+\s*$"


def resolve_task(labels, task, class_names=None):
    """``task``, or when ``None``: a classification if ``class_names`` is given
    (only classes have names), else ``infer_task(labels)``."""
    if task is not None:
        return task
    return "classification" if class_names is not None else infer_task(labels)


def infer_task(labels):
    """``"classification"`` for integer or text labels, else ``"regression"``."""
    numbers = pd.to_numeric(labels, errors="coerce")
    if numbers.isna().any() or labels.str.match(_INTEGER_TEXT).all():
        return "classification"
    return "regression"


def encode_target(path, name, labels, task, class_names=None, encoding="utf-8"):
    """Turns the text cells of the target column into ``(y, class_names, task)``.

    Args:
        path: File path, for messages.
        name: Target column name, for messages.
        labels: pandas Series of str, one per data row.
        task: ``None`` (infer), ``"regression"``, ``"classification"``,
            ``"binary"`` or ``"multiclass"``.
        class_names: Labels as written in the file, in class-index order.
        encoding: File encoding, to find lines for messages.

    Returns:
        ``(y, names, task)``: float32 targets with ``names=None``, or int32
        class indices with the tuple of class names and the resolved task.

    Example:
        >>> import pandas as pd
        >>> encode_target("f.csv", "y", pd.Series(["b", "a", "b"]), None)
        (array([1, 0, 1], dtype=int32), ('a', 'b'), 'binary')
    """
    stripped = check_no_missing_target(path, name, labels, encoding)
    task = resolve_task(stripped, task, class_names)
    if task == "regression":
        if class_names is not None:
            raise ValueError(
                "class_names applies to classification; a regression target has "
                f"none. Drop class_names or pass a class task. Received: task={task!r}"
            )
        return (
            numeric_column(path, name, stripped, encoding).astype(np.float32),
            None,
            task,
        )
    keys, numeric = _label_keys(path, name, stripped, task, encoding)
    names, name_keys = _class_list(path, name, keys, numeric, class_names, encoding)
    _check_class_count(path, name, names, sorted(set(keys)), task)
    lookup = {key: index for index, key in enumerate(name_keys)}
    y = np.array([lookup[key] for key in keys], dtype=np.int32)
    task = classification_task(len(names)) if task == "classification" else task
    return y, tuple(names), task


def check_no_missing_target(path, name, labels, encoding="utf-8"):
    """Refuses an empty (or ``NA``-like) target cell naming its row and line;
    returns the labels without surrounding spaces (nda evaluate checks its
    target so too, before matching the labels to the model's classes)."""
    stripped = labels.str.strip(WHITESPACE)
    missing = stripped.str.lower().isin(MISSING_TEXT).to_numpy()
    if missing.any():
        index = int(np.flatnonzero(missing)[0])
        raise cell_error(
            path,
            name,
            index,
            encoding,
            f"missing target value (cell {labels.iloc[index]!r})",
            "Fill the target of every row or drop the rows without one.",
            received=labels.iloc[index],
        )
    return stripped


def _label_keys(path, name, labels, task, encoding):
    """``(keys, numeric)``: the labels' keys (see ``csv_labels``), and whether
    every key is an integer. A column of numbers must hold whole numbers."""
    numbers = pd.to_numeric(labels, errors="coerce").to_numpy(dtype=np.float64)
    if not np.isnan(numbers).any():
        not_whole = ~np.isfinite(numbers) | (numbers != np.round(numbers))
        if not_whole.any():
            index = int(np.flatnonzero(not_whole)[0])
            raise cell_error(
                path,
                name,
                index,
                encoding,
                f"the target {labels.iloc[index]!r} is not a whole number, so it "
                f"cannot be a class label (task={task!r})",
                "Pass task='regression' for a continuous target, or write the "
                "classes as integers or text.",
                received=labels.iloc[index],
            )
    keys = label_keys(labels)
    return keys, all(re.fullmatch(r"-?[0-9]+", key) for key in keys)


def _class_list(path, name, keys, numeric, class_names, encoding):
    """``(names, keys)`` in class-index order: ``class_names`` and their keys,
    or the sorted distinct labels (their own keys)."""
    if class_names is None:
        distinct = set(keys)
        names = sorted(distinct, key=int) if numeric else sorted(distinct)
        return names, names
    if isinstance(class_names, str) or not isinstance(class_names, list | tuple):
        raise TypeError(
            "class_names must be a list of the labels in the target column, e.g. "
            f"class_names=['no', 'yes']. Received: class_names={class_names!r}"
        )
    names = [str(label) for label in class_names]
    name_keys = class_keys(names)
    known = set(name_keys)
    for index, key in enumerate(keys):
        if key not in known:
            raise cell_error(
                path,
                name,
                index,
                encoding,
                f"the label {key!r} is not in class_names",
                "Add it to class_names or fix the row. Received: class_names="
                f"{shown_list(names)}",
            )
    return names, name_keys


def _check_class_count(path, name, names, observed, task):
    if len(observed) < 2:
        raise ValueError(
            f"CSV file '{path}', column '{name}': the target has a single class "
            f"{observed[0]!r}, and classification needs at least two. Add rows of "
            "another class, or choose another target column."
        )
    if task == "binary" and len(names) != 2:
        raise ValueError(
            f"CSV file '{path}', column '{name}': task='binary' needs exactly two "
            f"classes, but the target has {len(names)}. Pass task='multiclass'. "
            f"Received: classes={shown_list(names)}"
        )
