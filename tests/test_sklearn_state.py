"""What a fitted estimator holds: refused fits change nothing, pickles continue.

- A refused ``fit``/``partial_fit`` (bad parameters, X, y or classes, or a
  diverged run) leaves every fitted attribute and every prediction as they
  were (issue 21, W7: ``classes_`` used to be replaced first).
- Pickling stores the weights and the run's state (optimizer and sampler),
  not a bundle: no SavedModel export, no ONNX conversion, no ONNX Runtime
  session; ``partial_fit`` after unpickling continues with the same
  mini-batches as the original, in this process or another (W6).
"""

import pathlib
import pickle
import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse
from sklearn.datasets import load_iris

import nda_models as nda
from nda_models.sklearn import NDAClassifier, NDARegressor, load_estimator

X, Y = load_iris(return_X_y=True)
NAMES = np.array(["setosa", "versicolor", "virginica"])[Y]


@pytest.fixture(scope="module")
def fitted():
    return NDAClassifier(
        "softmax_classifier", epochs=3, batch_size=16, random_state=0
    ).fit(X, NAMES)


def _frozen(value):
    """A value's pickled bytes, or the object itself if it cannot be pickled."""
    try:
        return pickle.dumps(value)
    except (TypeError, AttributeError, pickle.PicklingError):
        return value


def _attributes(est):
    """Every attribute (parameters, fitted and private) but the Keras model."""
    return {k: _frozen(v) for k, v in vars(est).items() if k != "model_"}


def _snapshot(est):
    """The attributes, the model object, its weights and the predictions."""
    weights = [v.numpy() for v in est.model_.variables]
    return _attributes(est), est.model_, weights, est.predict_proba(X)


def _assert_unchanged(est, before):
    attributes, model, weights, proba = before
    now = _attributes(est)
    assert now.keys() == attributes.keys()
    for key, value in attributes.items():
        assert now[key] is value or now[key] == value, key
    assert est.model_ is model
    for a, b in zip(weights, est.model_.variables, strict=True):
        np.testing.assert_array_equal(a, b.numpy())
    np.testing.assert_array_equal(est.predict_proba(X), proba)


OTHER_LABELS = np.where(Y == 0, "a", "b")
BAD_X = X.copy()
BAD_X[3, 1] = np.nan


@pytest.mark.parametrize(
    "refit, error, message",
    [
        (lambda e: e.set_params(epochs=0).fit(X, OTHER_LABELS), ValueError,
         "`epochs` must be an integer >= 1"),
        (lambda e: e.set_params(batch_size=0).fit(X, NAMES), ValueError,
         "`batch_size` must be an integer >= 1"),
        (lambda e: e.set_params(tol=-1.0).fit(X, NAMES), ValueError, "`tol`"),
        (lambda e: e.set_params(sampling="shuffle").fit(X, NAMES), ValueError,
         "Unknown sampling"),
        (lambda e: e.set_params(random_state="x").fit(X, NAMES), ValueError,
         "cannot be used to seed"),
        (lambda e: e.fit(BAD_X, NAMES), ValueError, "Input X contains NaN"),
        (lambda e: e.fit(X[:, :2], OTHER_LABELS[:5]), ValueError,
         "inconsistent numbers of samples"),
        (lambda e: e.fit(scipy.sparse.csr_matrix(X), NAMES), TypeError,
         "Sparse data"),
        (lambda e: e.fit(X, np.linspace(0, 1, 150)), ValueError,
         "Unknown label type"),
        (lambda e: e.fit(X, np.zeros(150)), ValueError, "only one class"),
        (lambda e: e.partial_fit(X, np.where(Y == 0, "new", NAMES)), ValueError,
         r"labels \['new'\] that are not in classes"),
        (lambda e: e.partial_fit(X, NAMES, classes=["a", "b"]), ValueError,
         "is not the same as on last call"),
        (lambda e: e.partial_fit(X[:, :3], NAMES), ValueError, "X has 3 features"),
        (lambda e: e.set_params(warm_start=True).fit(X, OTHER_LABELS), ValueError,
         "warm_start can only be used where `y` has the same classes"),
        (lambda e: e.set_params(warm_start=True, model="mlp_classifier")
         .fit(X, NAMES), ValueError, "the model or its hyper-parameters changed"),
        (lambda e: e.set_params(optimizer="sgd", learning_rate=1e30, tol=None)
         .fit(X, NAMES), nda.TrainingDivergedError, "diverged"),
    ],
    ids=["epochs=0 with other labels", "batch_size", "tol", "sampling",
         "random_state", "NaN", "lengths", "sparse", "continuous y", "one class",
         "partial_fit new label", "partial_fit classes", "partial_fit features",
         "warm_start classes", "warm_start other model", "diverged run"],
)  # fmt: skip
def test_a_refused_fit_changes_nothing(fitted, refit, error, message):
    from sklearn.base import clone

    est = clone(fitted).fit(X, NAMES)  # a fitted copy of its own
    before = _snapshot(est)
    with pytest.raises(error, match=message):
        refit(est)
    est.set_params(**fitted.get_params())
    _assert_unchanged(est, before)
    assert list(est.predict(X[:3])) == list(fitted.predict(X[:3]))


