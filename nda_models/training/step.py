"""The training step of the lecture, and the fused loop that runs many of them.

``train_step`` is one turn of the slide "Deep Learning Iteration Cycle" on a
mini-batch: forward pass, loss, gradients by backpropagation, update. The
loops below run ``num_steps`` such steps inside one ``tf.function`` call (a
``tf.range`` loop, so Python is out of the inner loop), drawing mini-batches
in-graph either from in-memory tensors (``sampling.py``) or from a
``tf.data`` iterator with ``get_next_as_optional()``.
"""

import tensorflow as tf

from nda_models.training.distribute import replica_rows, unscaled_mean_loss
from nda_models.training.divergence import all_finite, variables_finite
from nda_models.training.metrics import metric_sums

SUM = tf.distribute.ReduceOp.SUM


def train_step(forward, loss_fn, optimizer, x, y, global_batch_size):
    """One gradient-descent step Θ ← Θ − η_t (1/M) Σ_i ∇J_i(Θ) on a mini-batch.

    On one device ``(x, y)`` is the whole mini-batch of M = ``global_batch_size``
    examples. Under ``strategy.run`` each replica calls it on its part of the
    mini-batch and scales its loss by its share of M, so that the optimizer's
    all-reduce (a sum over replicas) yields the same ∇J(Θ) (see
    ``distribute.py``).

    Args:
        forward: ``Forward``: x -> (what the loss reads, model output).
        loss_fn: Keras loss, the mean of J_i over the mini-batch.
        optimizer: Keras optimizer (it holds η_t and the step counter t).
        x: This replica's features (m, d): the whole mini-batch on one device.
        y: This replica's labels (m,).
        global_batch_size: M, the examples of the mini-batch over all replicas.

    Returns:
        ``(loss, y_hat, gradients)``: the unscaled mean loss J(Θ) of ``(x, y)``
        (weight penalty included), the model output and this replica's
        gradients (the full ∇J(Θ) on one device).
    """
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    variables = forward.trainable_variables
    # Name scopes: TensorBoard's Graphs tab draws the slide's cycle as four
    # boxes, forward -> loss -> gradient_tape (TensorFlow's own) -> update.
    with tf.GradientTape() as tape:
        with tf.name_scope("forward"):
            loss_input, y_hat = forward(x, training=True)  # 1. forward pass
        with tf.name_scope("loss"):
            mean = unscaled_mean_loss(loss_fn, y, loss_input, replicas)  # 2. J(Θ)
            penalty = forward.regularization()
            size = tf.cast(tf.shape(y)[0], tf.float32)
            share = size / tf.cast(global_batch_size, tf.float32)
            scaled = mean * share + penalty / replicas  # this replica's part of J(Θ)
            total = mean + penalty
    gradients = tape.gradient(scaled, variables)  # 3. backpropagation: ∇J(Θ)
    with tf.name_scope("update"):
        optimizer.apply(gradients, variables)  # 4. update: Θ ← Θ − η_t ∇J(Θ)
    return total, y_hat, gradients


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

    Every step runs through ``parts.strategy.run`` (TensorFlow's default
    strategy on one device, a single replica), and the replicas' sums are
    added with ``strategy.reduce``.

    Args:
        parts: ``LoopParts`` (forward, loss_fn, optimizer, metrics, sampler,
            state, snapshot, summaries, strategy) shared by every loop.
        traces: Dict counting how often each graph function was traced: a
            counter bumped in the Python body runs only while tracing.
    """

    def __init__(self, parts, traces):
        self.parts = parts
        self.traces = traces

    def _count_trace(self, name):
        self.traces[name] = self.traces.get(name, 0) + 1

    def _replica_step(self, x, y, global_batch_size):
        """In a replica: ``train_step`` and the sums the loop carries.

        Returns ``([loss × m, non-finite flag, m, metric sums...], gradients)``;
        the gradients only when TensorBoard summaries are written.
        """
        p = self.parts
        size = tf.shape(y)[0]
        if global_batch_size is None:  # a distributed dataset: add the parts
            context = tf.distribute.get_replica_context()
            global_batch_size = context.all_reduce(SUM, size)
        loss, y_hat, gradients = train_step(
            p.forward, p.loss_fn, p.optimizer, x, y, global_batch_size
        )
        bad = 1.0 - tf.cast(all_finite(loss, gradients), tf.float32)
        size = tf.cast(size, tf.float32)
        head = tf.stack([loss * size, bad, size])
        sums = tf.concat([head, metric_sums(p.metrics, y, y_hat)], axis=0)
        return sums, (tuple(gradients) if p.summaries is not None else ())

    def _array_replica_step(self, x, y, indices, global_batch_size):
        x, y = replica_rows(x, y, indices)  # this replica's rows of the batch
        return self._replica_step(x, y, global_batch_size)

    def _step(self, step_fn, args, totals):
        """One step on every replica plus bookkeeping: totals, summaries,
        divergence flag."""
        p = self.parts
        sums, gradients = p.strategy.run(step_fn, args=args)
        sums = p.strategy.reduce(SUM, sums, axis=None)
        if gradients:
            gradients = [p.strategy.reduce(SUM, g, axis=None) for g in gradients]
        size = tf.cast(sums[2], tf.int64)
        loss = sums[0] / sums[2]
        finite = (sums[1] == 0) & p.state.within_loss_limit(loss)
        if p.summaries is not None:
            p.summaries.write(p.state.step, loss, p.optimizer, gradients)
        totals = {
            "loss_sum": totals["loss_sum"] + sums[0],
            "metric_sums": totals["metric_sums"] + sums[3:],
            "count": totals["count"] + size,
            "steps": totals["steps"] + 1,
            "bad_step": tf.where(finite, totals["bad_step"], p.state.step),
        }
        p.state.step.assign_add(1)
        p.state.batch.assign_add(1)
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
        """Returns ``train_steps(x, y, num_samples, batch_size, num_steps) -> totals``.

        ``x`` and ``y`` are ``distribute.replica_shards`` (plain tensors on one
        device, whose ``x_spec``/``y_spec`` fix the signature; ``None`` specs
        under a strategy, whose per-replica values trace their own).
        """
        scalar = tf.TensorSpec([], tf.int64)
        signature = None if x_spec is None else [x_spec, y_spec, *[scalar] * 3]

        @tf.function(input_signature=signature)
        def train_steps(x, y, num_samples, batch_size, num_steps):
            self._count_trace("train_steps")
            p = self.parts
            p.snapshot.save()
            totals = empty_totals(len(p.metrics))
            for _ in tf.range(num_steps):
                indices = p.sampler.indices(p.state.batch, num_samples, batch_size)
                size = tf.shape(indices)[0]
                args = (x, y, indices, size)
                totals, finite = self._step(self._array_replica_step, args, totals)
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
                args = (x_batch, y_batch, None)
                totals, finite = self._step(self._replica_step, args, totals)
                if not finite:
                    break
            return self._check_weights(totals)

        return train_steps_from_iterator
