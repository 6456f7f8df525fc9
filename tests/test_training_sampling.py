"""In-graph mini-batch sampling: permutation, pre-shuffle and uniform."""

import numpy as np
import tensorflow as tf

from nda_models.training.loop.sampling import (
    PermutationSampler,
    PreshuffleSampler,
    UniformSampler,
)


def epoch_indices(sampler, n, batch_size):
    steps = -(-n // batch_size)
    return [sampler.indices(tf.constant(b, tf.int64), tf.constant(n, tf.int64),
                            tf.constant(batch_size, tf.int64)).numpy()
            for b in range(steps)]  # fmt: skip


def test_permutation_uses_every_index_once_per_epoch_and_reshuffles():
    sampler = PermutationSampler(tf.random.Generator.from_seed(0))
    first = epoch_indices(sampler, 10, 4)
    second = epoch_indices(sampler, 10, 4)
    assert [len(b) for b in first] == [4, 4, 2]  # last batch shorter, as in Keras
    for epoch in (first, second):
        np.testing.assert_array_equal(np.sort(np.concatenate(epoch)), np.arange(10))
    assert not np.array_equal(np.concatenate(first), np.concatenate(second))


def test_permutation_is_reproducible_from_the_seed():
    a = epoch_indices(PermutationSampler(tf.random.Generator.from_seed(3)), 20, 5)
    b = epoch_indices(PermutationSampler(tf.random.Generator.from_seed(3)), 20, 5)
    np.testing.assert_array_equal(np.concatenate(a), np.concatenate(b))


def test_uniform_draws_with_replacement_in_range():
    sampler = UniformSampler(tf.random.Generator.from_seed(0))
    draws = np.concatenate(epoch_indices(sampler, 10, 1000))
    assert draws.min() == 0 and draws.max() == 9
    counts = np.bincount(draws, minlength=10)
    assert counts.max() > 1  # repeats: drawn with replacement
    # Chi-square against the uniform law (9 dof, p = 0.001 quantile is 27.9).
    expected = len(draws) / 10
    assert np.sum((counts - expected) ** 2 / expected) < 27.9


def test_trainer_permutation_epoch_sees_each_example_once():
    """With M = 1 and a zero learning rate... use the in-graph order directly."""
    import nda_models as nda
    from nda_models.training import Trainer

    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    y = np.zeros(6, np.float32)
    trainer = Trainer(nda.build_model("linear_regressor", input_dim=2), batch_size=2,
                      seed=0)  # fmt: skip
    trainer.fit(x, y, epochs=1)
    order = trainer.loop.sampler.order.numpy()
    np.testing.assert_array_equal(np.sort(order), np.arange(6))


def test_preshuffle_shuffles_once_and_sweeps_the_same_order_every_epoch():
    sampler = PreshuffleSampler(tf.random.Generator.from_seed(0))
    epochs = [np.concatenate(epoch_indices(sampler, 10, 4)) for _ in range(3)]
    np.testing.assert_array_equal(np.sort(epochs[0]), np.arange(10))
    assert not np.array_equal(epochs[0], np.arange(10))  # shuffled, once
    np.testing.assert_array_equal(epochs[0], epochs[1])
    np.testing.assert_array_equal(epochs[0], epochs[2])
    other = np.concatenate(epoch_indices(sampler, 7, 3))  # new data length
    np.testing.assert_array_equal(np.sort(other), np.arange(7))


def test_trainer_preshuffle_keeps_its_order_across_epochs_and_fits():
    import nda_models as nda
    from nda_models.training import Trainer

    x = np.arange(40, dtype=np.float32).reshape(20, 2)
    y = np.zeros(20, np.float32)
    model = nda.build_model("linear_regressor", input_dim=2)
    trainer = Trainer(model, batch_size=3, sampling="preshuffle", seed=0)
    trainer.fit(x, y, epochs=1)
    first = trainer.loop.sampler.order.numpy().copy()
    trainer.fit(x, y, epochs=3)
    np.testing.assert_array_equal(trainer.loop.sampler.order.numpy(), first)
    np.testing.assert_array_equal(np.sort(first), np.arange(20))
