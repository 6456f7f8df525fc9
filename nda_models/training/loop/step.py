"""The training step of the lecture, and the fused loop that runs many of them.

``train_step`` is one turn of the slide "Deep Learning Iteration Cycle" on a
mini-batch: forward pass, loss, gradients by backpropagation, update.
``FusedSteps`` runs up to ``num_steps`` such steps inside one ``tf.function``
call, drawing mini-batches in-graph either from in-memory tensors
(``sampling.py``) or from a ``tf.data`` iterator.

The graph functions are traced with ``autograph=False``: their loops and
branches are written as ``tf.while_loop`` and ``tf.cond`` directly, so
tracing converts no Python source (AutoGraph was most of the cost of a first
``fit``). Bookkeeping that need not happen per step happens once per graph
call: the step and batch counters and the divergence limit are stored when
the loop ends, and on one device the divergence checks run once per call.
"""

import dataclasses

import tensorflow as tf

from nda_models.training.loop.divergence import all_finite, variables_finite
from nda_models.training.loop.iterator_loop import iterator_loop
from nda_models.training.loop.metrics import add_batch, metric_sums, totals, zero_sums
from nda_models.training.run.distribute import replica_rows, unscaled_mean_loss

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

    Example:
        >>> import keras
        >>> from nda_models.training.loop.forward import Forward
        >>> model = nda.build_model("linear_regressor", input_dim=2)  # Θ_0 = 0
        >>> sgd = keras.optimizers.SGD(learning_rate=0.1)
        >>> x, y = tf.constant([[1.0, 1.0]]), tf.constant([2.0])
        >>> loss, y_hat, gradients = train_step(
        ...     Forward(model, model), keras.losses.MeanSquaredError(), sgd, x, y, 1)
        >>> float(loss), [g.numpy().ravel().tolist() for g in gradients]  # J = (y - ŷ)²
        (4.0, [[-4.0, -4.0], [-4.0]])
        >>> [np.round(w.ravel().astype(float), 6).tolist() for w in model.get_weights()]
        [[0.4, 0.4], [0.4]]
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
            loss = forward.add_regularization(mean)
            if replicas > 1:  # this replica's part of J(Θ)
                size = tf.cast(tf.shape(y)[0], tf.float32)
                share = size / tf.cast(global_batch_size, tf.float32)
                scaled = mean * share + (loss - mean) / replicas
            else:  # one replica holds the whole mini-batch
                scaled = loss
    gradients = tape.gradient(scaled, variables)  # 3. backpropagation: ∇J(Θ)
    with tf.name_scope("update"):
        optimizer.apply(gradients, variables)  # 4. update: Θ ← Θ − η_t ∇J(Θ)
    return loss, y_hat, gradients


@dataclasses.dataclass(frozen=True)
class StepParts:
    """What one training step uses, fixed for the life of a ``Trainer``.

    Attributes:
        forward: ``Forward`` of the model (loss input and output).
        loss_fn: The Keras loss.
        optimizer: The Keras optimizer.
        metrics: Metric names summed per batch.
        strategy: The ``tf.distribute.Strategy`` (TensorFlow's default
            strategy, one replica, on one device).
    """

    forward: object
    loss_fn: object
    optimizer: object
    metrics: tuple
    strategy: object


