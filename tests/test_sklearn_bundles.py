"""Estimators to and from bundles: ``est.save`` and ``load_estimator``.

The bundle is an ordinary one (ONNX Runtime and ``nda predict`` serve it,
with the estimator's class and feature names); ``load_estimator`` gives an
estimator that predicts exactly as the saved one, also from a bundle that
``nda train`` wrote, and refuses bundles it cannot turn into an estimator.
"""

import json
import pathlib
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV

import nda_models as nda
from nda_models.sklearn import NDAClassifier, NDARegressor, load_estimator

X, Y = load_iris(return_X_y=True)
COLUMNS = ["sl", "sw", "pl", "pw"]
FRAME = pd.DataFrame(X, columns=COLUMNS)
NAMES = np.array(["setosa", "versicolor", "virginica"])[Y]
NDA = pathlib.Path(sys.executable).with_name("nda")


@pytest.fixture(scope="module")
def classifier():
    est = NDAClassifier("mlp_classifier", hidden_units=(8,), epochs=5,
                        random_state=0)  # fmt: skip
    return est.fit(FRAME, NAMES)


@pytest.fixture(scope="module")
def regressor():
    y = 1000 * X[:, 0] - 20 * X[:, 1]  # a target the regressor rescales
    return NDARegressor(epochs=5, random_state=0).fit(X[:, 1:], y)


def test_save_then_load_predicts_exactly_as_the_saved_estimator(classifier, tmp_path):
    loaded = load_estimator(classifier.save(tmp_path / "iris"))
    np.testing.assert_array_equal(
        loaded.predict_proba(FRAME), classifier.predict_proba(FRAME)
    )
    np.testing.assert_array_equal(loaded.predict(FRAME), classifier.predict(FRAME))
    np.testing.assert_array_equal(loaded.classes_, classifier.classes_)
    assert list(loaded.feature_names_in_) == COLUMNS
    assert loaded.get_params() == classifier.get_params()
    assert loaded.n_iter_ == 5 and loaded.history_ == classifier.history_


def test_load_then_save_gives_the_same_bundle_predictions(classifier, tmp_path):
    first = classifier.save(tmp_path / "first")
    second = load_estimator(first).save(tmp_path / "second")
    a, b = nda.load_model(first), nda.load_model(second)  # ONNX Runtime
    np.testing.assert_array_equal(a.predict_proba(FRAME), b.predict_proba(FRAME))
    np.testing.assert_array_equal(a.predict(FRAME), b.predict(FRAME))


def test_regressor_round_trip_keeps_the_target_scale(regressor, tmp_path):
    loaded = load_estimator(regressor.save(tmp_path / "reg"))
    np.testing.assert_array_equal(loaded.predict(X[:, 1:]), regressor.predict(X[:, 1:]))
    assert loaded._target_scale == regressor._target_scale
    # the bundle itself outputs y's units, as the estimator does
    bundle = nda.load_model(tmp_path / "reg")
    np.testing.assert_allclose(bundle.predict(X[:, 1:]), regressor.predict(X[:, 1:]),
                               rtol=1e-5)  # fmt: skip


def test_numpy_scalar_parameters_survive_the_bundle(tmp_path):
    """A grid of np.arange(...) gives NumPy ints: est.save dropped every
    NumPy-scalar parameter, so the loaded estimator had batch_size="auto",
    epochs="auto" and no hidden_units (and a warm_start fit refused it as a
    changed model)."""
    grid = {"epochs": np.arange(2, 4), "batch_size": np.arange(16, 33, 16),
            "learning_rate": np.array([0.02], np.float32),
            "hidden_units": [(np.int64(4),)]}  # fmt: skip
    search = GridSearchCV(NDAClassifier(random_state=0), grid, cv=2).fit(X, Y)
    best = search.best_estimator_
    loaded = load_estimator(best.save(tmp_path / "best"))
    for name in grid:
        assert np.all(loaded.get_params()[name] == best.get_params()[name]), name
    np.testing.assert_array_equal(loaded.predict_proba(X), best.predict_proba(X))
    loaded.set_params(warm_start=True, epochs=1).fit(X, Y)
    assert loaded.n_iter_ == best.n_iter_ + 1


@pytest.mark.parametrize(
    "labels", [np.where(Y == 0, 7, -3), Y == 0], ids=["int", "bool"]
)
def test_labels_keep_their_type(labels, tmp_path):
    est = NDAClassifier("logistic_neuron", epochs=3, random_state=0).fit(X, labels)
    loaded = load_estimator(est.save(tmp_path / "binary"))
    assert loaded.classes_.dtype == est.classes_.dtype
    np.testing.assert_array_equal(loaded.predict(X), est.predict(X))
    assert nda.load_model(tmp_path / "binary").metadata["class_names"] == [
        str(label) for label in est.classes_
    ]


