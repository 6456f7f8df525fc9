"""Training under a ``tf.distribute.Strategy``: checks, input, loss scaling.

Data parallelism as ``MirroredStrategy`` does it: every replica holds the
same weights, runs ``step.train_step`` on its part of the global mini-batch,
the gradients are summed across replicas (the Keras optimizer does the
all-reduce) and every replica applies the same update. For the sum to be
the gradient of the global mean loss, each replica scales its mean loss by
(its examples / global batch size) once — Keras losses already divide by
the number of replicas under a strategy, which is undone first, so the loss
is scaled once, not twice. Metrics and logged losses use unscaled values.
One device is the case of one replica (TensorFlow's default strategy).

Each replica's input comes from ``tf.distribute``, never from slicing a
batch by hand: a ``tf.data.Dataset`` goes through
``strategy.experimental_distribute_dataset`` (auto-sharded across workers by
file, else by record, then rebatched per replica), a stream that can build
itself for an ``InputContext`` through
``strategy.distribute_datasets_from_function``, and in-memory arrays
through ``strategy.experimental_distribute_values_from_function``: replica r
of R keeps rows r, r + R, r + 2R, ... (so a worker holds only its replicas'
rows), and takes from each mini-batch the rows it holds.
"""

import contextlib

from nda_models.core.lazy_module import lazy_module

keras = lazy_module("keras")
tf = lazy_module("tensorflow")


def check_strategy(strategy, model, optimizer):
    """Returns ``strategy`` after checking that the model lives in its scope.

    Raises:
        TypeError: if ``strategy`` is not a ``tf.distribute.Strategy``.
        ValueError: if the model or an optimizer instance was created
            outside ``strategy.scope()``.
    """
    if strategy is None:
        return None

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
    """``strategy.scope()``, or a no-op context without a strategy.

    Example:
        >>> import tensorflow as tf
        >>> with strategy_scope(None):  # one device: TensorFlow's default
        ...     tf.distribute.get_strategy().num_replicas_in_sync
        1
    """
    return contextlib.nullcontext() if strategy is None else strategy.scope()


def input_pipelines(strategy):
    """The number of workers that read input (chief and workers), as
    ``tf.distribute.InputContext.num_input_pipelines`` counts them; 1
    without a multi-worker cluster."""
    resolver = getattr(strategy, "cluster_resolver", None)
    if not getattr(resolver, "task_type", None):
        return 1
    jobs = resolver.cluster_spec().as_dict()
    return len(jobs.get("chief", [])) + len(jobs.get("worker", []))


def replica_shards(strategy, array):
    """Distributes ``array``'s rows: replica r of R gets ``array[r::R]``.

    Only the replicas of this worker are built, so a worker of a
    multi-worker strategy holds 1/workers of the rows. Without replicas to
    split over (R = 1) the result is one plain tensor of every row.
    """

    def shard(context):
        step = context.num_replicas_in_sync
        return tf.constant(array[context.replica_id_in_sync_group :: step])

    return strategy.experimental_distribute_values_from_function(shard)


def replica_rows(x, y, indices):
    """In a replica: its rows of the mini-batch ``indices`` (row numbers).

    Row i lives on replica i mod R at position i // R (see
    ``replica_shards``), so the replicas' rows together are the mini-batch.
    """
    context = tf.distribute.get_replica_context()
    replicas = context.num_replicas_in_sync
    if replicas > 1:
        replica = tf.cast(context.replica_id_in_sync_group, indices.dtype)
        indices = indices[indices % replicas == replica] // replicas
    return tf.gather(x, indices), tf.gather(y, indices)


def unscaled_mean_loss(loss_fn, y, prediction, replicas):
    """The mean loss over this replica's examples (0 for an empty slice).

    Keras losses that average over the batch already divide by the number
    of replicas under a strategy (``keras.losses.Loss`` reduction
    ``"sum_over_batch_size"``); that is undone here, so that the caller
    scales exactly once.
    """
    value = tf.cast(loss_fn(y, prediction), tf.float32)
    reduction = getattr(loss_fn, "reduction", None)
    if (
        replicas > 1
        and isinstance(loss_fn, keras.losses.Loss)
        and reduction
        in (
            "sum_over_batch_size",
            "mean",
            "mean_with_sample_weight",
        )
    ):
        value = value * replicas
    if value.shape.rank == 0:
        return value
    value = tf.reshape(value, [-1])
    count = tf.cast(tf.size(value), tf.float32)
    return tf.math.divide_no_nan(tf.reduce_sum(value), count)
