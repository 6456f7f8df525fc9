"""Bad input is refused as scikit-learn refuses it, before any training."""

import numpy as np
import pytest
import scipy.sparse
from sklearn.exceptions import NotFittedError

from nda_models.sklearn import NDAClassifier, NDARegressor

X = np.arange(40, dtype=float).reshape(20, 2)
Y = np.array([0, 1] * 10)


@pytest.fixture(scope="module")
def fitted():
    return NDAClassifier("logistic_neuron", epochs=1, random_state=0).fit(X, Y)


@pytest.mark.parametrize(
    "value, message", [(np.nan, "Input X contains NaN"), (np.inf, "Input X contains")]
)
def test_nan_and_inf_features_are_refused(value, message):
    bad = X.copy()
    bad[3, 1] = value
    with pytest.raises(ValueError, match=message):
        NDAClassifier(epochs=1).fit(bad, Y)
    with pytest.raises(ValueError, match=message):
        NDARegressor(epochs=1).fit(bad, Y.astype(float))


def test_nan_target_is_refused():
    y = Y.astype(float)
    y[0] = np.nan
    with pytest.raises(ValueError, match="Input y contains NaN"):
        NDARegressor(epochs=1).fit(X, y)


@pytest.mark.parametrize("fit", ["fit", "partial_fit"])
def test_a_target_beyond_float32_is_refused_as_too_large(fit):
    """A finite float64 y above float32's range became inf in the model's
    type, and the run reported "`y` contains NaN or inf" of data without
    any."""
    y = Y.astype(float) * 1e38 + 1e39
    with pytest.raises(ValueError, match=r"Input y contains a value too large for "
                       r"dtype\('float32'\).*max \|y\| = 1.1e\+39"):  # fmt: skip
        getattr(NDARegressor(epochs=1), fit)(X, y)


def test_wrong_feature_count_at_predict(fitted):
    with pytest.raises(ValueError, match="X has 3 features, but NDAClassifier is "):
        fitted.predict(np.ones((2, 3)))
    with pytest.raises(ValueError, match="X has 1 features"):
        fitted.partial_fit(np.ones((2, 1)), [0, 1])


def test_single_class_is_refused():
    with pytest.raises(ValueError, match="at least 2 classes.*only one class"):
        NDAClassifier(epochs=1).fit(X, np.zeros(20))


def test_sparse_input_is_refused_with_a_clear_error():
    with pytest.raises(TypeError, match="Sparse data was passed.*toarray"):
        NDAClassifier(epochs=1).fit(scipy.sparse.csr_matrix(X), Y)


def test_continuous_labels_for_a_classifier():
    with pytest.raises(ValueError, match="Unknown label type"):
        NDAClassifier(epochs=1).fit(X, np.linspace(0, 1, 20))


def test_binary_model_refuses_three_classes():
    with pytest.raises(ValueError, match="Only binary classification.*softmax_class"):
        NDAClassifier("perceptron", epochs=1).fit(X, np.arange(20) % 3)


def test_model_of_the_wrong_task():
    with pytest.raises(ValueError, match="needs a binary or multiclass model.*"
                       "Received: model='linear_regressor'"):  # fmt: skip
        NDAClassifier("linear_regressor", epochs=1).fit(X, Y)
    with pytest.raises(ValueError, match="needs a regression model"):
        NDARegressor("mlp_classifier", epochs=1).fit(X, Y)


def test_unknown_model_name_suggests_the_closest():
    est = NDAClassifier("mlp_clasifier", epochs=1)
    assert hasattr(est, "predict_proba")  # introspection does not raise; fit does
    with pytest.raises(ValueError, match="Did you mean 'mlp_classifier'"):
        est.fit(X, Y)


def test_unknown_model_hyperparameter():
    with pytest.raises(ValueError, match="Invalid parameter 'hiden_units'.*Did you"):
        NDAClassifier("mlp_classifier").set_params(hiden_units=(3,))
    with pytest.raises(ValueError, match="Invalid parameter 'hidden_units' for model "):
        NDAClassifier("softmax_classifier", hidden_units=(3,), epochs=1).fit(X, Y)


