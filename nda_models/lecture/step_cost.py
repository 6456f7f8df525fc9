"""The cost of one SGD step against one full-gradient step, measured.

Lecture: slide "SGD characteristics": a stochastic gradient is "n-times
faster to compute than the full ∇J(Θ_t)". One step with M examples costs a
forward and a backward pass over M rows, so a step of SGD (M = 1) should not
depend on n while a step of gradient descent (M = n) grows like n, once n is
large enough for the arithmetic to outweigh the fixed cost of a step (launching
the graph's operations, updating the weights). This module times steps of
the package's ``Trainer``; it imports Keras.
"""

import time

import tensorflow as tf

from nda_models.callbacks.stop_after_steps import StopAfterSteps
from nda_models.core.constraints import POSITIVE_INT


def seconds_per_step(trainer, x, y, *, steps, repeats=3):
    """Returns the best of ``repeats`` timings of one step, in seconds.

    Each timing runs ``steps`` steps of ``trainer`` on (x, y) in one call of
    ``fit`` (after a first call that traces the graph), so the fixed cost of
    ``fit`` is shared by the steps.

    Args:
        trainer: A ``Trainer``; its ``batch_size`` is M (values above n are
            clamped to n: full-batch gradient descent).
        x, y: Training data of n rows.
        steps: Steps per timing.
        repeats: Timings; the fastest is kept (the least disturbed by other
            work on the machine).

    Returns:
        Seconds per step (float).

    Example:
        >>> x, y = np.ones((64, 2), "float32"), np.ones(64, "float32")
        >>> model = nda.build_model("linear_regressor", input_dim=2)
        >>> trainer = nda.Trainer(model, batch_size=1)  # M = 1: SGD
        >>> seconds = seconds_per_step(trainer, x, y, steps=20, repeats=2)
        >>> int(trainer.optimizer.iterations)  # 20 steps to trace, 2 timings of 20
        60
        >>> isinstance(seconds, float) and seconds > 0
        True
        >>> # Skipped: a duration measured on this machine.
        >>> print(f"{seconds * 1e6:.0f} µs per step")  # doctest: +SKIP
        600 µs per step
    """
    repeats = POSITIVE_INT.check("repeats", repeats)
    iterations = trainer.optimizer.iterations
    trainer.fit(x, y, epochs=10**9, callbacks=[StopAfterSteps(steps)])  # trace
    best = float("inf")
    for _ in range(repeats):
        before = int(iterations)
        start = time.perf_counter()
        trainer.fit(x, y, epochs=10**9, callbacks=[StopAfterSteps(steps)])
        seconds = time.perf_counter() - start
        best = min(best, seconds / (int(iterations) - before))
    return best


def seconds_per_gradient(trainer, x, y, *, batch_size, calls=20, repeats=3):
    """Returns the time of one evaluation of the loss and its gradient on M rows.

    Only the compiled forward + backward pass of ``trainer`` on the first
    ``batch_size`` rows of (x, y) is timed (no sampling, no update, no
    epoch bookkeeping): the cost the slide compares, ∇J_i against ∇J.

    Args:
        trainer: A ``Trainer`` (its model and loss are used).
        x, y: Data of n rows.
        batch_size: M, the rows the gradient is computed on (1 or n).
        calls: Evaluations per timing.
        repeats: Timings; the fastest is kept.

    Returns:
        Seconds per evaluation (float).

    Example:
        >>> x, y = np.ones((64, 2), "float32"), np.ones(64, "float32")
        >>> trainer = nda.Trainer(nda.build_model("linear_regressor", input_dim=2))
        >>> seconds = seconds_per_gradient(trainer, x, y, batch_size=len(x), calls=5)
        >>> int(trainer.optimizer.iterations)  # gradients only: no step was taken
        0
        >>> isinstance(seconds, float) and seconds > 0
        True
        >>> # Skipped: a duration measured on this machine.
        >>> print(f"{seconds * 1e6:.0f} µs per gradient on M = 64")  # doctest: +SKIP
        300 µs per gradient on M = 64
    """
    calls = POSITIVE_INT.check("calls", calls)
    repeats = POSITIVE_INT.check("repeats", repeats)
    rows = slice(0, POSITIVE_INT.check("batch_size", batch_size))
    xs, ys = tf.constant(x[rows]), tf.constant(y[rows])
    trainer.loops.loss_and_gradients(xs, ys)  # trace
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            loss, _ = trainer.loops.loss_and_gradients(xs, ys)
        float(loss)  # wait for the last result
        best = min(best, (time.perf_counter() - start) / calls)
    return best
