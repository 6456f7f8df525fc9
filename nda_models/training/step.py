"""The training step of the lecture, and the fused loop that runs many of them.

``train_step`` is one turn of the slide "Deep Learning Iteration Cycle" on a
mini-batch: forward pass, loss, gradients by backpropagation, update. The
loops below run ``num_steps`` such steps inside one ``tf.function`` call (a
``tf.range`` loop, so Python is out of the inner loop), drawing mini-batches
in-graph either from in-memory tensors (``sampling.py``) or from a
``tf.data`` iterator with ``get_next_as_optional()``.
"""

import tensorflow as tf

from nda_models.training.distribute import distributed_step
from nda_models.training.divergence import all_finite, variables_finite
from nda_models.training.metrics import metric_sums


def train_step(forward, loss_fn, optimizer, x, y):
    """One gradient-descent step Θ ← Θ − η_t (1/M) Σ_i ∇J_i(Θ) on a mini-batch.

    Args:
        forward: ``Forward``: x -> (what the loss reads, model output).
        loss_fn: Keras loss, the mean of J_i over the mini-batch.
        optimizer: Keras optimizer (it holds η_t and the step counter t).
        x: Mini-batch features (M, d).
        y: Mini-batch labels (M,).

    Returns:
        ``(loss, y_hat, gradients)``.
    """
    variables = forward.trainable_variables
    with tf.GradientTape() as tape:
        loss_input, y_hat = forward(x, training=True)  # 1. forward pass
        loss = loss_fn(y, loss_input) + forward.regularization()  # 2. loss J(Θ)
    gradients = tape.gradient(loss, variables)  # 3. backpropagation: ∇J(Θ)
    optimizer.apply(gradients, variables)  # 4. update: Θ ← Θ − η_t ∇J(Θ)
    return loss, y_hat, gradients


def empty_totals(num_metrics):
    """Loop-carried sums of a graph call (see ``metrics.RunningMeans``)."""
    return {
        "loss_sum": tf.constant(0.0),
        "metric_sums": tf.zeros([num_metrics]),
        "count": tf.constant(0, tf.int64),
        "steps": tf.constant(0, tf.int64),
        "bad_step": tf.constant(-1, tf.int64),
    }


def add_to_totals(totals, metrics, loss, y, y_hat):
    """Adds one batch's loss × size and metric sums to ``totals``."""
    size = tf.shape(y, out_type=tf.int64)[0]
    return {
        "loss_sum": totals["loss_sum"] + loss * tf.cast(size, tf.float32),
        "metric_sums": totals["metric_sums"] + metric_sums(metrics, y, y_hat),
        "count": totals["count"] + size,
        "steps": totals["steps"] + 1,
        "bad_step": totals["bad_step"],
    }


class StepLoops:
    """Builds the fused ``tf.function`` loops of one ``Trainer``.

    Args:
        parts: ``LoopParts`` (forward, loss_fn, optimizer, metrics, sampler,
            state, snapshot, summaries) shared by every loop.
        traces: Dict counting how often each graph function was traced: a
            counter bumped in the Python body runs only while tracing.
    """

    def __init__(self, parts, traces):
        self.parts = parts
        self.traces = traces

    def _count_trace(self, name):
        self.traces[name] = self.traces.get(name, 0) + 1

    def _step(self, x, y, totals):
        """One step plus bookkeeping: totals, summaries, divergence flag."""
        p = self.parts
        if p.strategy is not None:  # data parallel: see distribute.py
            totals, finite = self._distributed_step(x, y, totals)
        else:
            loss, y_hat, grads = train_step(p.forward, p.loss_fn, p.optimizer, x, y)
            totals = add_to_totals(totals, p.metrics, loss, y, y_hat)
            if p.summaries is not None:
                p.summaries.write(p.state.step, loss, p.optimizer, grads)
            finite = all_finite(loss, grads) & p.state.within_loss_limit(loss)
        totals["bad_step"] = tf.where(finite, totals["bad_step"], p.state.step)
        p.state.step.assign_add(1)
        p.state.batch.assign_add(1)
        return totals, finite

    def _distributed_step(self, x, y, totals):
        p = self.parts
        loss_sum, sums, finite, grads = distributed_step(
            p, x, y, with_gradients=p.summaries is not None
        )
        size = tf.shape(y, out_type=tf.int64)[0]
        loss = loss_sum / tf.cast(size, tf.float32)
        finite = finite & p.state.within_loss_limit(loss)
        if p.summaries is not None:
            p.summaries.write(p.state.step, loss, p.optimizer, grads)
        totals = dict(
            totals,
            loss_sum=totals["loss_sum"] + loss_sum,
            metric_sums=totals["metric_sums"] + sums,
            count=totals["count"] + size,
            steps=totals["steps"] + 1,
        )
        return totals, finite

    def _check_weights(self, totals):
        """Marks the chunk's last step bad if it left a non-finite variable
        (a finite gradient can still overflow the weights), so every chunk
        the host accepts ends with finite weights."""
        p = self.parts
        last = p.state.step - 1
        ok = variables_finite(p.snapshot.variables)
        overflowed = tf.logical_and(totals["bad_step"] < 0, tf.logical_not(ok))
        bad = tf.where(overflowed, last, totals["bad_step"])
        return dict(totals, bad_step=bad)

    def array_loop(self, x_spec, y_spec):
        """Returns ``train_steps(x, y, batch_size, num_steps) -> totals``."""
        scalar = tf.TensorSpec([], tf.int64)

        @tf.function(input_signature=[x_spec, y_spec, scalar, scalar])
        def train_steps(x, y, batch_size, num_steps):
            self._count_trace("train_steps")
            p = self.parts
            p.snapshot.save()
            n = tf.shape(x, out_type=tf.int64)[0]
            totals = empty_totals(len(p.metrics))
            for _ in tf.range(num_steps):
                indices = p.sampler.indices(p.state.batch, n, batch_size)
                x_batch, y_batch = tf.gather(x, indices), tf.gather(y, indices)
                totals, finite = self._step(x_batch, y_batch, totals)
                if not finite:
                    break
            return self._check_weights(totals)

        return train_steps

    def iterator_loop(self):
        """Returns ``train_steps(iterator, num_steps) -> totals`` (tf.data)."""

        @tf.function(input_signature=None)
        def train_steps_from_iterator(iterator, num_steps):
            self._count_trace("train_steps_from_iterator")
            p = self.parts
            p.snapshot.save()
            totals = empty_totals(len(p.metrics))
            for _ in tf.range(num_steps):
                batch = iterator.get_next_as_optional()
                if not batch.has_value():
                    break
                x_batch, y_batch = batch.get_value()
                totals, finite = self._step(x_batch, y_batch, totals)
                if not finite:
                    break
            return self._check_weights(totals)

        return train_steps_from_iterator
