"""``stream_csv``: CSV files streamed through tf.data with bounded memory."""

import numpy as np
import pandas as pd
import pytest

from nda_models.data import load_dataset, stream_csv


def collect(stream):
    xs, ys = zip(*[(x.numpy(), y.numpy()) for x, y in stream], strict=True)
    return np.concatenate(xs), np.concatenate(ys)


def write_frame(tmp_path, ds, labels=None, name="data.csv"):
    frame = pd.DataFrame(ds.x_train, columns=list(ds.feature_names))
    frame["target"] = ds.y_train if labels is None else labels
    frame.to_csv(tmp_path / name, index=False)
    return tmp_path / name


def test_stream_without_shuffle_reads_back_the_arrays(tmp_path):
    ds = load_dataset("linear_synthetic", n=300)
    path = write_frame(tmp_path, ds)
    stream = stream_csv(path, batch_size=64, shuffle=False)
    assert [len(y) for _, y in stream] == [64, 64, 52]
    x, y = collect(stream)
    assert x.dtype == np.float32 and y.dtype == np.float32
    np.testing.assert_allclose(x, ds.x_train, rtol=1e-6)
    np.testing.assert_allclose(y, ds.y_train, rtol=1e-6)


def test_shuffled_stream_is_a_permutation_and_epochs_repeat(tmp_path):
    ds = load_dataset("diabetes")
    path = write_frame(tmp_path, ds)
    x, y = collect(stream_csv(path, batch_size=50, shuffle_buffer=100, seed=3))
    assert not np.allclose(y, ds.y_train)
    np.testing.assert_allclose(np.sort(y), np.sort(ds.y_train), rtol=1e-6)
    twice = collect(stream_csv(path, batch_size=50, num_epochs=2, shuffle=False))[1]
    np.testing.assert_allclose(twice, np.tile(ds.y_train, 2), rtol=1e-6)


def test_integer_and_text_class_labels(tmp_path):
    ds = load_dataset("iris")
    ints = write_frame(tmp_path, ds, name="ints.csv")
    y = collect(stream_csv(ints, shuffle=False))[1]
    assert y.dtype == np.int32
    np.testing.assert_array_equal(y, ds.y_train)
    text = write_frame(tmp_path, ds, np.array(ds.class_names)[ds.y_train], "text.csv")
    y = collect(stream_csv(text, class_names=list(ds.class_names), shuffle=False))[1]
    np.testing.assert_array_equal(y, ds.y_train)
    with pytest.raises(ValueError, match=r"holds text labels; to stream them pass "):
        stream_csv(text)


def test_header_and_early_rows_get_the_csv_errors(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b,y\n1,2,0\n3,oops,1\n")
    with pytest.raises(ValueError, match=r"column 'b', row 2 \(line 3\): the cell"):
        stream_csv(path)
    with pytest.raises(ValueError, match=r"has no column 'label'"):
        stream_csv(path, target="label")
    with pytest.raises(ValueError, match=r"missing\.csv' does not exist"):
        stream_csv(tmp_path / "missing.csv")
    with pytest.raises(ValueError, match=r"`batch_size` must be an integer >= 1"):
        stream_csv(path, batch_size=0)


def test_label_outside_class_names_stops_the_stream(tmp_path):
    import tensorflow as tf

    path = tmp_path / "labels.csv"
    path.write_text("a,y\n1,no\n2,yes\n3,maybe\n")
    stream = stream_csv(path, class_names=["no", "yes"], check_rows=2, shuffle=False)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="is not one of class_names.*\\[4\\]"
    ):
        collect(stream)  # the file line, 4, follows the message


# A streamed CSV's length is unknown until read: Keras learns it at the end of
# the first epoch and says so with this UserWarning (expected here).
@pytest.mark.filterwarnings("ignore:Your input ran out of data:UserWarning")
def test_keras_fits_a_streamed_csv(tmp_path):
    import keras

    ds = load_dataset("linear_synthetic", n=500, noise=0.0)
    path = write_frame(tmp_path, ds)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    # shuffle=False: the stream shuffles itself (Keras ignores it, with a warning).
    stream = stream_csv(path, batch_size=32, seed=0)
    model.fit(stream, epochs=20, shuffle=False, verbose=0)
    weights, bias = model.layers[-1].get_weights()
    np.testing.assert_allclose(weights[:, 0], [2.0, -3.0], atol=1e-2)
    np.testing.assert_allclose(bias, [5.0], atol=1e-2)


def test_blank_lines_and_windows_line_ends(tmp_path):
    path = tmp_path / "crlf.csv"
    path.write_bytes(b"a,b,y\r\n1,2,0.5\r\n\r\n3,4,1.5\r\n")
    x, y = collect(stream_csv(path, shuffle=False))
    np.testing.assert_array_equal(x, [[1, 2], [3, 4]])
    np.testing.assert_array_equal(y, [0.5, 1.5])
    loaded = load_dataset(f"csv:{path}", test_size=0.0, val_size=0.0)
    np.testing.assert_array_equal(loaded.x_train, x)