def test_a_refused_regressor_fit_changes_nothing():
    y = X[:, 0] * 2.0
    est = NDARegressor(epochs=3, random_state=0).fit(X, y)
    before = _snapshot_regressor(est)
    with pytest.raises(ValueError, match="Input y contains NaN"):
        est.fit(X, np.where(y > 5, np.nan, y))
    with pytest.raises(ValueError, match="X has 2 features"):
        est.partial_fit(X[:, :2], y)
    assert _snapshot_regressor(est) == before


def _snapshot_regressor(est):
    return _attributes(est), est.predict(X).tobytes()


def _continued(est, epochs=2):
    for _ in range(epochs):
        est.partial_fit(X, NAMES)
    return est.predict_proba(X)


def _partially_fitted():
    est = NDAClassifier("mlp_classifier", hidden_units=(8,), optimizer="sgd",
                        learning_rate=0.01, batch_size=16, random_state=0)  # fmt: skip
    est.partial_fit(X, NAMES, classes=np.unique(NAMES))
    return est.partial_fit(X, NAMES)


def test_partial_fit_after_pickling_continues_the_same_mini_batches():
    original = _partially_fitted()
    copy = pickle.loads(pickle.dumps(original))
    np.testing.assert_array_equal(_continued(copy), _continued(original))


def test_partial_fit_after_pickling_continues_in_another_process(tmp_path):
    original = _partially_fitted()
    pickled = tmp_path / "estimator.pkl"
    pickled.write_bytes(pickle.dumps(original))
    code = (
        "import pickle, sys, numpy as np; from sklearn.datasets import load_iris\n"
        "X, Y = load_iris(return_X_y=True)\n"
        "names = np.array(['setosa', 'versicolor', 'virginica'])[Y]\n"
        "est = pickle.loads(open(sys.argv[1], 'rb').read())\n"
        "for _ in range(2): est.partial_fit(X, names)\n"
        "np.save(sys.argv[2], est.predict_proba(X))\n"
    )
    out = tmp_path / "proba.npy"
    subprocess.run(
        [sys.executable, "-c", code, str(pickled), str(out)],
        check=True, capture_output=True, cwd=pathlib.Path(__file__).parents[1],
    )  # fmt: skip
    np.testing.assert_array_equal(np.load(out), _continued(original))


def test_pickling_exports_nothing_and_unpickling_opens_no_onnx_session(
    fitted, monkeypatch
):
    import keras
    import onnxruntime
    import tensorflow as tf

    from nda_models.export.write import save

    calls = []

    def spy(name):
        def record(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name} was called")

        return record

    monkeypatch.setattr(onnxruntime, "InferenceSession", spy("InferenceSession"))
    monkeypatch.setattr(tf.saved_model, "save", spy("tf.saved_model.save"))
    monkeypatch.setattr(keras.Model, "export", spy("keras.Model.export"))
    monkeypatch.setattr(save, "save_model", spy("save_model"))
    data = pickle.dumps(fitted)
    copy = pickle.loads(data)
    np.testing.assert_array_equal(copy.predict_proba(X), fitted.predict_proba(X))
    assert calls == []
    assert b"onnx" not in data and b"saved_model" not in data
    # the weights (4 x 3 + 3), Adam's two moments of each, the history: small
    assert len(data) < 20_000


def test_fits_pickles_and_bundles_warn_nothing_deprecated(tmp_path):
    """np.array(keras_variable) made NumPy 2 warn (a DeprecationWarning on
    every fit, an error under ``-W error``, as strict test suites run); the
    estimators' own code must warn nothing (TensorFlow's is its own)."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("error", category=DeprecationWarning,
                                module=r"nda_models\.")  # fmt: skip
        reg = NDARegressor(epochs=2, random_state=0).fit(X[:, 1:], X[:, 0])
        reg.partial_fit(X[:, 1:], X[:, 0])
        clf = NDAClassifier("softmax_classifier", epochs=2, random_state=0)
        clf.fit(X, NAMES).partial_fit(X, NAMES)
        again = pickle.loads(pickle.dumps(clf))
        loaded = load_estimator(again.save(tmp_path / "bundle"))
    assert (loaded.predict(X) == clf.predict(X)).all()


def test_unpickling_a_model_not_registered_here_says_what_to_import(isolated_registry):
    """An estimator of the user's own model, unpickled where that model is
    not registered (another process, before the import that registers it),
    failed with the registry's bare "Unknown model"."""
    import keras

    from nda_models.zoo.inputs import feature_input

    @isolated_registry.register_model(task="regression", loss="mean_squared_error",
                                      output_kind="regression")  # fmt: skip
    def own_regressor(*, input_dim, normalization=None):
        """One linear unit."""
        inputs, x = feature_input(input_dim, normalization)
        return keras.Model(inputs, keras.layers.Dense(1)(x), name="own_regressor")

    est = NDARegressor("own_regressor", epochs=1, random_state=0)
    pickled = pickle.dumps(est.fit(X[:, 1:], X[:, 0]))
    del isolated_registry._REGISTRY["own_regressor"]
    with pytest.raises(ValueError, match="Cannot unpickle this NDARegressor: its "
                       "model 'own_regressor' is not registered in this process. "
                       "Import the module that registers it"):  # fmt: skip
        pickle.loads(pickled)
