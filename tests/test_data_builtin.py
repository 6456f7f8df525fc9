"""Built-in data sets, splits, normalisation and the Dataset class.

Oracles: scikit-learn's own loaders, np.linalg.lstsq, NumPy statistics.
"""

import numpy as np
import pytest
import sklearn.datasets

from nda_models.data import Dataset, describe_dataset, list_datasets, load_dataset

# name -> (rows, input_dim, task, num_classes), as documented.
SHAPES = {
    "linear_synthetic": (1000, 2, "regression", None),
    "iris_setosa": (150, 2, "binary", 2),
    "iris": (150, 4, "multiclass", 3),
    "digits": (1797, 64, "multiclass", 10),
    "breast_cancer": (569, 30, "binary", 2),
    "diabetes": (442, 10, "regression", None),
    "wine": (178, 13, "multiclass", 3),
}
SKLEARN = {
    "iris": sklearn.datasets.load_iris,
    "digits": sklearn.datasets.load_digits,
    "breast_cancer": sklearn.datasets.load_breast_cancer,
    "diabetes": sklearn.datasets.load_diabetes,
    "wine": sklearn.datasets.load_wine,
}


def all_rows(ds):
    x = np.concatenate([ds.x_train, ds.x_val, ds.x_test])
    y = np.concatenate([ds.y_train, ds.y_val, ds.y_test])
    return x, y


def sorted_rows(x, y):
    table = np.column_stack([x.astype(np.float64), y.astype(np.float64)])
    return table[np.lexsort(table.T[::-1])]


def test_list_datasets_is_the_documented_set():
    assert list_datasets() == sorted(SHAPES)
    assert list_datasets("iris*") == ["iris", "iris_setosa"]
    assert "y = 5 + 2*x1 - 3*x2" in describe_dataset("linear_synthetic")


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_builtin_contract(name):
    rows, input_dim, task, num_classes = SHAPES[name]
    ds = load_dataset(name)
    assert (ds.task, ds.input_dim, ds.num_classes) == (task, input_dim, num_classes)
    assert len(ds.feature_names) == input_dim
    # Default split is 60 / 20 / 20 of the rows.
    n_test = int(np.ceil(0.2 * rows))
    assert len(ds.y_test) == n_test
    assert len(ds.y_train) + len(ds.y_val) + n_test == rows
    assert abs(len(ds.y_val) - 0.2 * rows) <= 1
    for split in ("train", "val", "test"):
        x, y = ds.split(split)
        assert x.dtype == np.float32 and x.ndim == 2 and x.shape[1] == input_dim
        assert y.shape == (len(x),)
        assert np.isfinite(x).all()
        if task == "regression":
            assert y.dtype == np.float32 and ds.class_names is None
        else:
            assert y.dtype == np.int32 and set(np.unique(y)) <= set(range(num_classes))
            assert len(ds.class_names) == num_classes


@pytest.mark.parametrize("name", sorted(SKLEARN))
def test_builtin_rows_are_sklearn_rows(name):
    bunch = SKLEARN[name]()
    ds = load_dataset(name, seed=3)
    x, y = all_rows(ds)
    expected = sorted_rows(bunch.data.astype(np.float32), bunch.target)
    np.testing.assert_array_equal(sorted_rows(x, y), expected)
    assert ds.feature_names == tuple(bunch.feature_names)
    if ds.class_names is not None:
        assert ds.class_names == tuple(str(name) for name in bunch.target_names)


def test_iris_setosa_is_the_perceptron_slide():
    bunch = sklearn.datasets.load_iris()
    ds = load_dataset("iris_setosa")
    assert ds.feature_names == ("petal length (cm)", "petal width (cm)")
    assert ds.class_names == ("not setosa", "setosa")
    x, y = all_rows(ds)
    expected = sorted_rows(bunch.data[:, 2:4].astype(np.float32), bunch.target == 0)
    np.testing.assert_array_equal(sorted_rows(x, y), expected)
    # Slide rows: setosa petals are short (1.4 cm), the others long (4.0-4.9 cm).
    assert x[y == 1, 0].max() < x[y == 0, 0].min()


def test_linear_synthetic_recovers_lecture_parameters_by_least_squares():
    ds = load_dataset("linear_synthetic", n=5000, noise=0.5, seed=7)
    design = np.column_stack([np.ones(len(ds.x_train)), ds.x_train])
    coef, *_ = np.linalg.lstsq(design, ds.y_train, rcond=None)
    np.testing.assert_allclose(coef, [5.0, 2.0, -3.0], atol=0.05)
    assert ds.info["true_bias"] == 5.0
    assert ds.info["true_weights"] == (2.0, -3.0)
    assert (ds.info["noise"], ds.info["n"]) == (0.5, 5000)
    residual = ds.y_train - design @ np.array([5.0, 2.0, -3.0])
    assert abs(residual.std() - 0.5) < 0.05


def test_linear_synthetic_without_noise_is_the_exact_plane():
    ds = load_dataset("linear_synthetic", n=50, noise=0.0)
    x, y = all_rows(ds)
    np.testing.assert_allclose(y, 5 + 2 * x[:, 0] - 3 * x[:, 1], atol=1e-5)
    # x ~ N(0, 1): documented distribution.
    big = load_dataset("linear_synthetic", n=20000).x_train
    np.testing.assert_allclose(big.mean(axis=0), 0.0, atol=0.05)
    np.testing.assert_allclose(big.std(axis=0), 1.0, atol=0.05)


