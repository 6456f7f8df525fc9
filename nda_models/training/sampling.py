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


class PermutationSampler:
    """Reshuffle each epoch, then take the epoch's indices block by block.

    Args:
        generator: The ``tf.random.Generator`` that drives the shuffles.

    Example:
        >>> sampler = PermutationSampler(tf.random.Generator.from_seed(0))
        >>> sampler.indices(batch=0, n=5, batch_size=2)  # first block
    """

    def __init__(self, generator):
        self.generator = generator
        # The epoch's order: a variable so that a chunk of steps can continue
        # where the previous graph call stopped (and a checkpoint can save it).
        self.order = tf.Variable(
            tf.zeros([0], tf.int64), shape=tf.TensorShape([None]), trainable=False
        )

    def indices(self, batch, n, batch_size):
        """Indices of mini-batch ``batch`` (0-based within the epoch)."""
        if batch == 0:
            self._shuffle(n)
        start = batch * batch_size
        return self.order[start : tf.minimum(start + batch_size, n)]

    def _shuffle(self, n):
        seed = self.generator.make_seeds(1)[:, 0]
        self.order.assign(
            tf.random.experimental.stateless_shuffle(tf.range(n), seed=seed)
        )


class PreshuffleSampler(PermutationSampler):
    """Shuffle once, then sweep the same order block by block every epoch.

    The order is drawn at the first step (and again only if a later ``fit``
    brings data of another length n); it is a variable, so a checkpoint
    keeps it and a resumed run sweeps the same order.

    Example:
        >>> sampler = PreshuffleSampler(tf.random.Generator.from_seed(0))
    """

    def indices(self, batch, n, batch_size):
        """Indices of mini-batch ``batch`` of the one shuffled order."""
        if tf.size(self.order, out_type=tf.int64) != tf.cast(n, tf.int64):
            self._shuffle(n)
        start = batch * batch_size
        return self.order[start : tf.minimum(start + batch_size, n)]


class UniformSampler:
    """Draw M indices uniformly from {0, ..., n-1}, with replacement.

    Example:
        >>> sampler = UniformSampler(tf.random.Generator.from_seed(0))
    """

    def __init__(self, generator):
        self.generator = generator

    def indices(self, batch, n, batch_size):
        """Indices of one mini-batch; ``batch`` is unused (no epoch order)."""
        del batch
        return self.generator.uniform([batch_size], minval=0, maxval=n, dtype=tf.int64)


def make_sampler(sampling, generator):
    """Returns the sampler for ``sampling``, one of ``options.SAMPLINGS``."""
    samplers = {
        "permutation": PermutationSampler,
        "preshuffle": PreshuffleSampler,
        "uniform": UniformSampler,
    }
    return samplers[sampling](generator)
