"""The Robbins-Monro step size η_t = η_0 / (1 + t / τ)^p, a Keras schedule.

The lecture's slide "Basic gradient descent" asks for a step that is
square-summable but not summable, Σ η_t² < ∞ and Σ η_t = ∞ (Robbins and
Monro, 1951). This family is square-summable exactly when p > 1/2 and not
summable exactly when p <= 1, hence the admissible range 0.5 < p <= 1.
Registered with Keras, so an optimizer using it saves and loads.
"""

import keras
from keras import ops

from nda_models.training.loop.schedules import LEARNING_RATE, POWER, TAU


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
