"""Training under a ``tf.distribute.Strategy``: checks and the replica step.

Data parallelism as ``MirroredStrategy`` does it: every replica holds the
same weights, computes the gradient on its slice of the global mini-batch,
the gradients are summed across replicas (the Keras optimizer does the
all-reduce) and every replica applies the same update. For the sum to be
the gradient of the global mean loss, each replica scales its mean loss by
(its examples / global batch size) once — Keras losses already divide by
the number of replicas under a strategy, which is undone first, so the loss
is scaled once, not twice. Metrics and logged losses use unscaled values.
"""

import contextlib


def check_strategy(strategy, model, optimizer):
    """Returns ``strategy`` after checking that the model lives in its scope.

    Raises:
        TypeError: if ``strategy`` is not a ``tf.distribute.Strategy``.
        ValueError: if the model or an optimizer instance was created
            outside ``strategy.scope()``.
    """
    if strategy is None:
        return None
    import keras
    import tensorflow as tf

    if not isinstance(strategy, tf.distribute.Strategy):
        raise TypeError(
            "`strategy` must be None or a tf.distribute.Strategy, e.g. "
            "tf.distribute.MirroredStrategy(). Received: strategy of type "
            f"{type(strategy).__name__}"
        )
    outside = [v.path for v in model.variables if not _created_in(strategy, v)]
    if outside:
        raise ValueError(
            "The model must be built under `strategy.scope()` (as Keras requires): "
            "`with strategy.scope(): model = nda.build_model(...)`. "
            f"Received: variable {outside[0]!r} created outside the scope"
        )
    if isinstance(optimizer, keras.optimizers.Optimizer) and not all(
        _created_in(strategy, v) for v in optimizer.variables
    ):
        raise ValueError(
            "A Keras optimizer passed with a strategy must be created under "
            "`strategy.scope()`, or pass its name (e.g. optimizer='adam'). "
            f"Received: optimizer {type(optimizer).__name__} created outside"
        )
    return strategy


def _created_in(strategy, variable):
    value = getattr(variable, "value", variable)
    return strategy.extended.variable_created_in_scope(value)


def strategy_scope(strategy):
    """``strategy.scope()``, or a no-op context without a strategy."""
    return contextlib.nullcontext() if strategy is None else strategy.scope()


def distributed_step(parts, x, y, with_gradients=False):
    """One training step on the global mini-batch ``(x, y)`` under a strategy.

    Runs ``replica_step`` on every replica and sums what they return, in the
    cross-replica context (inside the fused loop's ``tf.function``).

    Returns:
        ``(loss_sum, metric_sums, finite, gradients)``: the unscaled batch
        loss × batch size, metric sums, whether every replica's loss and
        gradients were finite, and the summed (global) gradients if
        ``with_gradients`` (for TensorBoard), else ``None``.
    """
    import tensorflow as tf

    strategy = parts.strategy
    outputs = strategy.run(replica_step, args=(parts, x, y, with_gradients))
    total = tf.distribute.ReduceOp.SUM
    loss_sum = strategy.reduce(total, outputs[0], axis=None)
    metric_sums = strategy.reduce(total, outputs[1], axis=None)
    bad = strategy.reduce(total, outputs[2], axis=None)
    gradients = None
    if with_gradients:
        gradients = [strategy.reduce(total, g, axis=None) for g in outputs[3]]
    return loss_sum, metric_sums, bad == 0, gradients


def replica_step(parts, x, y, with_gradients):
    """The lecture's step on this replica's slice of the global mini-batch.

    The replica's loss is its mean loss × (its examples / M), plus the weight
    penalty / replicas, so the optimizer's all-reduce (a sum) yields
    ∇ of the global mean loss, exactly as on one device.
    """
    import tensorflow as tf

    from nda_models.training.divergence import all_finite
    from nda_models.training.metrics import metric_sums

    context = tf.distribute.get_replica_context()
    replicas = context.num_replicas_in_sync
    replica = tf.cast(context.replica_id_in_sync_group, tf.int32)
    size = tf.shape(x)[0]
    start, stop = size * replica // replicas, size * (replica + 1) // replicas
    x, y = x[start:stop], y[start:stop]
    share = tf.cast(stop - start, tf.float32) / tf.cast(size, tf.float32)
    variables = parts.forward.trainable_variables
    with tf.GradientTape() as tape:
        loss_input, y_hat = parts.forward(x, training=True)  # 1. forward pass
        mean = unscaled_mean_loss(parts.loss_fn, y, loss_input, replicas)  # 2. loss
        penalty = parts.forward.regularization()
        scaled = mean * share + penalty / replicas  # scaled once, here
    gradients = tape.gradient(scaled, variables)  # 3. backpropagation
    parts.optimizer.apply(gradients, variables)  # 4. all-reduce (sum) + update
    loss_sum = (mean + penalty) * tf.cast(stop - start, tf.float32)
    bad = 1 - tf.cast(all_finite(scaled, gradients), tf.int32)
    outputs = (loss_sum, metric_sums(parts.metrics, y, y_hat), bad)
    return outputs + ((tuple(gradients),) if with_gradients else ())


def unscaled_mean_loss(loss_fn, y, prediction, replicas):
    """The mean loss over this replica's examples (0 for an empty slice).

    Keras losses that average over the batch already divide by the number
    of replicas under a strategy (``keras.losses.Loss`` reduction
    ``"sum_over_batch_size"``); that is undone here, so that the caller
    scales exactly once.
    """
    import keras
    import tensorflow as tf

    value = loss_fn(y, prediction)
    reduction = getattr(loss_fn, "reduction", None)
    if isinstance(loss_fn, keras.losses.Loss) and reduction in (
        "sum_over_batch_size",
        "mean",
        "mean_with_sample_weight",
    ):
        value = value * replicas
    value = tf.reshape(tf.cast(value, tf.float32), [-1])
    count = tf.cast(tf.size(value), tf.float32)
    return tf.math.divide_no_nan(tf.reduce_sum(value), count)
