"""``tfds:NAME`` through tensorflow-datasets, tested with tfds.testing.mock_data."""

import numpy as np
import pytest

from nda_models.data import load_dataset

tfds = pytest.importorskip("tensorflow_datasets")


def test_mock_mnist_keeps_tfds_splits_and_flattens_images(tmp_path):
    with tfds.testing.mock_data(num_examples=40):
        ds = load_dataset("tfds:mnist", data_dir=tmp_path, stratify=False, seed=1)
    assert (ds.task, ds.num_classes, ds.input_dim) == ("multiclass", 10, 784)
    assert ds.class_names == tuple(str(digit) for digit in range(10))
    # tfds's own test split is the test split; validation is cut from train.
    assert len(ds.y_test) == 40
    assert (len(ds.y_train), len(ds.y_val)) == (32, 8)
    assert ds.x_train.dtype == np.float32 and ds.y_train.dtype == np.int32
    assert ds.feature_names[:2] == ("image_0", "image_1")
    assert 0 <= ds.x_train.min() and ds.x_train.max() <= 255
    assert ds.info["tfds_splits"] == ["test", "train"]


def test_mock_tfds_matches_tfds_own_arrays(tmp_path):
    with tfds.testing.mock_data(num_examples=25):
        ds = load_dataset("tfds:mnist", data_dir=tmp_path, stratify=False)
        images, labels = (
            tfds.as_numpy(
                tfds.load(
                    "mnist",
                    split="test",
                    data_dir=tmp_path,
                    as_supervised=True,
                    download=False,
                ).batch(100)
            )
            .__iter__()
            .__next__()
        )
    np.testing.assert_array_equal(ds.x_test, images.reshape(25, -1).astype(np.float32))
    np.testing.assert_array_equal(ds.y_test, labels)


def test_not_prepared_offline_says_how_to_download(tmp_path):
    with pytest.raises(
        FileNotFoundError,
        match=r"tfds:mnist is not prepared in '.*'\. nda_models never downloads at "
        r"run time\. Prepare it beforehand .*tfds build mnist --data_dir",
    ):
        load_dataset("tfds:mnist", data_dir=tmp_path)


def test_unknown_tfds_name_suggests_closest(tmp_path):
    with pytest.raises(ValueError, match=r"no data set named 'mnistt'\. Did you mean"):
        load_dataset("tfds:mnistt", data_dir=tmp_path)


def test_unknown_tfds_option():
    with pytest.raises(ValueError, match=r"Unknown option 'datadir'.*'data_dir'"):
        load_dataset("tfds:mnist", datadir="/tmp")
