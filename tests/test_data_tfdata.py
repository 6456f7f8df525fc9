"""Dataset.as_tf_dataset: shuffled, batched, prefetched tf.data pipelines."""

import numpy as np
import pytest

from nda_models.data import load_dataset


def collect(stream):
    xs, ys = zip(*[(x.numpy(), y.numpy()) for x, y in stream], strict=True)
    return np.concatenate(xs), np.concatenate(ys)


def sorted_rows(x, y):
    table = np.column_stack([x, y])
    return table[np.lexsort(table.T[::-1])]


def test_train_stream_is_a_shuffled_permutation_in_batches():
    ds = load_dataset("iris")
    stream = ds.as_tf_dataset("train", batch_size=32, seed=1)
    assert type(stream).__name__ == "_PrefetchDataset"
    sizes = [len(y) for _, y in stream]
    assert sizes == [32, 32, 26]
    x, y = collect(stream)
    assert y.dtype == np.int32 and x.dtype == np.float32
    np.testing.assert_array_equal(
        sorted_rows(x, y), sorted_rows(ds.x_train, ds.y_train)
    )
    assert not np.array_equal(x, ds.x_train)
    # A new permutation each epoch (sampling without replacement, lecture 12).
    assert not np.array_equal(collect(stream)[0], x)


def test_seeded_shuffle_repeats_and_eval_splits_keep_order():
    ds = load_dataset("linear_synthetic", n=200)
    first = collect(ds.as_tf_dataset("train", 16, seed=4))[0]
    second = collect(ds.as_tf_dataset("train", 16, seed=4))[0]
    np.testing.assert_array_equal(first, second)
    x_val, y_val = collect(ds.as_tf_dataset("val", 16))
    np.testing.assert_array_equal(x_val, ds.x_val)
    np.testing.assert_array_equal(y_val, ds.y_val)


def test_repeat_streams_forever():
    ds = load_dataset("iris_setosa")
    stream = ds.as_tf_dataset("test", 10, repeat=True)
    assert len(list(stream.take(7))) == 7


@pytest.mark.parametrize(
    "batch_size, error, match",
    [
        (0, ValueError, r"`batch_size` must be an integer >= 1"),
        (2.0, TypeError, r"`batch_size` must be an integer >= 1"),
    ],
)
def test_bad_batch_size(batch_size, error, match):
    with pytest.raises(error, match=match):
        load_dataset("iris").as_tf_dataset("train", batch_size)


def test_keras_fits_the_stream():
    import keras

    ds = load_dataset("linear_synthetic", n=400, noise=0.0)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    # shuffle=False: the dataset shuffles itself (Keras ignores it, with a warning).
    model.fit(
        ds.as_tf_dataset("train", 32, seed=0), epochs=30, shuffle=False, verbose=0
    )
    weights, bias = model.layers[-1].get_weights()
    np.testing.assert_allclose(weights[:, 0], [2.0, -3.0], atol=1e-2)
    np.testing.assert_allclose(bias, [5.0], atol=1e-2)
