"""model.onnx served by ONNX Runtime answers as the Keras model does.

The oracle of the ONNX Runtime path is the Keras path of the same bundle
(TensorFlow's kernels against ONNX Runtime's). Every zoo model is trained
briefly on its lecture dataset; two more cases: ``mlp_classifier`` with
dropout on digits (whose training split has constant pixels) and a regressor
trained on data with a constant feature.
"""

import numpy as np
import pandas as pd
import pytest

import nda_models as nda
from nda_models.workflows.recipes import recipe_for

# |ONNX Runtime - Keras| <= ATOL + RTOL * |Keras|: 1e-5 absolute, plus a few
# float32 ulps for answers larger than 1 (at 150 one ulp is already 1.5e-5).
ATOL, RTOL = 1e-5, 1e-6


def _constant_feature_dataset():
    """The lecture's linear data with a third feature that is always 7."""
    ds = nda.load_dataset("linear_synthetic", n=300, seed=3)
    add = lambda x: np.hstack([x, np.full((len(x), 1), 7.0, np.float32)])  # noqa: E731
    return {
        "x_train": add(ds.x_train),
        "y_train": ds.y_train,
        "x_test": add(ds.x_test),
        "feature_names": [*ds.feature_names, "constant"],
        "class_names": None,
    }


def _dataset(name):
    ds = nda.load_dataset(name)
    return {
        "x_train": ds.x_train,
        "y_train": ds.y_train,
        "x_test": ds.x_test,
        "feature_names": ds.feature_names,
        "class_names": ds.class_names,
    }


# case -> (registry name, extra hyper-parameters, data)
CASES = {
    name: (name, {}, None)
    for name in [
        "linear_regressor",
        "logistic_neuron",
        "perceptron",
        "softmax_classifier",
        "mlp_regressor",
    ]
}
CASES["mlp_classifier_dropout"] = ("mlp_classifier", {"dropout": 0.3}, None)
CASES["constant_feature"] = ("mlp_regressor", {"hidden_units": (8,)}, "constant")


def _train(model_name, hparams, data):
    recipe = recipe_for(model_name)
    data = (
        _constant_feature_dataset()
        if data == "constant"
        else _dataset(recipe["dataset"])
    )
    x = data["x_train"]
    options = dict(hparams, normalization=(x.mean(axis=0), x.var(axis=0)))
    if "seed" in nda.describe_model(model_name).defaults:
        options["seed"] = 0
    if data["class_names"] is not None and len(data["class_names"]) > 2:
        options["num_classes"] = len(data["class_names"])
    model = nda.build_model(model_name, input_dim=x.shape[1], **options)
    trainer = nda.Trainer(
        model, optimizer=recipe["optimizer"], learning_rate=0.01, seed=0
    )
    trainer.fit(x, data["y_train"], epochs=2)
    return model, data


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    """case -> (ONNX-runtime bundle, Keras-runtime bundle, data)."""
    root = tmp_path_factory.mktemp("onnx")
    loaded = {}
    for case, (model_name, hparams, data) in CASES.items():
        model, data = _train(model_name, hparams, data)
        path = nda.save_model(
            model,
            root / case,
            feature_names=data["feature_names"],
            class_names=data["class_names"],
        )
        loaded[case] = (
            nda.load_model(path),
            nda.load_model(path, runtime="keras"),
            data,
        )
    return loaded


def _inputs(data):
    """Real test rows, and random rows spread 3x wider than the data: 1,000,
    1, and 2,500 (more than ONNX Runtime's blocks of 1,024 rows)."""
    x = data["x_test"]
    rng = np.random.default_rng(1)
    spread = np.maximum(x.std(axis=0), 1.0)
    random = x.mean(axis=0) + 3.0 * spread * rng.standard_normal((2500, x.shape[1]))
    random = random.astype(np.float32)
    return {
        "real": x,
        "real_1": x[:1],
        "random_1000": random[:1000],
        "random_1": random[:1],
        "random_2500": random,
    }


@pytest.mark.parametrize("case", list(CASES))
def test_onnx_runtime_answers_as_keras(bundles, case):
    onnx_bundle, keras_bundle, data = bundles[case]
    assert onnx_bundle.runtime == "onnx" and keras_bundle.runtime == "keras"
    for label, x in _inputs(data).items():
        got, want = onnx_bundle.predict(x), keras_bundle.predict(x)
        assert got.shape == want.shape == (len(x),), label
        if onnx_bundle.task == "regression":
            np.testing.assert_allclose(got, want, atol=ATOL, rtol=RTOL, err_msg=label)
        else:
            np.testing.assert_array_equal(got, want, err_msg=label)
        if hasattr(keras_bundle, "predict_proba"):
            np.testing.assert_allclose(
                onnx_bundle.predict_proba(x),
                keras_bundle.predict_proba(x),
                atol=ATOL,
                rtol=0,
                err_msg=label,
            )


def test_predict_frame_is_the_same_on_both_runtimes(bundles):
    onnx_bundle, keras_bundle, data = bundles["mlp_classifier_dropout"]
    frame = pd.DataFrame(data["x_test"][:50], columns=data["feature_names"])
    got, want = onnx_bundle.predict_frame(frame), keras_bundle.predict_frame(frame)
    assert list(got.columns) == list(want.columns)
    assert list(got["prediction"]) == list(want["prediction"])
    np.testing.assert_allclose(
        got.drop(columns="prediction").to_numpy(),
        want.drop(columns="prediction").to_numpy(),
        atol=ATOL,
    )


def test_zero_rows_give_empty_answers_on_both_runtimes(bundles):
    for case in ("softmax_classifier", "linear_regressor"):
        onnx_bundle, keras_bundle, data = bundles[case]
        empty = np.zeros((0, data["x_test"].shape[1]), np.float32)
        got, want = onnx_bundle.predict(empty), keras_bundle.predict(empty)
        assert got.shape == want.shape == (0,)
        assert got.dtype == want.dtype


BAD_INPUTS = {
    "missing column": (
        lambda names: pd.DataFrame({names[0]: [1.0]}),
        ValueError,
        "lacks the column",
    ),
    "text cell": (
        lambda names: pd.DataFrame({n: ["abc"] for n in names}),
        ValueError,
        "is not a number",
    ),
    "NaN": (
        lambda names: [[np.nan] * len(names)],
        ValueError,
        r"NaN \(a missing value\)",
    ),
    "wrong width": (
        lambda names: np.zeros((2, len(names) + 1)),
        ValueError,
        "features, but the model expects",
    ),
    "complex dtype": (
        lambda names: np.zeros((1, len(names)), np.complex64),
        TypeError,
        "Features must be numbers",
    ),
    "a string": (lambda names: "1,2,3,4", TypeError, "Features must be"),
}


@pytest.mark.parametrize("bad", list(BAD_INPUTS))
def test_both_runtimes_refuse_bad_input_with_the_same_message(bundles, bad):
    make, error, pattern = BAD_INPUTS[bad]
    messages = []
    for bundle in bundles["softmax_classifier"][:2]:
        x = make(list(bundle.feature_names))
        with pytest.raises(error, match=pattern) as caught:
            bundle.predict(x)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]


def test_onnx_bundle_still_gives_its_keras_model(bundles):
    onnx_bundle, keras_bundle, data = bundles["logistic_neuron"]
    model = onnx_bundle.model
    assert model is onnx_bundle.model  # loaded once
    p = np.asarray(model(data["x_test"], training=False))[:, 0]
    np.testing.assert_allclose(
        onnx_bundle.predict_proba(data["x_test"])[:, 1], p, atol=ATOL
    )
