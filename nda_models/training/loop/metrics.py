"""Epoch metrics as running sums, the way ``model.fit`` reports them.

Keras reports, for an epoch, the mean over all samples seen so far of the
batch loss and of each metric, computed while the weights change. The fused
loop therefore carries sums (loss × batch size, metric sums, sample count)
and the host divides once per graph call.

Metric names are Keras's: ``"accuracy"`` (thresholds a one-column output at
0.5, else takes the argmax) and ``"mean_absolute_error"``; both read the
model's inference output, not the layer the loss reads. ``METRICS`` is the one
table of them: name -> the batch sum it adds.
"""

import tensorflow as tf

from nda_models.core.name_table import NameTable


def check_metrics(metrics):
    """Returns ``metrics`` as a tuple of known metric names, else raises."""
    if isinstance(metrics, str):
        metrics = (metrics,)
    if not isinstance(metrics, (list, tuple)):
        raise TypeError(
            f"`metrics` must be a list of names from {list(METRICS)}. "
            f"Received: metrics={metrics!r}"
        )
    return tuple(METRICS.check("metrics", name) for name in metrics)


def zero_sums(metrics):
    """The loop-carried sums of a graph call before its first batch:
    ``(sums, count)``, sums = [loss × size, metric sums...] (float32)."""
    return tf.zeros([1 + len(metrics)]), tf.constant(0, tf.int64)


def add_batch(sums, count, metrics, loss, y, y_hat):
    """Adds one batch's loss × size and metric sums; returns ``(sums, count)``.

    One vector for all the sums keeps the fused loop's carried state small
    (every loop variable costs a few ops per step).
    """
    size = tf.shape(y, out_type=tf.int64)[0]
    batch = [loss * tf.cast(size, tf.float32)]
    batch += [METRICS.lookup("metrics", name)(y, y_hat) for name in metrics]
    return sums + tf.stack(batch), count + size


def totals(sums, count, steps, bad_step=None):
    """The dict a graph call returns to the host (see ``RunningMeans.add``)."""
    return {
        "loss_sum": sums[0],
        "metric_sums": sums[1:],
        "count": count,
        "steps": steps,
        "bad_step": tf.constant(-1, tf.int64) if bad_step is None else bad_step,
    }


def metric_sums(metrics, y, y_hat):
    """Returns a float32 vector: for each metric, its sum over the batch."""
    sums = [METRICS.lookup("metrics", name)(y, y_hat) for name in metrics]
    if not sums:
        return tf.zeros([0], tf.float32)
    return tf.stack(sums)


def _correct(y, y_hat):
    labels = tf.cast(tf.reshape(y, [-1]), tf.int32)
    if y_hat.shape[-1] == 1:
        predicted = tf.cast(y_hat[:, 0] > 0.5, tf.int32)
    else:
        predicted = tf.argmax(y_hat, axis=-1, output_type=tf.int32)
    return tf.reduce_sum(tf.cast(tf.equal(labels, predicted), tf.float32))


def _absolute_error(y, y_hat):
    y = tf.cast(tf.reshape(y, [-1]), tf.float32)
    return tf.reduce_sum(tf.abs(y - tf.reshape(y_hat, [-1])))


#: Metric name -> ``sum(y, y_hat)``, its sum over a batch (float32).
METRICS = NameTable(
    {"accuracy": _correct, "mean_absolute_error": _absolute_error}, noun="metric"
)


class RunningMeans:
    """Host-side totals of one epoch (or one evaluation), summed per graph call.

    Example:
        >>> means = RunningMeans(("accuracy",))
        >>> means.add({"loss_sum": 2.0, "metric_sums": [3.0], "count": 4})
        >>> means.logs()
        {'loss': 0.5, 'accuracy': 0.75}
    """

    def __init__(self, metrics):
        self.metrics = tuple(metrics)
        self.loss_sum, self.count = 0.0, 0
        self.metric_sums = [0.0] * len(self.metrics)

    def add(self, result):
        """Adds the sums returned by one graph call."""
        self.loss_sum += float(result["loss_sum"])
        self.count += int(result["count"])
        for index, value in enumerate(result["metric_sums"]):
            self.metric_sums[index] += float(value)

    def logs(self):
        """Returns ``{"loss": mean, metric: mean, ...}``."""
        count = max(self.count, 1)
        logs = {"loss": self.loss_sum / count}
        for name, total in zip(self.metrics, self.metric_sums, strict=True):
            logs[name] = total / count
        return logs
