"""Learning-rate schedules η_t of the lecture's slide "Basic gradient descent".

The slide allows two choices, the two names of ``SCHEDULES``: a constant
step η_t = η (``"constant"``), or a step that is square-summable but not
summable, Σ η_t² < ∞ and Σ η_t = ∞ (``"robbins_monro"``: η_t = η_0 / (1 +
t / τ)^p with 0.5 < p <= 1, see ``robbins_monro.py``). The table's names are
what the checks and ``nda train --schedule`` accept; Keras is imported only
when a schedule is built.

Example:
    >>> list(SCHEDULES)
    ['constant', 'robbins_monro']
"""

import numbers

from nda_models.core.constraints import Interval
from nda_models.core.name_table import Lazy, NameTable

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

_SCHEDULE = Lazy("keras.optimizers.schedules:LearningRateSchedule")


def constant(learning_rate, *, tau, power):
    """η_t = η: Keras takes the number itself as the learning rate."""
    del tau, power
    return learning_rate


#: Schedule name -> ``factory(learning_rate, tau=, power=)``.
SCHEDULES = NameTable(
    {
        "constant": constant,
        "robbins_monro": Lazy("nda_models.training.loop.robbins_monro:RobbinsMonro"),
    },
    noun="schedule",
    alternatives=" or a keras.optimizers.schedules.LearningRateSchedule",
    allow_none=True,
)


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
    if not isinstance(schedule, str | None) and isinstance(
        schedule, _SCHEDULE.resolve()
    ):
        return schedule
    factory = SCHEDULES.lookup("schedule", schedule) or constant
    return factory(learning_rate, tau=tau, power=power)


def learning_rate_at(optimizer, step):
    """Returns η_t of ``optimizer`` at global step ``step``, as a float."""
    # Keras keeps the schedule (or the constant's variable) in `_learning_rate`.
    schedule = getattr(optimizer, "_learning_rate", None)
    if isinstance(schedule, _SCHEDULE.resolve()):
        return float(schedule(step))
    return float(optimizer.learning_rate)