@pytest.mark.parametrize(
    "options, error, match",
    [
        ({"n": 2}, ValueError, r"`n` must be an integer >= 5 so that every split"),
        ({"n": 10.5}, TypeError, r"`n` must be an integer >= 5\. Received: n=10.5"),
        ({"noise": -1.0}, ValueError, r"`noise` must be a finite number >= 0 \(the"),
        ({"noise": "big"}, TypeError, "`noise` must be a number >= 0"),
    ],
)
def test_linear_synthetic_rejects_bad_options(options, error, match):
    with pytest.raises(error, match=match):
        load_dataset("linear_synthetic", **options)


def test_same_seed_same_arrays_other_seed_other_split():
    first, again = load_dataset("wine", seed=5), load_dataset("wine", seed=5)
    other = load_dataset("wine", seed=6)
    np.testing.assert_array_equal(first.x_train, again.x_train)
    np.testing.assert_array_equal(first.y_test, again.y_test)
    assert not np.array_equal(first.x_train, other.x_train)
    synthetic = (
        load_dataset("linear_synthetic", seed=1),
        load_dataset("linear_synthetic", seed=2),
    )
    assert not np.array_equal(synthetic[0].y_train, synthetic[1].y_train)


def test_classification_splits_are_stratified_by_default():
    ds = load_dataset("iris")
    for y in (ds.y_train, ds.y_val, ds.y_test):
        counts = np.bincount(y, minlength=3)
        assert counts.max() - counts.min() <= 1
    unstratified = load_dataset("iris", stratify=False, seed=0)
    assert unstratified.info["stratify"] is False


def test_split_fractions_are_options():
    ds = load_dataset("linear_synthetic", n=100, test_size=0.1, val_size=0.3)
    assert (len(ds.y_train), len(ds.y_val), len(ds.y_test)) == (60, 30, 10)
    none = load_dataset("linear_synthetic", n=100, test_size=0.0, val_size=0.0)
    assert none.x_val.shape == (0, 2) and none.x_test.shape == (0, 2)
    assert len(none.y_train) == 100


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"test_size": 1.5}, ValueError, r"`test_size` must be in \[0, 1\) \(a"),
        ({"val_size": -0.1}, ValueError, r"`val_size` must be in \[0, 1\)"),
        ({"test_size": 0.5, "val_size": 0.5}, ValueError, "rows remain for training"),
        ({"test_size": "0.2"}, TypeError, r"`test_size` must be a number in \[0, 1\)"),
        ({"seed": 1.5}, TypeError, r"`seed` must be None or an integer in \[0, 42"),
    ],
)
def test_load_dataset_rejects_bad_split_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        load_dataset("iris", **kwargs)


def test_stratify_true_on_regression_is_refused():
    with pytest.raises(ValueError, match="stratify=True needs class labels"):
        load_dataset("diabetes", stratify=True)


def test_unknown_dataset_lists_names_and_closest():
    with pytest.raises(
        ValueError, match=r"Unknown dataset 'irs'\. Did you mean 'iris'"
    ):
        load_dataset("irs")
    with pytest.raises(ValueError, match=r"Built-in datasets: \['breast_cancer'"):
        load_dataset("nothing_like_it")


def test_unknown_option_names_option_and_accepted_ones():
    with pytest.raises(
        ValueError, match=r"Unknown option 'nois'.*Did you mean 'noise'"
    ):
        load_dataset("linear_synthetic", nois=0.1)
    with pytest.raises(
        ValueError, match=r"'iris'\. It takes no options.*Received: n=3"
    ):
        load_dataset("iris", n=3)


def test_normalization_uses_train_split_only():
    ds = load_dataset("breast_cancer")
    mean, variance = ds.normalization
    assert mean.dtype == variance.dtype == np.float32
    x = ds.x_train.astype(np.float64)
    np.testing.assert_allclose(mean, x.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(
        variance, ((x - x.mean(axis=0)) ** 2).mean(axis=0), rtol=1e-5
    )
    whole = np.concatenate([ds.x_train, ds.x_val, ds.x_test]).mean(axis=0)
    assert not np.allclose(mean, whole, rtol=1e-6)


def test_split_accessor_and_repr():
    ds = load_dataset("iris")
    x, y = ds.split("val")
    assert x is ds.x_val and y is ds.y_val
    with pytest.raises(ValueError, match=r"Unknown split.*Received: split='valid'"):
        ds.split("valid")
    text = repr(ds)
    assert "task='multiclass'" in text and "train=(90, 4)" in text and "setosa" in text


def test_dataset_checks_its_arrays():
    x, y = np.zeros((4, 2)), np.zeros(4)
    args = ("t", "regression", x, y, x, y, x, y, ("a", "b"))
    assert Dataset(*args).x_train.dtype == np.float32
    with pytest.raises(ValueError, match=r"Unknown task.*Received: task="):
        Dataset("t", "ranking", x, y, x, y, x, y, ("a", "b"))
    with pytest.raises(ValueError, match=r"x_train must have shape \(n, 3\)"):
        Dataset("t", "regression", x, y, x, y, x, y, ("a", "b", "c"))
    with pytest.raises(ValueError, match="must hold class indices 0..1"):
        Dataset("t", "binary", x, y + 2, x, y, x, y, ("a", "b"), ("no", "yes"))
    with pytest.raises(ValueError, match="needs at least two class names"):
        Dataset("t", "binary", x, y, x, y, x, y, ("a", "b"), ("only",))
