"""Evaluation in one graph call: the loss J(Θ) and metrics on a whole set.

The set is cut into batches inside a ``tf.range`` loop (so memory stays
bounded); each batch adds its loss × size and metric sums, exactly as
``model.evaluate`` averages them. ``loss_and_gradients`` gives the full-data
loss and gradient ∇J(Θ) = (1/n) Σ_i ∇J_i(Θ) at the current parameters
without updating them (the "Regression Example" table prints them).
"""

import tensorflow as tf

from nda_models.training.step import add_to_totals, empty_totals


class EvaluationLoops:
    """Builds the evaluation ``tf.function`` s of one ``Trainer``.

    Args:
        parts: ``LoopParts`` shared with the training loops.
        traces: Dict counting traces per graph function.
    """

    def __init__(self, parts, traces):
        self.parts = parts
        self.traces = traces

    def _count_trace(self, name):
        self.traces[name] = self.traces.get(name, 0) + 1

    def _batch_loss(self, x, y):
        loss_input, y_hat = self.parts.forward(x, training=False)
        loss = self.parts.loss_fn(y, loss_input) + self.parts.forward.regularization()
        return loss, y_hat

    def array_loop(self, x_spec, y_spec):
        """Returns ``evaluate_batches(x, y, batch_size) -> totals``."""

        @tf.function(input_signature=[x_spec, y_spec, tf.TensorSpec([], tf.int64)])
        def evaluate_batches(x, y, batch_size):
            self._count_trace("evaluate_batches")
            n = tf.shape(x, out_type=tf.int64)[0]
            totals = empty_totals(len(self.parts.metrics))
            for start in tf.range(0, n, batch_size):
                stop = tf.minimum(start + batch_size, n)
                x_batch, y_batch = x[start:stop], y[start:stop]
                loss, y_hat = self._batch_loss(x_batch, y_batch)
                totals = add_to_totals(totals, self.parts.metrics, loss, y_batch, y_hat)
            return totals

        return evaluate_batches

    def iterator_loop(self):
        """Returns ``evaluate_iterator(iterator, max_steps) -> totals``."""

        @tf.function
        def evaluate_iterator(iterator, max_steps):
            self._count_trace("evaluate_iterator")
            totals = empty_totals(len(self.parts.metrics))
            for _ in tf.range(max_steps):
                batch = iterator.get_next_as_optional()
                if not batch.has_value():
                    break
                x_batch, y_batch = batch.get_value()
                loss, y_hat = self._batch_loss(x_batch, y_batch)
                totals = add_to_totals(totals, self.parts.metrics, loss, y_batch, y_hat)
            return totals

        return evaluate_iterator

    def gradient_function(self, x_spec, y_spec):
        """Returns ``loss_and_gradients(x, y) -> (J(Θ), [∇J(Θ) per variable])``."""

        @tf.function(input_signature=[x_spec, y_spec])
        def loss_and_gradients(x, y):
            self._count_trace("loss_and_gradients")
            variables = self.parts.forward.trainable_variables
            with tf.GradientTape() as tape:
                loss, _ = self._batch_loss(x, y)
            return loss, tape.gradient(loss, variables)

        return loss_and_gradients
