"""What a model predicts: the tasks of the registry, defined once.

Every place that names a task reads this table: ``register_model``, datasets,
the training loop's label checks, and a bundle's metadata.

Example:
    >>> list(TASKS), CLASSIFICATION
    (['regression', 'binary', 'multiclass'], ('binary', 'multiclass'))
    >>> TASKS.lookup("task", "binary").labels
    'class indices 0 and 1'
"""

import dataclasses

from nda_models.core.name_table import NameTable


@dataclasses.dataclass(frozen=True)
class Task:
    """One task.

    Attributes:
        labels: What its targets are, in words.
        classifier: Its targets are class indices (the loop checks them
            against the number of classes; accuracy is its metric).
    """

    labels: str
    classifier: bool


TASKS = NameTable(
    {
        "regression": Task("real values", classifier=False),
        "binary": Task("class indices 0 and 1", classifier=True),
        "multiclass": Task("class indices 0 to c - 1", classifier=True),
    },
    noun="task",
)

#: The tasks whose targets are class indices.
CLASSIFICATION = tuple(name for name, task in TASKS.items() if task.classifier)
