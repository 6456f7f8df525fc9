"""The explicit schema of a CSV file: which column is the target, which are features.

The header is the schema. Every column must have a unique, non-empty name;
the target is chosen by name (default: the last column) and the features are
all other columns unless a list is given. Nothing is guessed from the data,
so no column silently becomes an index.
"""

import collections
import typing

from nda_models.core.constraints import is_integer
from nda_models.core.suggestions import did_you_mean
from nda_models.data.shown_names import shown_list


class Schema(typing.NamedTuple):
    """Column positions of one CSV file.

    Attributes:
        header: All column names, in file order.
        target: Name of the target column.
        features: Names of the feature columns, in the order of ``x``.
        target_index: Position of the target column.
        feature_indices: Positions of the feature columns.
    """

    header: tuple
    target: str
    features: tuple
    target_index: int
    feature_indices: tuple


def check_header(path, header):
    """Raises for empty or duplicate column names."""
    for position, name in enumerate(header, start=1):
        if name.strip() == "":
            raise ValueError(
                f"CSV file '{path}': column {position} has no name in the header. "
                "Name every column; if it is the index written by DataFrame.to_csv, "
                "save with to_csv(path, index=False) (load_dataset can also drop "
                "it: index_col=0). "
                f"Received: header={shown_list(header)}"
            )
    positions = collections.defaultdict(list)
    for position, name in enumerate(header, start=1):
        positions[name].append(position)
    duplicates = {name: where for name, where in positions.items() if len(where) > 1}
    if duplicates:
        listed = "; ".join(
            f"'{name}' at columns {where}" for name, where in duplicates.items()
        )
        raise ValueError(
            f"CSV file '{path}' has duplicate column names: {listed}. Give every "
            f"column a unique name in the header. Received: header={shown_list(header)}"
        )


def resolve_schema(path, header, *, target=None, features=None, index_col=None):
    """Checks the header and picks the target and feature columns.

    Args:
        path: File path, for messages.
        header: Column names as read from the first line.
        target: Target column name; default the last column (after
            ``index_col`` is dropped).
        features: Feature column names; default every other column.
        index_col: Name or 0-based position of an index column to ignore
            (e.g. the unnamed first column of ``DataFrame.to_csv``).

    Returns:
        A ``Schema``.

    Example:
        >>> resolve_schema("f.csv", ["a", "b", "y"]).features
        ('a', 'b')
    """
    header = [str(name) for name in header]
    dropped = _index_position(path, header, index_col)
    named = [name if i != dropped else "" for i, name in enumerate(header)]
    check_header(path, [name for i, name in enumerate(header) if i != dropped])
    usable = [name for i, name in enumerate(named) if i != dropped]
    if target is None:
        target = usable[-1]
    _check_names(path, "target", [target], usable)
    if features is None:
        features = [name for name in usable if name != target]
    else:
        features = _feature_list(path, features, usable, target)
    if not features:
        raise ValueError(
            f"CSV file '{path}' has no feature column besides the target "
            f"'{target}'. Add feature columns. Received: header={shown_list(header)}"
        )
    return Schema(
        tuple(header),
        target,
        tuple(features),
        named.index(target),
        tuple(named.index(name) for name in features),
    )


def _index_position(path, header, index_col):
    """Position of the column to drop, or ``None``."""
    if index_col is None:
        return None
    if is_integer(index_col):
        if not 0 <= index_col < len(header):
            raise ValueError(
                f"CSV file '{path}': index_col must be a column position from 0 to "
                f"{len(header) - 1}. Received: index_col={index_col}"
            )
        return index_col
    if isinstance(index_col, str):
        _check_names(path, "index_col", [index_col], header)
        return header.index(index_col)
    raise TypeError(
        f"index_col must be a column name, a 0-based position or None. "
        f"Received: index_col={index_col!r}"
    )


def _feature_list(path, features, usable, target):
    if isinstance(features, str) or not isinstance(features, list | tuple):
        raise TypeError(
            "features must be a list of column names, e.g. features=['x1', 'x2']. "
            f"Received: features={features!r}"
        )
    features = [str(name) for name in features]
    _check_names(path, "features", features, usable)
    if target in features:
        raise ValueError(
            f"CSV file '{path}': the target column '{target}' cannot also be a "
            "feature. Remove it from features. Received: "
            f"features={shown_list(features)}"
        )
    repeated = sorted({name for name in features if features.count(name) > 1})
    if repeated:
        raise ValueError(
            f"features lists columns more than once: {repeated}. Name each column "
            f"once. Received: features={shown_list(features)}"
        )
    return features


def _check_names(path, option, names, columns):
    for name in names:
        if name not in columns:
            hint = did_you_mean(str(name), columns)
            raise ValueError(
                f"CSV file '{path}' has no column '{name}' (asked for by {option}=)."
                f"{hint} Columns: {shown_list(columns, 20)}. "
                f"Received: {option}={name!r}"
            )