class FusedSteps:
    """Builds the fused ``tf.function`` loops of one ``Trainer``.

    A checked step runs through ``parts.strategy.run`` (TensorFlow's default
    strategy on one device, a single replica), and the replicas' sums are
    added with ``strategy.reduce``; it tests the loss and gradients. On one
    device without summaries the array loop takes the fast path instead:
    the step itself, the sums, and the checks once per call.

    A loop carries few variables (each costs ops at every step): the step
    index, an ``ok`` flag, the batch sums (one vector, see ``metrics.py``),
    the sample count and the divergence limit.

    Args:
        parts: ``StepParts`` of the step.
        loop: ``LoopState`` (counters, sampler, snapshot, divergence limit).
        summaries: ``Summaries`` written in-graph, or ``None``.
        traces: ``TraceCounts`` of the graph functions (see ``trace_counts.py``).
    """

    def __init__(self, parts, loop, summaries, traces):
        self.parts = parts
        self.loop = loop
        self.summaries = summaries
        self.traces = traces

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
        return sums, (tuple(gradients) if self.summaries is not None else ())

    def _array_replica_step(self, x, y, indices, global_batch_size):
        x, y = replica_rows(x, y, indices)  # this replica's rows of the batch
        return self._replica_step(x, y, global_batch_size)

    def _step(self, step, carried, step_fn, args):
        """One checked step on every replica plus bookkeeping on
        ``carried = (ok, sums, count, limit)``; ``ok`` turns False when the
        loss or a gradient is not finite, or the loss is past the limit."""
        p = self.parts
        _, sums, count, limit = carried
        batch, gradients = p.strategy.run(step_fn, args=args)
        batch = p.strategy.reduce(SUM, batch, axis=None)
        if gradients:
            gradients = [p.strategy.reduce(SUM, g, axis=None) for g in gradients]
        loss = batch[0] / batch[2]
        if self.summaries is not None:
            self.summaries.write(step, loss, p.optimizer, gradients)
        sums = sums + tf.concat([batch[:1], batch[3:]], axis=0)
        count = count + tf.cast(batch[2], tf.int64)
        within, limit = self.loop.loss_within_limit(loss, step, limit)
        ok = batch[1] == 0
        ok = ok if within is None else tf.logical_and(ok, within)
        return ok, sums, count, limit

    def _start(self):
        """The carried state before the first step: ``(ok, sums, count, limit)``."""
        sums, count = zero_sums(self.parts.metrics)
        return tf.constant(True), sums, count, self.loop.loss_limit.read_value()

    def _finish(self, steps, carried):
        """Stores the counters once per call and marks the bad step: the last
        one run if it failed, or if it left a non-finite variable (a finite
        gradient can still overflow the weights), so every chunk the host
        accepts ends with finite weights."""
        ok, sums, count, limit = carried
        loop = self.loop
        loop.step.assign_add(steps)
        loop.batch.assign_add(steps)
        loop.loss_limit.assign(limit)
        ok = tf.logical_and(ok, variables_finite(loop.snapshot.variables))
        bad_step = tf.where(ok, tf.constant(-1, tf.int64), loop.step.read_value() - 1)
        result = totals(sums, count, steps, bad_step)
        result["recheck"] = tf.constant(False)
        return result

    def _fast_step(self, i, carried, x, y):
        """One step on one device whose checks are left to the end of the
        graph call: ``carried = (sums, count, peak, first)`` adds the highest
        loss and the call's first loss (for the limit at step 0)."""
        p = self.parts
        sums, count, peak, first = carried
        size = tf.shape(y)[0]
        loss, y_hat, _ = train_step(p.forward, p.loss_fn, p.optimizer, x, y, size)
        sums, count = add_batch(sums, count, p.metrics, loss, y, y_hat)
        if self.loop.divergence_factor is not None:
            peak = tf.maximum(peak, loss)
            first = tf.where(tf.equal(i, 0), loss, first)
        return sums, count, peak, first

    def _finish_fast(self, step0, steps, carried):
        """Checks a whole call at once: the loss sum and every variable must
        be finite (a NaN or inf loss or gradient reaches them) and the peak
        loss within the limit. A failed call asks the host to ``recheck``:
        roll back and run the same steps again with per-step checks, which
        stop at the exact bad step."""
        sums, count, peak, first = carried
        loop = self.loop
        ok = tf.logical_and(
            tf.reduce_all(tf.math.is_finite(sums)),
            variables_finite(loop.snapshot.variables),
        )
        limit = loop.loss_limit.read_value()
        if loop.divergence_factor is not None:
            start_limit = loop.divergence_factor * tf.maximum(first, 1.0)
            limit = tf.where(tf.equal(step0, 0), start_limit, limit)
            ok = tf.logical_and(ok, peak <= limit)
        loop.step.assign_add(steps)
        loop.batch.assign_add(steps)
        loop.loss_limit.assign(limit)
        result = totals(sums, count, steps)
        result["recheck"] = tf.logical_not(ok)
        return result

    def array_loop(self, x_spec, y_spec, *, checked=False, name="train_steps"):
        """Returns ``train_steps(x, y, num_samples, batch_size, num_steps) -> totals``.

        ``x`` and ``y`` are ``distribute.replica_shards`` (plain tensors on one
        device, whose ``x_spec``/``y_spec`` fix the signature; ``None`` specs
        under a strategy, whose per-replica values trace their own).

        Unchecked (the fast path, one device), the steps only sum; the checks
        run once at the end (``recheck`` in the result asks for a checked
        re-run). Checked, every step tests the loss and gradients and the
        loop stops after the first bad one (``bad_step`` in the result).
        ``name`` is the key of its trace count.
        """
        scalar = tf.TensorSpec([], tf.int64)
        signature = None if x_spec is None else [x_spec, y_spec, *[scalar] * 3]

        @tf.function(input_signature=signature, autograph=False)
        def train_steps(x, y, num_samples, batch_size, num_steps):
            self.traces.count(name)
            loop = self.loop
            loop.snapshot.save()
            step0, batch0 = loop.step.read_value(), loop.batch.read_value()
            order = loop.sampler.epoch_order(batch0, num_samples)

            def indices(i):
                return loop.sampler.take(order, batch0 + i, num_samples, batch_size)

            def checked_step(i, *carried):
                rows = indices(i)
                args = (x, y, rows, tf.shape(rows)[0])
                new = self._step(step0 + i, carried, self._array_replica_step, args)
                return (i + 1, *new)

            def fast_step(i, *carried):
                rows = indices(i)
                x_batch, y_batch = tf.gather(x, rows), tf.gather(y, rows)
                return (i + 1, *self._fast_step(i, carried, x_batch, y_batch))

            zero = tf.constant(0, tf.int64)
            if checked:
                steps, *carried = tf.while_loop(
                    lambda i, ok, *_: tf.logical_and(i < num_steps, ok),
                    checked_step,
                    (zero, *self._start()),
                )
                return self._finish(steps, carried)
            start = (*zero_sums(self.parts.metrics), tf.constant(0.0), tf.constant(0.0))
            steps, *carried = tf.while_loop(
                lambda i, *_: i < num_steps, fast_step, (zero, *start)
            )
            return self._finish_fast(step0, steps, carried)

        return train_steps

    def iterator_loop(self):
        """Returns ``train_steps(iterator, num_steps) -> totals`` (tf.data)."""

        @tf.function(autograph=False)
        def train_steps_from_iterator(iterator, num_steps):
            self.traces.count("train_steps_from_iterator")
            self.loop.snapshot.save()
            step0 = self.loop.step.read_value()

            def add_batch(index, batch, carried):
                x_batch, y_batch = batch
                args = (x_batch, y_batch, None)
                return self._step(step0 + index, carried, self._replica_step, args)

            steps, carried = iterator_loop(
                iterator, num_steps, add_batch, self._start(), lambda ok, *_: ok
            )
            return self._finish(steps, carried)

        return train_steps_from_iterator
