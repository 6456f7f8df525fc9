"""``csv:PATH``: a CSV file as a ``Table``, validated cell by cell.

The checks follow scikit-learn's ``check_array``: every feature cell must be
a finite number that fits float32 (no NaN, no inf). Each bad cell is reported
with the file, the column, the row (counted from 1 after the header) and the
line of the file, and how to fix it. The target is a number (regression) or a
class label (classification); string labels are encoded as class indices
0..c-1 in sorted order, as ``sklearn.preprocessing.LabelEncoder`` does, and
their names kept as ``class_names``.

Task inference when ``task=None``: a target written as integers ("0", "2")
or as text ("setosa") is a class label; one written with decimals ("151.0",
"2.5") is a regression target. Pass ``task=`` to decide explicitly.
"""

import numpy as np

from nda_models.core.constraints import Options
from nda_models.data.csv_columns import read_columns, read_header
from nda_models.data.csv_read import check_csv_path, check_has_rows
from nda_models.data.csv_schema import resolve_schema
from nda_models.data.csv_target import encode_target
from nda_models.data.table import Table
from nda_models.zoo.tasks import TASKS

# The model tasks, and "classification": binary or multiclass, by the labels.
CSV_TASKS = Options(
    (*TASKS, "classification"),
    noun="task",
    meaning=" (None infers it from the target column)",
    allow_none=True,
)


def load_csv(
    path,
    *,
    target=None,
    features=None,
    task=None,
    class_names=None,
    index_col=None,
    encoding="utf-8",
):
    """Reads a CSV file into a ``Table`` with an explicit schema.

    Args:
        path: Path of the file; the first line is the header of column names.
        target: Name of the target column (default: the last column).
        features: List of feature column names (default: all other columns).
        task: ``None`` (infer, see the module docstring), ``"regression"``,
            ``"classification"``, ``"binary"`` or ``"multiclass"``.
        class_names: The labels as written in the target column, in the order
            of their class indices (default: sorted).
        index_col: Name or 0-based position of a column to ignore, such as the
            index that ``DataFrame.to_csv`` writes by default.
        encoding: Text encoding of the file (default UTF-8).

    Returns:
        A ``Table``.

    Raises:
        ValueError: For a missing, empty or malformed file, or a bad cell; the
            message names the file, column and row and says how to fix it.

    Example:
        >>> import pathlib
        >>> _ = pathlib.Path("iris.csv").write_text(
        ...     "petal,species\\n1.4,setosa\\n4.7,versicolor\\n1.3,setosa\\n")
        >>> table = load_csv("iris.csv", target="species")
        >>> table.y, table.class_names, table.task
        (array([0, 1, 0], dtype=int32), ('setosa', 'versicolor'), 'binary')
    """
    CSV_TASKS.check("task", task)
    path = check_csv_path(path)
    header = read_header(path, encoding)
    schema = resolve_schema(
        path, header, target=target, features=features, index_col=index_col
    )
    rows = read_columns(path, header, schema.feature_indices, encoding)
    check_has_rows(path, header, rows)
    x = rows[list(schema.feature_indices)].to_numpy(dtype=np.float32)
    labels = rows[schema.target_index]
    y, names, task = encode_target(
        path, schema.target, labels, task, class_names, encoding
    )
    info = {"source": f"csv file {path}", "path": str(path), "target": schema.target}
    return Table(x, y, schema.features, names, task, info)
