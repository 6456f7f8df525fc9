"""The in-graph loop over a ``tf.data`` iterator, shared by training and evaluation.

A ``tf.while_loop`` asks the iterator for its next batch as an optional:
with a value, the body adds the batch to what the loop carries; without
one, the data has ended and the loop stops. It also stops after
``max_steps`` batches, or when ``keep_going`` turns False (a training step
that diverged). Traced without AutoGraph, like the other graph loops.
"""

import tensorflow as tf


def iterator_loop(iterator, max_steps, add_batch, start, keep_going=None):
    """Runs ``add_batch`` on up to ``max_steps`` batches of ``iterator`` (in-graph).

    Args:
        iterator: A ``tf.data`` (or distributed) iterator of ``(x, y)`` batches.
        max_steps: int64 scalar, the most batches to read.
        add_batch: ``(index, batch, carried) -> carried``: one batch added
            to the carried tensors (``index`` counts batches from 0).
        start: Tuple of the carried tensors before the first batch.
        keep_going: ``None``, or ``(*carried) -> bool tensor``; the loop
            stops after the batch that makes it False.

    Returns:
        ``(steps, carried)``: the batches read and the final carried tuple.

    Example:
        >>> import tensorflow as tf
        >>> batches = tf.data.Dataset.range(10).batch(4)
        >>> def add(index, batch, carried):
        ...     return (carried[0] + tf.reduce_sum(batch),)
        >>> zero, most = tf.constant(0, tf.int64), tf.constant(9, tf.int64)
        >>> steps, (total,) = iterator_loop(iter(batches), most, add, (zero,))
        >>> int(steps), int(total)
        (3, 45)
    """

    def more(steps, has_data, *carried):
        going = tf.logical_and(steps < max_steps, has_data)
        if keep_going is None:
            return going
        return tf.logical_and(going, keep_going(*carried))

    def one_batch(steps, has_data, *carried):
        batch = iterator.get_next_as_optional()

        def run():
            added = add_batch(steps, batch.get_value(), carried)
            return (steps + 1, tf.constant(True), *added)

        def stop():
            return (steps, tf.constant(False), *carried)

        return tf.cond(batch.has_value(), run, stop)

    initial = (tf.constant(0, tf.int64), tf.constant(True), *start)
    steps, _, *carried = tf.while_loop(more, one_batch, initial)
    return steps, tuple(carried)
