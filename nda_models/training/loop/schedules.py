"""Learning-rate schedules η_t of the lecture's slide "Basic gradient descent".

The slide allows two choices: a constant step η_t = η, or a step that is
square-summable but not summable, Σ η_t² < ∞ and Σ η_t = ∞ (Robbins and
Monro, 1951). ``RobbinsMonro`` implements the family

    η_t = η_0 / (1 + t / τ)^p,

which is square-summable exactly when p > 1/2 and not summable exactly when
p <= 1, hence the admissible range 0.5 < p <= 1.
"""

import numbers

import keras
from keras import ops

from nda_models.core.constraints import Interval
from nda_models.core.options import SCHEDULES

LEARNING_RATE = Interval(numbers.Real, 0, closed="neither", example=" such as 0.01")
POWER = Interval(
    numbers.Real,
    0.5,
    1,
    closed="right",
    reason=": the Robbins-Monro step η_t = η_0 / (1 + t/τ)^p must be "
    "square-summable (Σ η_t² < ∞ needs p > 0.5) but not summable (Σ η_t = ∞ "
    "needs p <= 1), or SGD stops too early or never settles",
)
TAU = Interval(
    numbers.Real,
    0,
    closed="neither",
    reason=" (the steps over which the step size halves when power=1)",
)


@keras.saving.register_keras_serializable(package="nda_models")
class RobbinsMonro(keras.optimizers.schedules.LearningRateSchedule):
    """Step size η_t = η_0 / (1 + t / τ)^p, square-summable but not summable.

    Lecture: "Basic gradient descent" — η_t is "either constant, or a square
    summable, but not summable function". With 0.5 < p <= 1 both sums behave
    as required, so SGD keeps moving (Σ η_t = ∞) while its noise dies out
    (Σ η_t² < ∞). ``t`` is the optimizer's step counter, starting at 0.

    Args:
        initial_learning_rate: η_0 > 0.
        tau: τ > 0, the time scale of the decay in steps.
        power: p in (0.5, 1]; 1 is Robbins and Monro's η_0 / (1 + t/τ).

    Raises:
        ValueError: if ``power`` is outside (0.5, 1] or a value is not > 0.

    Example:
        >>> schedule = RobbinsMonro(0.1, tau=100, power=1.0)
        >>> round(float(schedule(100)), 6)  # η_0 / 2
        0.05
    """

    def __init__(self, initial_learning_rate, tau=100.0, power=1.0):
        self.initial_learning_rate = LEARNING_RATE.check(
            "initial_learning_rate", initial_learning_rate
        )
        self.tau = TAU.check("tau", tau)
        self.power = POWER.check("power", power)

    def __call__(self, step):
        t = ops.cast(step, "float32")
        return self.initial_learning_rate / ops.power(1.0 + t / self.tau, self.power)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "tau": self.tau,
            "power": self.power,
        }


def get_schedule(schedule, learning_rate, *, tau=100.0, power=1.0):
    """Turns ``schedule=`` into what a Keras optimizer takes as ``learning_rate``.

    Args:
        schedule: ``None`` or ``"constant"`` (η_t = learning_rate),
            ``"robbins_monro"`` (``RobbinsMonro(learning_rate, tau, power)``),
            or a ``keras.optimizers.schedules.LearningRateSchedule``.
        learning_rate: η (or η_0 for a decaying schedule).
        tau: τ of ``"robbins_monro"``.
        power: p of ``"robbins_monro"``, in (0.5, 1].

    Returns:
        A float or a ``LearningRateSchedule``.

    Raises:
        ValueError: for an unknown schedule name or a bad value.
        TypeError: for a schedule of the wrong type.

    Example:
        >>> get_schedule("robbins_monro", 0.1, tau=50, power=0.75).power
        0.75
    """

    learning_rate = LEARNING_RATE.check("learning_rate", learning_rate)
    tau, power = TAU.check("tau", tau), POWER.check("power", power)
    if isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule):
        return schedule
    schedule = SCHEDULES.check("schedule", schedule)
    if schedule == "robbins_monro":
        return RobbinsMonro(learning_rate, tau=tau, power=power)
    return learning_rate


def learning_rate_at(optimizer, step):
    """Returns η_t of ``optimizer`` at global step ``step``, as a float."""
    # Keras keeps the schedule (or the constant's variable) in `_learning_rate`.
    schedule = getattr(optimizer, "_learning_rate", None)
    if isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule):
        return float(schedule(step))
    return float(optimizer.learning_rate)
