"""The training state that is not in the model or the optimizer.

Everything lives in TensorFlow objects, so that a ``tf.train.Checkpoint``
can save and restore a run exactly (model, optimizer, counters, the random
generator and the epoch's data order), and so that the fused loop reads and
updates it in-graph without a host round trip.
"""

import tensorflow as tf


class TrainingState:
    """Counters and the random generator of a ``Trainer``.

    Attributes:
        generator: ``tf.random.Generator`` for mini-batch sampling; seeded
            from ``seed`` (same seed, same order), else non-deterministic.
        step: Global step t (int64), the number of updates done so far.
        epoch: Current epoch (int64).
        batch: Index of the next mini-batch within the epoch (int64).
        loss_limit: Losses above it count as divergence: ``divergence_factor``
            × max(first loss of the run, 1), set at step 0 (+inf when the
            factor is ``None``).

    Example:
        >>> state = TrainingState(seed=0)
        >>> int(state.step)
        0
    """

    def __init__(self, seed=None, divergence_factor=None):
        if seed is None:
            self.generator = tf.random.Generator.from_non_deterministic_state()
        else:
            self.generator = tf.random.Generator.from_seed(seed)
        self.step = tf.Variable(0, dtype=tf.int64, trainable=False, name="step")
        self.epoch = tf.Variable(0, dtype=tf.int64, trainable=False, name="epoch")
        self.batch = tf.Variable(0, dtype=tf.int64, trainable=False, name="batch")
        self.divergence_factor = divergence_factor
        self.loss_limit = tf.Variable(
            float("inf"), dtype=tf.float32, trainable=False, name="loss_limit"
        )

    def within_loss_limit(self, loss):
        """In-graph: False once the loss exceeds the divergence limit.

        At global step 0 the limit becomes ``divergence_factor`` × max(loss, 1):
        a loss that grows that much has diverged even while it is still finite
        (Adam with a huge step, for example, explodes without reaching inf).
        """
        if self.divergence_factor is None:
            return tf.constant(True)
        first = tf.equal(self.step, 0)
        limit = self.divergence_factor * tf.maximum(loss, 1.0)
        self.loss_limit.assign(tf.where(first, limit, self.loss_limit))
        return loss <= self.loss_limit

    def begin_epoch(self, epoch):
        """Sets the epoch counter and restarts the mini-batch index."""
        self.epoch.assign(epoch)
        self.batch.assign(0)

    def checkpoint_items(self):
        """Returns the objects a ``tf.train.Checkpoint`` should track."""
        return {
            "generator": self.generator,
            "step": self.step,
            "epoch": self.epoch,
            "batch": self.batch,
            "loss_limit": self.loss_limit,
        }
