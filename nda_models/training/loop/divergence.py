"""Divergence: a non-finite loss or gradient stops training, weights intact.

The fused loop ands a "finite" flag over its steps and stops at the first
non-finite loss or gradient; the host checks the flag once per graph call,
so detection costs no extra host synchronisation per step. At the start of
every graph call the loop copies the model and optimizer variables into a
``Snapshot``; on divergence the host restores that copy, so no NaN or inf
is left in the model (lecture, "SGD characteristics": very sensitive to the
step size η_t).
"""

import numbers

import tensorflow as tf

from nda_models.core.constraints import Interval
from nda_models.training.diverged_error import TrainingDivergedError


class Snapshot:
    """Shadow copies of variables, saved in-graph and restored on demand.

    Args:
        variables: The variables to protect (model, optimizer, counters).

    Example:
        >>> w = tf.Variable([1.0, 2.0])
        >>> snapshot = Snapshot([w])
        >>> snapshot.save(); _ = w.assign([float("nan"), 0.0])
        >>> snapshot.restore(); w.numpy().tolist()
        [1.0, 2.0]
    """

    def __init__(self, variables):
        self.variables = list(variables)
        self.copies = [
            tf.Variable(tf.convert_to_tensor(v), trainable=False, shape=v.shape)
            for v in self.variables
        ]

    def save(self):
        """Copies the variables (called at the start of each graph call)."""
        for copy, variable in zip(self.copies, self.variables, strict=True):
            copy.assign(tf.convert_to_tensor(variable))

    def restore(self):
        """Puts the saved values back (called by the host after divergence)."""
        for copy, variable in zip(self.copies, self.variables, strict=True):
            variable.assign(copy)


DIVERGENCE_FACTOR = Interval(
    numbers.Real,
    1,
    closed="neither",
    allow_none=True,
    example=" such as 1e4",
    reason=" (a loss that grows that many times past its first value stops "
    "training; None stops only on NaN/inf)",
)


def all_finite(loss, gradients):
    """True when the loss and every gradient entry are finite (in-graph).

    One test for all of them: loss + Σ (sum of each gradient) is finite
    exactly when no entry is NaN or inf (or the sum overflows, which only
    gradients near 1e38 do: divergence all the same), so a step costs one
    reduction per variable instead of a finiteness mask per variable.
    """
    sums = [tf.reduce_sum(tf.cast(g, tf.float32)) for g in gradients if g is not None]
    total = tf.add_n([tf.reshape(tf.cast(loss, tf.float32), []), *sums])
    return tf.math.is_finite(total)


def variables_finite(variables):
    """True when every floating-point variable is finite (in-graph, one pass)."""
    flags = [
        tf.reduce_all(tf.math.is_finite(tf.convert_to_tensor(v)))
        for v in variables
        if tf.as_dtype(v.dtype).is_floating
    ]
    return tf.reduce_all(tf.stack(flags)) if flags else tf.constant(True)


def divergence_error(step, epoch, learning_rate, restored_step):
    """Returns the ``TrainingDivergedError`` raised when training diverges.

    Args:
        step: 0-based global step t at which the loss or a gradient was not
            finite (the error and its message count from 1, as Keras does).
        epoch: 0-based epoch of that step.
        learning_rate: η_t at that step.
        restored_step: 0-based global step the weights were rolled back to
            (the weights are those after ``restored_step`` updates).
    """
    return TrainingDivergedError(
        f"Training diverged at step {step + 1} (epoch {epoch + 1}): the loss or a "
        "gradient became NaN or infinite, or the loss grew past divergence_factor "
        f"times its first value, with learning_rate={learning_rate:.6g}. Use a "
        f"smaller learning_rate (e.g. {learning_rate / 10:.6g}), normalise the "
        "features (and a regression target in the hundreds, such as load_diabetes"
        "'s: a squared error that large needs a tiny step), or use a decaying "
        "schedule. The weights were rolled back to "
        f"their values before step {restored_step + 1}. Received: "
        f"learning_rate={learning_rate:.6g}",
        step=step + 1,
        epoch=epoch + 1,
        learning_rate=learning_rate,
    )