def test_the_bundle_is_served_by_onnx_runtime_and_nda_predict(classifier, tmp_path):
    path = classifier.save(tmp_path / "served")
    bundle = nda.load_model(path, runtime="onnx")
    assert bundle.feature_names == tuple(COLUMNS)
    np.testing.assert_array_equal(bundle.predict(FRAME), classifier.predict(FRAME))
    FRAME.iloc[:5].to_csv(tmp_path / "rows.csv", index=False)
    out = subprocess.run(
        [NDA, "predict", str(path), "--input", str(tmp_path / "rows.csv")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    import io

    served = pd.read_csv(io.StringIO(out.stdout))
    assert list(served["prediction"]) == list(classifier.predict(FRAME.iloc[:5]))


def test_load_estimator_opens_a_bundle_written_by_nda_train(tmp_path):
    path = tmp_path / "trained"
    subprocess.run(
        [NDA, "train", "softmax_classifier", "--dataset", "iris", "--epochs", "2",
         "--out", str(path), "--logdir", str(tmp_path / "runs"), "--quiet"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )  # fmt: skip
    est = load_estimator(path)
    bundle = nda.load_model(path, runtime="keras")
    assert isinstance(est, NDAClassifier) and est.model == "softmax_classifier"
    assert list(est.classes_) == ["setosa", "versicolor", "virginica"]
    assert list(est.feature_names_in_) == list(bundle.feature_names)
    frame = pd.DataFrame(X, columns=bundle.feature_names)
    np.testing.assert_allclose(
        est.predict_proba(frame), bundle.predict_proba(frame), rtol=1e-6, atol=1e-7
    )
    np.testing.assert_array_equal(est.predict(frame), bundle.predict(frame))
    before = est.predict_proba(frame)
    est.partial_fit(frame, np.array(["setosa", "versicolor", "virginica"])[Y])
    assert not np.array_equal(est.predict_proba(frame), before)  # trains on


def test_a_model_outside_the_zoo_is_refused(tmp_path):
    import keras

    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs), name="custom")
    path = nda.save_model(model, tmp_path / "custom", onnx=False)
    with pytest.raises(ValueError, match="model outside the zoo, so it has no est"):
        load_estimator(path)


def test_a_damaged_bundle_is_refused(classifier, tmp_path):
    path = classifier.save(tmp_path / "damaged")
    keras_file = path / "model.keras"
    keras_file.write_bytes(keras_file.read_bytes()[:100])
    with pytest.raises(ValueError, match="corrupt or incomplete bundle"):
        load_estimator(path)


def test_a_state_of_the_wrong_estimator_is_refused(tmp_path):
    model = nda.build_model("linear_regressor", input_dim=4)
    path = nda.save_model(
        model, tmp_path / "wrong", sklearn_state={"estimator": "NDAClassifier"}
    )
    with pytest.raises(ValueError, match="corrupt.*'NDAClassifier' but its model"):
        load_estimator(path)


def test_no_bundle_at_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="no bundle at"):
        load_estimator(tmp_path / "missing")


def _tampered(est, folder, change):
    """``est.save(folder)`` with ``change(metadata)``, checksum recomputed."""
    from nda_models.export.format.checksums import metadata_sha256

    path = est.save(folder)
    meta = json.loads((path / "metadata.json").read_text())
    change(meta)
    meta["metadata_sha256"] = metadata_sha256(meta)
    (path / "metadata.json").write_text(json.dumps(meta))
    return path


def _state(key, value):
    return lambda meta: meta["sklearn_state"].__setitem__(key, value)


# Each was an AttributeError, KeyError, OverflowError, NumPy's UFuncTypeError,
# "not enough values to unpack", a message about the user's own `normalization`
# argument, or an estimator whose `model` was another model than the bundle's.
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.__setitem__("sklearn_state", 5), r"is 5 instead of an object"),
        (lambda m: m["sklearn_state"].pop("params"), r"has no 'params' entry"),
        (_state("params", "x"), r"'params' should be an object, found 'x'"),
        (_state("target_scale", ["a", 1]), r"'target_scale' should be \[shift, "
         r"scale\], finite numbers, scale > 0, found \['a', 1\]"),
        (_state("target_scale", [10**400, 1]), r"'target_scale' should be"),
        (_state("target_scale", [1.0]), r"'target_scale' should be"),
        (lambda m: m["sklearn_state"].pop("architecture"),
         r"has no 'architecture' entry"),
        (_state("n_iter", "x"), r"'n_iter' should be an integer >= 0, found 'x'"),
        (_state("sampling_seed", 10**40), r"'sampling_seed' should be an integer "
         r"in \[0, 2\*\*32\)"),
        (lambda m: m["sklearn_state"]["architecture"].__setitem__("input_dim", 7),
         r"is of model 'linear_regressor', architecture 'linear_regressor' with "
         r"input_dim=7, but the bundle holds 'linear_regressor' with input_dim=3"),
        (lambda m: m["sklearn_state"]["params"].__setitem__("model", "mlp_regressor"),
         r"is of model 'mlp_regressor'"),
    ],
)  # fmt: skip
def test_a_tampered_state_is_a_corrupt_bundle_naming_the_entry(
    regressor, tmp_path, change, message
):
    path = _tampered(regressor, tmp_path / "t", change)
    with pytest.raises(
        ValueError,
        match=rf"corrupt or incomplete bundle at .*: its sklearn_state "
        rf"{message}",
    ):
        load_estimator(path)


def test_labels_that_do_not_read_as_their_dtype_are_a_corrupt_bundle(
    classifier, tmp_path
):
    path = _tampered(classifier, tmp_path / "t", _state("classes_dtype", "<i8"))
    with pytest.raises(
        ValueError,
        match=r"its sklearn_state 'classes' \['setosa', 'versicolor', "
        r"'virginica'\] cannot be read as dtype '<i8'",
    ):
        load_estimator(path)
