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
    epoch bookkeeping): the cost the slide compares, ∇J_i against ∇J. The
    ``calls`` evaluations of a timing run in one graph call (a
    ``tf.while_loop``), as a ``Trainer``'s steps do: calling the graph from
    Python costs about a millisecond, more than the arithmetic of a small M,
    and timed per call it hid the n-fold difference up to n = 10⁵.

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
        30 µs per gradient on M = 64
    """
    calls = POSITIVE_INT.check("calls", calls)
    repeats = POSITIVE_INT.check("repeats", repeats)
    rows = slice(0, POSITIVE_INT.check("batch_size", batch_size))
    xs, ys = tf.constant(x[rows]), tf.constant(y[rows])
    repeated = _repeated(trainer.loops.loss_and_gradients)
    count = tf.constant(calls)
    float(repeated(xs, ys, count))  # trace
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        float(repeated(xs, ys, count))  # waits for the result
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def _repeated(loss_and_gradients):
    """``repeated(x, y, calls)``: ``calls`` evaluations in one graph, each
    result summed into the output so that none is pruned."""

    @tf.function(autograph=False)
    def repeated(x, y, calls):
        def body(i, total):
            loss, gradients = loss_and_gradients(x, y)
            sums = [tf.reduce_sum(gradient) for gradient in gradients]
            return i + 1, total + loss + tf.add_n(sums)

        start = (tf.constant(0), tf.constant(0.0))
        return tf.while_loop(lambda i, _: i < calls, body, start)[1]

    return repeated