@pytest.mark.parametrize(
    "name, message",
    [("num_classes", "number of classes in y"), ("normalization", "StandardScaler"),
     ("input_dim", "number of columns of X")],
)  # fmt: skip
def test_inferred_builder_arguments_cannot_be_set(name, message):
    with pytest.raises(ValueError, match=f"`{name}` cannot be set.*{message}"):
        NDAClassifier("mlp_classifier", epochs=1, **{name: 3}).fit(X, Y)


@pytest.mark.parametrize(
    "params, error, message",
    [
        ({"epochs": 0}, ValueError, "`epochs` must be an integer >= 1"),
        ({"epochs": 2.5}, TypeError, "`epochs` must be an integer"),
        ({"early_stopping": True, "validation_fraction": 0.0}, ValueError,
         r"`validation_fraction` must be in \(0, 1\)"),
        ({"early_stopping": True, "n_iter_no_change": 0}, ValueError,
         "`n_iter_no_change` must be an integer >= 1"),
        ({"batch_size": 0}, ValueError, "`batch_size` must be an integer >= 1"),
        ({"early_stopping": "yes"}, ValueError,
         r"Unknown early_stopping. Expected one of \[True, False, 'auto'\]"),
        ({"early_stopping": 1}, TypeError, "`early_stopping` must be one of"),
        ({"sampling": "shuffle"}, ValueError, "Unknown sampling"),
    ],
)  # fmt: skip
def test_bad_training_options(params, error, message):
    with pytest.raises(error, match=message):
        NDAClassifier("logistic_neuron", **params).fit(X, Y)


def test_auto_early_stopping_checks_the_validation_fraction():
    # mlp_regressor's early_stopping="auto" is on: its split is checked.
    y = X[:, 0] * 0.5
    with pytest.raises(
        ValueError, match=r"`validation_fraction` must be in \(0, 1\) when early"
    ):
        NDARegressor("mlp_regressor", validation_fraction=1.0, epochs=1).fit(X, y)


def test_partial_fit_needs_the_classes_first():
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        NDAClassifier(epochs=1).partial_fit(X, Y)


def test_partial_fit_refuses_unknown_labels(fitted):
    with pytest.raises(ValueError, match=r"labels \[2\] that are not in classes"):
        fitted.partial_fit(X[:3], [0, 1, 2])


def test_warm_start_needs_the_same_classes():
    est = NDAClassifier("softmax_classifier", epochs=1, warm_start=True).fit(X, Y)
    with pytest.raises(ValueError, match="warm_start can only be used where `y`"):
        est.fit(X, np.arange(20) % 3)


def test_predict_before_fit():
    with pytest.raises(NotFittedError, match="not fitted yet"):
        NDAClassifier().predict(X)


def test_a_feature_too_large_to_standardise_names_the_way_out():
    big = X.copy()
    big[:, 1] *= 1e30  # its variance overflows float32
    with pytest.raises(ValueError, match="Cannot normalise feature 1.*standardize=F"):
        NDAClassifier("logistic_neuron", epochs=1).fit(big, Y)


@pytest.mark.parametrize(
    ("n", "fraction", "held_out"), [(40, 0.99, 40), (1, 0.1, 1), (5, 0.9, 5)]
)
def test_a_validation_share_that_leaves_no_training_row_names_the_option(
    n, fraction, held_out
):
    """Was scikit-learn's split: 'With n_samples=40, test_size=0.99 and
    train_size=None, the resulting train set will be empty', a parameter the
    estimator does not have."""
    x = np.arange(3.0 * n).reshape(n, 3)
    est = NDARegressor(
        "mlp_regressor", epochs=1, early_stopping=True, validation_fraction=fraction
    )
    with pytest.raises(
        ValueError,
        match=rf"^Early stopping holds out validation_fraction={fraction} of the "
        rf"{n} rows \({held_out}\), which leaves none to train on\. .*"
        rf"early_stopping=False\. Received: validation_fraction={fraction}, "
        rf"n_samples={n}$",
    ):
        est.fit(x, x[:, 0])
