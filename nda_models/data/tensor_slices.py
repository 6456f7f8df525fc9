"""In-memory arrays as a shuffled, batched, prefetched ``tf.data`` pipeline."""

from nda_models.core.constraints import POSITIVE_INT
from nda_models.core.lazy_module import lazy_module

tf = lazy_module("tensorflow")


def batched_dataset(x, y, batch_size, *, shuffle, seed=None, repeat=False):
    """Builds ``tf.data`` of ``(x, y)`` mini-batches from NumPy arrays.

    The order of operations is the usual one: shuffle the rows (a fresh
    permutation each epoch, the lecture's "sampling without replacement"),
    repeat if asked, cut into batches, and prefetch so the next batch is
    prepared while the model trains on the current one.

    Args:
        x: Array of shape ``(n, d)``.
        y: Array of shape ``(n,)``.
        batch_size: Rows per batch.
        shuffle: Whether to reshuffle at every pass.
        seed: Shuffle seed.
        repeat: Repeat forever.

    Returns:
        A ``tf.data.Dataset``.

    Example:
        >>> import numpy as np
        >>> stream = batched_dataset(np.zeros((4, 2)), np.zeros(4), 2, shuffle=True)
    """
    batch_size = POSITIVE_INT.check("batch_size", batch_size)

    dataset = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle and len(x) > 1:
        dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    if repeat:
        dataset = dataset.repeat()
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)
