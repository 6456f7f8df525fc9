"""What a model's output holds: declared by ``register_model``, defined once.

A model's *output kind* tells every consumer how to read the output: the
loader turns it into predictions, the serving signature names its outputs,
the scikit-learn estimators offer ``predict_proba`` only where there are
probabilities. It is declared where the model is registered, never read from
layer names, and a bundle records it (``metadata.json``'s ``output_kind``).

- ``"regression"``: real values, shape (n, 1);
- ``"binary_probability"``: (n, 1), the probability p(y = 1 | x) (a sigmoid);
- ``"binary_decision"``: (n, 1), the hard decision in {0, 1} (the
  perceptron's step), no probabilities;
- ``"multiclass_probability"``: (n, c), class probabilities summing to 1
  (a softmax).

Example:
    >>> OUTPUT_KINDS.lookup("output_kind", "binary_decision").probabilities
    False
    >>> output_kinds_of("binary")
    ('binary_probability', 'binary_decision')
"""

import dataclasses

from nda_models.core.name_table import NameTable
from nda_models.zoo.tasks import TASKS


@dataclasses.dataclass(frozen=True)
class OutputKind:
    """One output kind.

    Attributes:
        task: The task of the models that have it.
        output: What the output holds, in words, with its shape.
        probabilities: The output is (or gives) class probabilities.
    """

    task: str
    output: str
    probabilities: bool


OUTPUT_KINDS = NameTable(
    {
        "regression": OutputKind(
            "regression", "real values, shape (n, 1)", probabilities=False
        ),
        "binary_probability": OutputKind(
            "binary", "p(y = 1 | x), shape (n, 1)", probabilities=True
        ),
        "binary_decision": OutputKind(
            "binary", "the decision 0 or 1, shape (n, 1)", probabilities=False
        ),
        "multiclass_probability": OutputKind(
            "multiclass", "class probabilities, shape (n, c)", probabilities=True
        ),
    },
    noun="output kind",
)


def output_kinds_of(task):
    """The output kinds a model of ``task`` may have, in table order.

    Raises:
        ValueError: for an unknown task.
    """
    TASKS.check("task", task)
    return tuple(name for name, kind in OUTPUT_KINDS.items() if kind.task == task)
