"""Checked exercises for the lecture's notebooks: numbers, an answer, feedback.

Each exercise draws its numbers from a seed, asks in the lecture's notation,
and checks an answer part by part with a stated tolerance, recognising the
typical mistakes (a sign error, a missing ½ or 1/M, a forgotten chain-rule
factor, a probability used for a log-probability...). ``check`` never raises
on a malformed answer: it says what form it expects. NumPy only: importing
this package imports no TensorFlow.

Example:
    >>> from nda_models import exercises
    >>> ex = exercises.get_exercise("example3_backward", seed=0)
    >>> print(ex.check({"dl_dw": 0.0, "dl_db": 0.0}))  # doctest: +ELLIPSIS
    Not yet: ∂ℓ/∂w is not right: ∂ℓ/∂w = ∂ℓ/∂y · ... ∂ℓ/∂b is not right: ...
    >>> ex.check(ex.solution()).correct
    True
"""

# Importing each topic module registers its exercises.
from nda_models.exercises import (  # noqa: F401
    autodiff_cost,
    backpropagation,
    linear_regression,
    neuron,
    softmax,
    step_size_schedules,
    stochastic_gradient,
)
from nda_models.exercises.exercise import Exercise, Mistake
from nda_models.exercises.feedback import Feedback
from nda_models.exercises.registry import (
    get_exercise,
    list_exercises,
    register_exercise,
)

__all__ = [
    "Exercise",
    "Feedback",
    "Mistake",
    "get_exercise",
    "list_exercises",
    "register_exercise",
]
