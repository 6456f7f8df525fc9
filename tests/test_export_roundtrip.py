"""Train, save, load in a fresh process: .predict == .keras == SavedModel == ONNX.

The oracle for the model's answers is NumPy: the forward pass recomputed from
the trained weights (normalisation, affine map, sigmoid / softmax / step).
"""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import nda_models
from nda_models.export import load_model, save_model

FEATURES = ["f0", "f1", "f2"]

# Loads every bundle in a new interpreter and dumps what the four routes
# (.predict on Keras, the .keras file, the SavedModel signature, .predict on
# ONNX Runtime) answer.
_FRESH_PROCESS = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    import keras, tensorflow as tf
    import nda_models
    from nda_models.export import load_model

    cases, x_path, out_path = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
    x = np.load(x_path)
    out = {}
    for name, path in cases.items():
        bundle = load_model(path, runtime="keras")
        out[name + "/predict"] = bundle.predict(x)
        if hasattr(bundle, "predict_proba"):
            out[name + "/proba"] = bundle.predict_proba(x)
        onnx_bundle = load_model(path, runtime="onnx")
        out[name + "/onnx/predict"] = onnx_bundle.predict(x)
        if hasattr(onnx_bundle, "predict_proba"):
            out[name + "/onnx/proba"] = onnx_bundle.predict_proba(x)
        keras_model = keras.saving.load_model(path + "/model.keras", compile=False)
        out[name + "/keras"] = np.asarray(keras_model(x, training=False))
        serve = tf.saved_model.load(path + "/saved_model").signatures[
            "serving_default"]
        for key, value in serve(features=tf.constant(x)).items():
            value = value.numpy()
            out[name + "/serving/" + key] = (
                value.astype(str) if value.dtype == object else value)
    np.savez(out_path, **out)
    """
)


def _data(task, n=80, seed=0):
    rng = np.random.default_rng(seed)
    x = (rng.normal(size=(n, 3)) * [1.0, 10.0, 0.1] + [2.0, -50.0, 1.0]).astype(
        np.float32
    )
    score = x[:, 0] - 2.0 + (x[:, 1] + 50.0) / 10.0
    if task == "regression":
        return x, (3.0 * score + 1.0).astype(np.float32)
    if task == "binary":
        return x, (score > 0).astype(np.int32)
    return x, np.digitize(score, [-1.0, 1.0]).astype(np.int32)


def _trained(name, task, **hparams):
    x, y = _data(task)
    norm = (x.mean(axis=0), x.var(axis=0))
    model = nda_models.build_model(name, input_dim=3, normalization=norm, **hparams)
    view = nda_models.zoo.training_view(model)
    view.compile(
        optimizer="adam", loss=nda_models.zoo.default_loss(model), run_eagerly=True
    )
    view.fit(x, y, epochs=2, batch_size=40, verbose=0)
    return model, norm


CASES = {
    "linear_regressor": ("regression", {}, None),
    "logistic_neuron": ("binary", {}, ["no", "yes"]),
    "perceptron": ("binary", {}, ["neg", "pos"]),
    "softmax_classifier": ("multiclass", {"num_classes": 3}, ["a", "b", "c"]),
    "mlp_classifier": (
        "multiclass",
        {"num_classes": 3, "hidden_units": (5,), "seed": 1},
        None,
    ),
    "mlp_regressor": ("regression", {"hidden_units": (4,), "seed": 2}, None),
}


def _numpy_forward(name, model, norm, x):
    """Independent oracle of the zoo's forward pass, from the weights."""
    h = (x.astype(np.float64) - norm[0]) / np.sqrt(norm[1])
    dense = [
        (np.asarray(layer.kernel, np.float64), np.asarray(layer.bias, np.float64))
        for layer in model.layers
        if type(layer).__name__ == "Dense"
    ]
    for kernel, bias in dense[:-1]:
        h = np.maximum(h @ kernel + bias, 0.0)  # hidden layers use ReLU
    z = h @ dense[-1][0] + dense[-1][1]
    if name == "logistic_neuron":
        p = 1.0 / (1.0 + np.exp(-z))
        return np.hstack([1.0 - p, p])
    if name == "perceptron":
        return (z > 0).astype(np.float64)
    if name in ("softmax_classifier", "mlp_classifier"):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    return z


