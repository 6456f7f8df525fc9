"""In-graph choice of the mini-batch indices i(t) (slide "Sampling methods").

- Permutation based: shuffle the data once per epoch, then take consecutive
  blocks of M indices, i.e. draw without replacement; every point is used
  once per epoch (the last block may be shorter, as in Keras).
- Pre-shuffle: the slide's "(pre-shuffle dataset)": shuffle the data once,
  before the first epoch, then sweep that same order in blocks of M every
  epoch (without replacement, but the same sequence of batches each epoch).
- Random uniform: draw each of the M indices uniformly with replacement; an
  epoch is then ceil(n / M) such draws.

All read a ``tf.random.Generator``, so a seed fixes the order and the
generator state can be checkpointed with the model.
"""

import tensorflow as tf

from nda_models.training.loop.sampling_methods import SAMPLINGS


class PermutationSampler:
    """Reshuffle each epoch, then take the epoch's indices block by block.

    Args:
        generator: The ``tf.random.Generator`` that drives the shuffles.

    Example:
        >>> sampler = PermutationSampler(tf.random.Generator.from_seed(0))
        >>> first = sampler.indices(batch=0, n=5, batch_size=2)  # first block
        >>> first.shape.as_list()
        [2]
    """

    def __init__(self, generator):
        self.generator = generator
        # The epoch's order: a variable so that a chunk of steps can continue
        # where the previous graph call stopped (and a checkpoint can save it).
        self.order = tf.Variable(
            tf.zeros([0], tf.int64), shape=tf.TensorShape([None]), trainable=False
        )

    def epoch_order(self, batch, n):
        """The epoch's order, reshuffled first if ``batch`` is the epoch's first.

        Called once per graph call, before its steps (a graph call never
        crosses an epoch's end), so the steps themselves only slice.
        """
        return tf.cond(
            tf.equal(batch, 0), lambda: self._shuffle(n), self.order.read_value
        )

    def _shuffle(self, n):
        seed = self.generator.make_seeds(1)[:, 0]
        order = tf.random.experimental.stateless_shuffle(
            tf.range(tf.cast(n, tf.int64)), seed=seed
        )
        return self.order.assign(order, read_value=True)

    def take(self, order, batch, n, batch_size):
        """Indices of mini-batch ``batch`` (0-based within the epoch)."""
        start = batch * batch_size
        return order[start : tf.minimum(start + batch_size, n)]

    def indices(self, batch, n, batch_size):
        """``epoch_order`` then ``take``: one mini-batch on its own."""
        return self.take(self.epoch_order(batch, n), batch, n, batch_size)

    def reset(self):
        """Forgets the epoch order (a new run reshuffles at its first batch)."""
        self.order.assign(tf.zeros([0], tf.int64))


class PreshuffleSampler(PermutationSampler):
    """Shuffle once, then sweep the same order block by block every epoch.

    The order is drawn at the first step (and again only if a later ``fit``
    brings data of another length n); it is a variable, so a checkpoint
    keeps it and a resumed run sweeps the same order.

    Example:
        >>> sampler = PreshuffleSampler(tf.random.Generator.from_seed(0))
    """

    def epoch_order(self, batch, n):
        """The one shuffled order (drawn now if there is none for this n)."""
        del batch
        stale = tf.not_equal(
            tf.size(self.order, out_type=tf.int64), tf.cast(n, tf.int64)
        )
        return tf.cond(stale, lambda: self._shuffle(n), self.order.read_value)


class UniformSampler:
    """Draw M indices uniformly from {0, ..., n-1}, with replacement.

    Example:
        >>> sampler = UniformSampler(tf.random.Generator.from_seed(0))
    """

    def __init__(self, generator):
        self.generator = generator

    def epoch_order(self, batch, n):
        """No epoch order: every draw is independent (returns ``None``)."""
        del batch, n

    def take(self, order, batch, n, batch_size):
        """Indices of one mini-batch; ``order`` and ``batch`` are unused."""
        del order, batch
        return self.generator.uniform([batch_size], minval=0, maxval=n, dtype=tf.int64)

    def indices(self, batch, n, batch_size):
        """Indices of one mini-batch; ``batch`` is unused (no epoch order)."""
        return self.take(None, batch, n, batch_size)

    def reset(self):
        """Nothing to forget: uniform draws keep no epoch order."""


def make_sampler(sampling, generator):
    """Returns the sampler for ``sampling``, one of ``sampling_methods.SAMPLINGS``."""
    return SAMPLINGS.lookup("sampling", sampling).sampler(generator)
