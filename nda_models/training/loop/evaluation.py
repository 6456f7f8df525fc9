"""Evaluation in one graph call: the loss J(Θ) and metrics on a whole set.

The set is cut into batches inside a ``tf.while_loop`` (so memory stays
bounded); each batch adds its loss × size and metric sums, exactly as
``model.evaluate`` averages them. ``loss_and_gradients`` gives the full-data
loss and gradient ∇J(Θ) = (1/n) Σ_i ∇J_i(Θ) at the current parameters
without updating them (the "Regression Example" table prints them). Like the
training loops, these functions are traced without AutoGraph.
"""

import tensorflow as tf

from nda_models.training.loop.metrics import add_batch, totals, zero_sums


class EvaluationLoops:
    """Builds the evaluation ``tf.function`` s of one ``Trainer``.

    Args:
        parts: ``StepParts`` shared with the training loops.
        traces: Dict counting traces per graph function.
    """

    def __init__(self, parts, traces):
        self.parts = parts
        self.traces = traces

    def _count_trace(self, name):
        self.traces[name] = self.traces.get(name, 0) + 1

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
            self._count_trace("evaluate_batches")
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
            self._count_trace("evaluate_iterator")

            def more(steps, has_data, sums, count):
                return tf.logical_and(steps < max_steps, has_data)

            def one_batch(steps, has_data, sums, count):
                batch = iterator.get_next_as_optional()

                def run():
                    x_batch, y_batch = batch.get_value()
                    new = self._add_batch(sums, count, x_batch, y_batch)
                    return (steps + 1, tf.constant(True), *new)

                def stop():
                    return steps, tf.constant(False), sums, count

                return tf.cond(batch.has_value(), run, stop)

            start = (tf.constant(0, tf.int64), tf.constant(True))
            start += zero_sums(self.parts.metrics)
            steps, _, sums, count = tf.while_loop(more, one_batch, start)
            return totals(sums, count, steps)

        return evaluate_iterator

    def gradient_function(self, x_spec, y_spec):
        """Returns ``loss_and_gradients(x, y) -> (J(Θ), [∇J(Θ) per variable])``."""

        @tf.function(input_signature=[x_spec, y_spec], autograph=False)
        def loss_and_gradients(x, y):
            self._count_trace("loss_and_gradients")
            variables = self.parts.forward.trainable_variables
            with tf.GradientTape() as tape:
                loss, _ = self._batch_loss(x, y)
            return loss, tape.gradient(loss, variables)

        return loss_and_gradients
