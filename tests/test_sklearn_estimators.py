"""NDAClassifier / NDARegressor where scikit-learn users put them.

Pipeline, GridSearchCV, cross_val_score, clone, pickle, save/load, label
types, DataFrames, model hyper-parameters, partial_fit and warm_start, each
checked against an independent answer (np.linalg.lstsq, scikit-learn's own
estimators, the Keras model's raw output, a single longer run).
"""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

import nda_models as nda
from nda_models.sklearn import NDAClassifier, NDARegressor

IRIS_X, IRIS_Y = load_iris(return_X_y=True)
IRIS_NAMES = np.array(["setosa", "versicolor", "virginica"])[IRIS_Y]


def _weights(model):
    return [np.asarray(w) for w in model.get_weights()]


def _linear_data(n=200, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    y = 5 + 2 * x[:, 0] - 3 * x[:, 1] + 0.1 * rng.normal(size=n)
    return x, y


def _affine_coefficients(reg, dim):
    """(w_1..w_d, b) of a fitted affine regressor, read from its predictions
    (the model standardises inside, so its kernel is not w)."""
    probes = np.vstack([np.zeros(dim), np.eye(dim)])
    values = reg.predict(probes).astype(np.float64)
    return [*(values[1:] - values[0]), values[0]]


def test_linear_regressor_matches_least_squares():
    x, y = _linear_data()
    reg = NDARegressor(
        optimizer="sgd", learning_rate=0.05, batch_size=16, epochs=40, tol=None,
        random_state=0,
    ).fit(x, y)  # fmt: skip
    design = np.column_stack([x, np.ones(len(x))])
    oracle, *_ = np.linalg.lstsq(design, y, rcond=None)
    np.testing.assert_allclose(_affine_coefficients(reg, 2), oracle, atol=0.02)
    assert reg.n_features_in_ == 2
    assert reg.n_iter_ == 40 and len(reg.loss_curve_) == 40


def test_pipeline_accuracy_matches_scikit_learns_logistic_regression():
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("net", NDAClassifier("softmax_classifier", epochs=60, random_state=0,
                                  learning_rate=0.05, batch_size=16)),
        ]
    )  # fmt: skip
    ours = pipe.fit(IRIS_X, IRIS_NAMES).score(IRIS_X, IRIS_NAMES)
    oracle = make_pipeline(StandardScaler(), LogisticRegression()).fit(IRIS_X, IRIS_Y)
    assert ours >= oracle.score(IRIS_X, IRIS_Y) - 0.04
    assert list(pipe[-1].classes_) == ["setosa", "versicolor", "virginica"]
    probabilities = pipe.predict_proba(IRIS_X)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-6)
    np.testing.assert_array_equal(
        pipe[-1].classes_[probabilities.argmax(axis=1)], pipe.predict(IRIS_X)
    )


def test_grid_search_over_the_lectures_eta_and_m():
    grid = {"net__learning_rate": [0.001, 0.1], "net__batch_size": [8, 64]}
    pipe = Pipeline(
        [("scale", StandardScaler()),
         ("net", NDAClassifier("softmax_classifier", epochs=10, random_state=0,
                               optimizer="sgd"))]
    )  # fmt: skip
    search = GridSearchCV(pipe, grid, cv=2, n_jobs=1).fit(IRIS_X, IRIS_Y)
    scores = search.cv_results_["mean_test_score"]
    assert len(scores) == 4 and np.all(np.isfinite(scores))
    # η = 0.001 for 10 epochs barely moves plain SGD: the grid must prefer 0.1.
    assert search.best_params_["net__learning_rate"] == 0.1
    assert search.best_estimator_[-1].n_iter_ == 10


def test_clone_keeps_every_parameter_and_the_epochs_are_honoured():
    est = NDAClassifier("mlp_classifier", epochs=7, hidden_units=(8,), dropout=0.1)
    copy = clone(est)
    assert copy.get_params() == est.get_params()
    assert copy.get_params()["hidden_units"] == (8,)
    copy.fit(IRIS_X, IRIS_Y)
    assert copy.n_iter_ == 7  # Keras 3.15's wrapper trains 1 epoch after clone
    assert copy.model_.get_layer("hidden_1").units == 8
    assert not hasattr(est, "model_")


