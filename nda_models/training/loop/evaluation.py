"""Evaluation in one graph call: the loss J(Θ) and metrics on a whole set.

The set is cut into batches inside a ``tf.while_loop`` (so memory stays
bounded); each batch adds its loss × size and metric sums, exactly as
``model.evaluate`` averages them. ``loss_and_gradients`` gives the full-data
loss and gradient ∇J(Θ) = (1/n) Σ_i ∇J_i(Θ) at the current parameters
without updating them (the "Regression Example" table prints them). Like the
training loops, these functions are traced without AutoGraph.
"""

import tensorflow as tf

from nda_models.training.loop.iterator_loop import iterator_loop
from nda_models.training.loop.metrics import RunningMeans, add_batch, totals, zero_sums

EVALUATION_BATCH_SIZE = 1024  # rows per batch of an in-memory set


class EvaluationLoops:
    """Builds the evaluation ``tf.function`` s of one ``Trainer``.

    Args:
        parts: ``StepParts`` shared with the training loops.
        traces: ``TraceCounts`` of the graph functions.
    """

    def __init__(self, parts, traces):
        self.parts = parts
        self.traces = traces

    def _batch_loss(self, x, y):
        loss_input, y_hat = self.parts.forward(x, training=False)
        loss = self.parts.forward.add_regularization(self.parts.loss_fn(y, loss_input))
        return loss, y_hat

    def _add_batch(self, sums, count, x, y):
        loss, y_hat = self._batch_loss(x, y)
        return add_batch(sums, count, self.parts.metrics, loss, y, y_hat)

    def array_loop(self, x_spec, y_spec):
        """Returns ``evaluate_batches(x, y, batch_size) -> totals``."""
        signature = [x_spec, y_spec, tf.TensorSpec([], tf.int64)]

        @tf.function(input_signature=signature, autograph=False)
        def evaluate_batches(x, y, batch_size):
            self.traces.count("evaluate_batches")
            n = tf.shape(x, out_type=tf.int64)[0]

            def one_batch(start, sums, count):
                stop = tf.minimum(start + batch_size, n)
                sums, count = self._add_batch(sums, count, x[start:stop], y[start:stop])
                return start + batch_size, sums, count

            start = tf.constant(0, tf.int64)
            _, sums, count = tf.while_loop(
                lambda start, sums, count: start < n,
                one_batch,
                (start, *zero_sums(self.parts.metrics)),
            )
            num_batches = (n + batch_size - 1) // batch_size
            return totals(sums, count, num_batches)

        return evaluate_batches

    def iterator_loop(self):
        """Returns ``evaluate_iterator(iterator, max_steps) -> totals``."""

        @tf.function(autograph=False)
        def evaluate_iterator(iterator, max_steps):
            self.traces.count("evaluate_iterator")

            def add_batch(index, batch, carried):
                return self._add_batch(*carried, *batch)

            start = zero_sums(self.parts.metrics)
            steps, (sums, count) = iterator_loop(iterator, max_steps, add_batch, start)
            return totals(sums, count, steps)

        return evaluate_iterator

    def gradient_function(self, x_spec, y_spec):
        """Returns ``loss_and_gradients(x, y) -> (J(Θ), [∇J(Θ) per variable])``."""

        @tf.function(input_signature=[x_spec, y_spec], autograph=False)
        def loss_and_gradients(x, y):
            self.traces.count("loss_and_gradients")
            variables = self.parts.forward.trainable_variables
            with tf.GradientTape() as tape:
                loss, _ = self._batch_loss(x, y)
            return loss, tape.gradient(loss, variables)

        return loss_and_gradients


def evaluate_source(loops, metrics, source, batch_size=None):
    """Evaluates a whole source in one graph call.

    Args:
        loops: ``CompiledLoops`` (``evaluate_batches``, ``evaluate_iterator``).
        metrics: Metric names, in the order the loops sum them.
        source: ``ArraySource`` or ``DatasetSource``.
        batch_size: Rows per batch of an array source (``None``: 1,024).

    Returns:
        ``(logs, num_batches)``: ``{"loss": J(Θ), metric: value}`` as Keras's
        ``evaluate`` averages them, and the number of batches read.

    Example:
        >>> from nda_models.training.loop.sources import ArraySource
        >>> model = nda.build_model("linear_regressor", input_dim=1)
        >>> model.set_weights([np.array([[2.0]]), np.array([1.0])])  # y = 2x + 1
        >>> trainer = nda.Trainer(model)
        >>> x = np.arange(3000, dtype="float32").reshape(-1, 1) / 3000
        >>> source = ArraySource(x, 2 * x[:, 0] + 1.5, 1)  # every target 0.5 higher
        >>> logs, batches = evaluate_source(trainer.loops, ("mean_absolute_error",),
        ...                                 source)
        >>> round(logs["mean_absolute_error"], 4), batches  # 3 batches of 1,024 rows
        (0.5, 3)
    """
    sums, num_batches = source.evaluate(loops, batch_size or EVALUATION_BATCH_SIZE)
    means = RunningMeans(metrics)
    means.add(sums)
    return means.logs(), num_batches