@pytest.fixture(scope="module")
def fresh_results(tmp_path_factory):
    root = tmp_path_factory.mktemp("bundles")
    x_test = _data("regression", n=41, seed=7)[0]
    expected, paths = {}, {}
    for name, (task, hparams, classes) in CASES.items():
        model, norm = _trained(name, task, **hparams)
        paths[name] = str(
            save_model(model, root / name, class_names=classes, feature_names=FEATURES)
        )
        expected[name] = _numpy_forward(name, model, norm, x_test)
    np.save(root / "x.npy", x_test)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    args = [json.dumps(paths), str(root / "x.npy"), str(root / "out.npz")]
    done = subprocess.run(
        [sys.executable, "-c", _FRESH_PROCESS, *args],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return dict(np.load(root / "out.npz", allow_pickle=False)), expected


@pytest.mark.parametrize("name", sorted(CASES))
def test_four_routes_agree_in_a_fresh_process(fresh_results, name):
    out, expected = fresh_results
    oracle = expected[name]
    keras_out = out[f"{name}/keras"]
    task, _, classes = CASES[name]
    if task != "regression":
        np.testing.assert_array_equal(
            out[f"{name}/onnx/predict"], out[f"{name}/predict"]
        )
    if f"{name}/proba" in out:
        np.testing.assert_allclose(
            out[f"{name}/onnx/proba"], out[f"{name}/proba"], rtol=0, atol=1e-5
        )
    if task == "regression":
        np.testing.assert_allclose(
            out[f"{name}/predict"], oracle[:, 0], rtol=1e-4, atol=1e-4
        )
        np.testing.assert_allclose(
            out[f"{name}/onnx/predict"], oracle[:, 0], rtol=1e-4, atol=1e-4
        )
        np.testing.assert_array_equal(out[f"{name}/predict"], keras_out[:, 0])
        np.testing.assert_array_equal(
            out[f"{name}/serving/predictions"], out[f"{name}/predict"]
        )
        return
    labels = out[f"{name}/predict"]
    index = out[f"{name}/serving/class_index"]
    names = np.asarray(classes or [str(i) for i in range(oracle.shape[1])])
    np.testing.assert_array_equal(
        out[f"{name}/serving/class_name"].astype(str), names[index]
    )
    if classes is not None:
        np.testing.assert_array_equal(labels, names[index])
    else:
        np.testing.assert_array_equal(labels, index)
    if name == "perceptron":
        np.testing.assert_array_equal(index, oracle[:, 0].astype(int))
        np.testing.assert_array_equal(out[f"{name}/serving/decision"], keras_out[:, 0])
        return
    proba = out[f"{name}/proba"]
    np.testing.assert_allclose(proba, oracle, rtol=1e-4, atol=1e-6)
    np.testing.assert_array_equal(out[f"{name}/serving/probabilities"], proba)
    np.testing.assert_array_equal(index, np.argmax(proba, axis=1))


def test_predict_equals_the_in_memory_model(tmp_path):
    model, _ = _trained("softmax_classifier", "multiclass", num_classes=3)
    x = _data("multiclass", n=17, seed=3)[0]
    path = save_model(model, tmp_path / "m")
    bundle = load_model(path, runtime="keras")
    np.testing.assert_array_equal(
        bundle.predict_proba(x), np.asarray(model(x, training=False))
    )
    np.testing.assert_allclose(
        load_model(path).predict_proba(x), bundle.predict_proba(x), rtol=0, atol=1e-5
    )
    assert bundle.model.name == "softmax_classifier"
    assert bundle.metadata["registry_name"] == "softmax_classifier"


def test_large_inputs_are_split_into_chunks_with_the_same_answers(
    tmp_path, monkeypatch
):
    from nda_models.export.read import loaded_model

    model, _ = _trained("mlp_classifier", "multiclass", num_classes=3, seed=0)
    bundle = load_model(save_model(model, tmp_path / "m"))
    x = _data("multiclass", n=50, seed=4)[0]
    whole = bundle.predict_proba(x)
    monkeypatch.setattr(loaded_model, "CHUNK_ROWS", 7)
    # Same values up to float32 rounding: TensorFlow's matmul rounds
    # differently for different batch sizes (as Keras's model.predict does).
    np.testing.assert_allclose(bundle.predict_proba(x), whole, rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(bundle.predict(x), np.argmax(whole, axis=1))