def test_model_hyperparameters_in_set_params_and_grid_search():
    est = NDAClassifier("mlp_classifier", epochs=3, random_state=0)
    assert est.set_params(hidden_units=(4, 3), activation="tanh") is est
    est.fit(IRIS_X, IRIS_Y)
    assert est.model_.get_layer("hidden_2").units == 3
    assert est.model_.get_layer("hidden_1").activation.__name__ == "tanh"
    search = GridSearchCV(
        NDAClassifier("mlp_classifier", epochs=3, random_state=0),
        {"hidden_units": [(2,), (5,)]},
        cv=2,
    ).fit(IRIS_X, IRIS_Y)
    assert search.best_estimator_.model_.get_layer("hidden_1").units in (2, 5)
    assert len(search.cv_results_["param_hidden_units"]) == 2


def test_cross_val_score_regressor_in_a_pipeline():
    x, y = _linear_data(seed=1)
    pipe = make_pipeline(
        StandardScaler(), NDARegressor(learning_rate=0.1, random_state=0)
    )
    scores = cross_val_score(pipe, x, y, cv=3)
    assert scores.shape == (3,) and scores.min() > 0.99  # R² of a linear truth


def test_pickle_gives_identical_predictions_and_continues_training():
    est = NDAClassifier("mlp_classifier", hidden_units=(8,), epochs=5, random_state=0)
    est.fit(IRIS_X, IRIS_NAMES)
    copy = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(copy.predict_proba(IRIS_X), est.predict_proba(IRIS_X))
    np.testing.assert_array_equal(copy.predict(IRIS_X), est.predict(IRIS_X))
    assert copy.n_iter_ == 5
    # The optimizer state (Adam's moments) travels too: one more epoch on the
    # copy equals one more epoch on the original.
    est.partial_fit(IRIS_X, IRIS_NAMES)
    copy.partial_fit(IRIS_X, IRIS_NAMES)
    for a, b in zip(_weights(est.model_), _weights(copy.model_), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_save_model_and_load_model_of_a_fitted_estimator(tmp_path):
    frame = pd.DataFrame(IRIS_X, columns=["sl", "sw", "pl", "pw"])
    est = NDAClassifier(
        "softmax_classifier", epochs=20, random_state=0, learning_rate=0.05
    )
    est.fit(frame, IRIS_NAMES)
    assert list(est.feature_names_in_) == ["sl", "sw", "pl", "pw"]
    bundle = nda.load_model(nda.save_model(est, tmp_path / "iris"))
    assert bundle.feature_names == ("sl", "sw", "pl", "pw")
    assert bundle.metadata["sklearn_estimator"] == "NDAClassifier"
    np.testing.assert_array_equal(bundle.predict(frame), est.predict(frame))
    # ONNX Runtime and Keras round the logits differently by 1 float32 ulp,
    # about 1e-6 relative on probabilities near 1e-7: hence the atol.
    np.testing.assert_allclose(
        bundle.predict_proba(frame), est.predict_proba(frame), rtol=1e-6, atol=1e-9
    )


@pytest.mark.parametrize(
    "labels",
    [np.where(IRIS_Y == 0, "yes", "no"), IRIS_Y == 0, np.where(IRIS_Y == 0, 7, -3)],
    ids=["str", "bool", "int"],
)
def test_binary_labels_of_any_type(labels):
    est = NDAClassifier("logistic_neuron", epochs=10, learning_rate=0.1, random_state=0)
    est.fit(IRIS_X, labels)
    np.testing.assert_array_equal(est.classes_, np.unique(labels))
    assert est.predict(IRIS_X).dtype == np.unique(labels).dtype
    assert est.score(IRIS_X, labels) > 0.95
    # predict_proba's columns are [1 - p, p], p = the model's output for classes_[1]
    p = np.asarray(est.model_(IRIS_X.astype(np.float32)))[:, 0]
    np.testing.assert_allclose(est.predict_proba(IRIS_X)[:, 1], p, rtol=1e-6)


def test_perceptron_has_decisions_not_probabilities():
    est = NDAClassifier(
        "perceptron", optimizer="sgd", batch_size=1, epochs=5, random_state=0
    )
    assert not hasattr(est, "predict_proba")
    est.fit(IRIS_X[:, 2:], IRIS_NAMES == "setosa")
    assert not hasattr(est, "predict_proba")
    assert est.score(IRIS_X[:, 2:], IRIS_NAMES == "setosa") == 1.0  # separable


@pytest.mark.parametrize("model", ["perceptron", "logistic_neuron"])
def test_binary_models_score_rows_as_scikit_learns_perceptron(model):
    """Neither predict_proba nor decision_function: roc_auc scoring,
    CalibratedClassifierCV and soft voting refused the perceptron, which
    scikit-learn's Perceptron serves. decision_function is s = Θᵀx + b."""
    x, y = IRIS_X[:, :2], IRIS_NAMES == "setosa"
    est = NDAClassifier(model, epochs=5, random_state=0).fit(x, y)
    mean, variance = (np.asarray(v, np.float64) for v in est._normalization)
    kernel, bias = (np.asarray(v, np.float64) for v in est.model_.get_layer(
        "logits").get_weights())  # fmt: skip
    oracle = ((x - mean) / np.sqrt(variance)) @ kernel[:, 0] + bias[0]
    scores = est.decision_function(x)
    assert scores.shape == (len(x),)
    np.testing.assert_allclose(scores, oracle, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(est.predict(x), est.classes_[(scores > 0) * 1])
    folds = StratifiedKFold(2, shuffle=True, random_state=0)
    auc = cross_val_score(est, x, y, cv=folds, scoring="roc_auc", error_score="raise")
    assert np.all(auc > 0.9)
    calibrated = CalibratedClassifierCV(est, cv=2).fit(x, y)
    assert calibrated.predict_proba(x).shape == (len(x), 2)


def test_multiclass_models_have_no_decision_function():
    assert not hasattr(NDAClassifier("softmax_classifier"), "decision_function")


def test_partial_fit_epochs_equal_one_fit_of_as_many_epochs():
    x, y = _linear_data(n=64)
    options = dict(
        model="linear_regressor", batch_size=8, random_state=3, optimizer="adam"
    )
    stepwise = NDARegressor(**options)
    for _ in range(3):
        stepwise.partial_fit(x, y)
    whole = NDARegressor(epochs=3, **options).fit(x, y)
    assert stepwise.n_iter_ == 3
    for a, b in zip(_weights(stepwise.model_), _weights(whole.model_), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_warm_start_continues_and_a_cold_fit_restarts():
    x, y = _linear_data(n=64)
    warm = NDARegressor(epochs=2, batch_size=8, random_state=1, warm_start=True)
    warm.fit(x, y).fit(x, y)
    whole = NDARegressor(epochs=4, batch_size=8, random_state=1).fit(x, y)
    assert warm.n_iter_ == 4
    for a, b in zip(_weights(warm.model_), _weights(whole.model_), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    cold = NDARegressor(epochs=2, batch_size=8, random_state=1)
    first = _weights(cold.fit(x, y).model_)
    second = _weights(cold.fit(x, y).model_)
    assert cold.n_iter_ == 2
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


def test_early_stopping_stops_and_keeps_the_best_weights():
    x, y = _linear_data(n=200)
    est = NDARegressor(
        optimizer="sgd", learning_rate=0.05, batch_size=16, epochs=300,
        early_stopping=True, n_iter_no_change=5, random_state=0,
    ).fit(x, y)  # fmt: skip
    assert est.n_iter_ < 300
    best = min(est.history_["val_loss"])
    assert best < 0.05  # noise variance 0.01: converged before stopping
    x_train, x_val, y_train, y_val = _held_out(x, y, est)
    val_mse = np.mean((est.predict(x_val) - y_val) ** 2)
    assert val_mse == pytest.approx(best, rel=1e-3)


def test_early_stopping_auto_is_on_for_the_mlp_regressor_only():
    # "auto" holds out a validation split for mlp_regressor from 10 rows on.
    x, y = _linear_data(n=40)
    options = dict(hidden_units=(4,), epochs=3, random_state=0)
    mlp = NDARegressor("mlp_regressor", **options)
    assert mlp.get_params()["early_stopping"] == "auto"
    assert "val_loss" in mlp.fit(x, y).history_
    assert "val_loss" not in NDARegressor(epochs=3, random_state=0).fit(x, y).history_
    few = NDARegressor("mlp_regressor", **options).fit(x[:9], y[:9])
    assert "val_loss" not in few.history_ and few.n_iter_ == 3
    off = NDARegressor("mlp_regressor", early_stopping=False, **options).fit(x, y)
    assert "val_loss" not in off.history_
    assert NDAClassifier().get_params()["early_stopping"] is False


def _held_out(x, y, est):
    """The estimator's validation split: seeded by the third seed it draws."""
    from sklearn.model_selection import train_test_split

    from nda_models.sklearn.random_state import training_seeds

    seed = training_seeds(est.random_state).split
    return train_test_split(x, y, test_size=est.validation_fraction, random_state=seed)


def test_importing_the_estimators_does_not_import_tensorflow():
    import subprocess
    import sys

    code = (
        "import sys, nda_models as nda; nda.sklearn.NDAClassifier(); "
        "print('tensorflow' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False"]
    assert nda.sklearn.NDARegressor is NDARegressor


def test_predict_proba_follows_the_declared_output_kind(isolated_registry):
    # A binary model trained on cross-entropy whose output is a hard decision:
    # the loss says nothing about the output, the declared output kind does.
    import keras

    from nda_models.zoo.inputs import feature_input
    from nda_models.zoo.layers import Step

    @isolated_registry.register_model(
        task="binary", loss="binary_crossentropy", output_kind="binary_decision",
        metrics=("accuracy",), loss_input="logits",
    )  # fmt: skip
    def decision_neuron(*, input_dim, normalization=None):
        """A logistic unit whose output is thresholded: decisions only."""
        inputs, x = feature_input(input_dim, normalization)
        logits = keras.layers.Dense(1, name="logits")(x)
        outputs = Step(name="decision")(logits)
        return keras.Model(inputs, outputs, name="decision_neuron")

    est = NDAClassifier("decision_neuron", optimizer="sgd", batch_size=1, epochs=5,
                        learning_rate=0.1, random_state=0)  # fmt: skip
    assert not hasattr(est, "predict_proba")
    labels = IRIS_NAMES == "setosa"
    assert est.fit(IRIS_X, labels).score(IRIS_X, labels) > 0.95
    assert not hasattr(est, "predict_proba")


@pytest.mark.parametrize(
    "est, y",
    [(NDARegressor(epochs=2, random_state=0), IRIS_X[:, 0]),
     (NDAClassifier("mlp_classifier", epochs=2, random_state=0), IRIS_Y)],
    ids=["linear_regressor", "mlp_classifier"],
)  # fmt: skip
def test_a_rows_prediction_never_depends_on_the_other_rows(est, y):
    # A float32 matrix product of another height may round a row by 1 ulp
    # (a single row runs another kernel); predict runs fixed-size blocks.
    est.fit(IRIS_X, y)
    predict = est.predict_proba if hasattr(est, "predict_proba") else est.predict
    full = predict(IRIS_X)
    order = np.random.default_rng(0).permutation(len(IRIS_X))
    np.testing.assert_array_equal(predict(IRIS_X[order]), full[order])
    rows = np.concatenate([predict(IRIS_X[i : i + 1]) for i in range(0, 150, 7)])
    np.testing.assert_array_equal(rows, full[::7])
    np.testing.assert_array_equal(predict(IRIS_X[40:77]), full[40:77])
    tall = np.concatenate([IRIS_X] * 8)  # 1,200 rows: two blocks
    np.testing.assert_array_equal(predict(tall), np.concatenate([full] * 8))


def test_a_keras_optimizer_object_serves_every_fit():
    import keras

    est = NDAClassifier("softmax_classifier", optimizer=keras.optimizers.SGD(0.1),
                        epochs=3, random_state=0)  # fmt: skip
    first = est.fit(IRIS_X, IRIS_Y).predict_proba(IRIS_X)
    np.testing.assert_array_equal(est.fit(IRIS_X, IRIS_Y).predict_proba(IRIS_X), first)
    assert est.optimizer.iterations.numpy() == 0  # the user's object is untouched
