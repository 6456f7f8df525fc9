"""The loop state: what a ``Trainer`` carries from step to step and fit to fit.

One object holds it all, so every collaborator (the fused graph loops, the
epoch runner, checkpoints, callbacks) is handed the same explicit state
instead of reaching into the trainer:

- the counters: global step t, epoch, mini-batch index within the epoch;
- the sampling generator and the sampler that reads it (with the epoch's
  permutation);
- the divergence limit on the loss;
- the snapshot of the variables taken at the start of each graph call (the
  roll-back point after a divergence);
- the host-side running means of the epoch in progress.

The counters, generator and order are TensorFlow objects, so a
``tf.train.Checkpoint`` saves and restores a run exactly, and the fused
loop reads them in-graph without a host round trip.
"""

import tensorflow as tf

from nda_models.training.loop.divergence import DIVERGENCE_FACTOR, Snapshot
from nda_models.training.loop.metrics import RunningMeans
from nda_models.training.loop.sampling import make_sampler


class LoopState:
    """Counters, sampler, snapshot and epoch totals of one ``Trainer``.

    Args:
        sampling: ``"permutation"`` or ``"uniform"`` (see ``sampling.py``).
        seed: Seed of the sampling generator; ``None`` is non-deterministic.
        divergence_factor: See ``Trainer``; ``None`` stops on NaN/inf only.
            A ``ValueError`` unless ``None`` or a number > 1.
        metrics: Metric names of the running means.

    Attributes:
        generator: ``tf.random.Generator`` for mini-batch sampling.
        sampler: Draws the mini-batch indices in-graph from ``generator``.
        step: Global step t (int64), the number of updates done so far.
        epoch: Current epoch (int64).
        batch: Index of the next mini-batch within the epoch (int64).
        loss_limit: Losses above it count as divergence: ``divergence_factor``
            × max(first loss of the run, 1), set at step 0 (+inf when the
            factor is ``None``).
        snapshot: ``Snapshot`` of the protected variables (see ``protect``).
        means: ``RunningMeans`` of the epoch in progress (host side).

    Example:
        >>> loop = LoopState("permutation", seed=0)
        >>> int(loop.step), type(loop.sampler).__name__
        (0, 'PermutationSampler')
    """

    def __init__(self, sampling, seed=None, divergence_factor=None, metrics=()):
        self.seed = seed
        if seed is None:
            self.generator = tf.random.Generator.from_non_deterministic_state()
        else:
            self.generator = tf.random.Generator.from_seed(seed)
        self.sampler = make_sampler(sampling, self.generator)
        self.step = tf.Variable(0, dtype=tf.int64, trainable=False, name="step")
        self.epoch = tf.Variable(0, dtype=tf.int64, trainable=False, name="epoch")
        self.batch = tf.Variable(0, dtype=tf.int64, trainable=False, name="batch")
        self.divergence_factor = DIVERGENCE_FACTOR.check(
            "divergence_factor", divergence_factor
        )
        self.loss_limit = tf.Variable(
            float("inf"), dtype=tf.float32, trainable=False, name="loss_limit"
        )
        self.metrics = tuple(metrics)
        self.snapshot = None
        self.means = RunningMeans(self.metrics)

    def protect(self, variables):
        """Snapshots ``variables``, the counters, the generator and the epoch
        order at every graph call: restoring them replays the call exactly."""
        protected = [*variables, self.step, self.batch, self.generator.state]
        order = getattr(self.sampler, "order", None)
        self.snapshot = Snapshot(protected + ([] if order is None else [order]))

    def loss_within_limit(self, loss, step, limit):
        """In-graph: ``(ok, limit)``, ok False once the loss exceeds the limit
        (``ok`` is ``None`` without a ``divergence_factor``: nothing to check).

        At global step 0 the limit becomes ``divergence_factor`` × max(loss, 1):
        a loss that grows that much has diverged even while it is still finite
        (Adam with a huge step, for example, explodes without reaching inf).
        ``limit`` is carried by the fused loop and stored once per graph call.
        """
        if self.divergence_factor is None:
            return None, limit
        first = self.divergence_factor * tf.maximum(loss, 1.0)
        limit = tf.where(tf.equal(step, 0), first, limit)
        return loss <= limit, limit

    def begin_epoch(self, epoch):
        """Sets the epoch counter, restarts the mini-batch index and the means."""
        self.epoch.assign(epoch)
        self.batch.assign(0)
        self.means = RunningMeans(self.metrics)

    def reset(self):
        """Starts a new run: counters at 0, generator back to its seed."""
        if self.seed is None:
            self.generator.reset(
                tf.random.Generator.from_non_deterministic_state().state
            )
        else:
            self.generator.reset_from_seed(self.seed)
        for counter in (self.step, self.epoch, self.batch):
            counter.assign(0)
        self.loss_limit.assign(float("inf"))
        self.sampler.reset()
        self.means = RunningMeans(self.metrics)

    def checkpoint_items(self):
        """Returns the objects a ``tf.train.Checkpoint`` should track."""
        items = {
            "generator": self.generator,
            "step": self.step,
            "epoch": self.epoch,
            "batch": self.batch,
            "loss_limit": self.loss_limit,
        }
        order = getattr(self.sampler, "order", None)
        if order is not None:
            items["order"] = order
        return items
