"""save_model: the bundle's files and metadata, and what it refuses to save."""

import json
import types

import numpy as np
import pandas as pd
import pytest

import nda_models
from nda_models.export import load_model, save_model
from nda_models.export.format.checksums import file_sha256

MEAN = np.array([1.0, -2.0], dtype=np.float32)
VARIANCE = np.array([4.0, 0.25], dtype=np.float32)


def _logistic(weights=(0.5, -1.0), bias=0.25, normalization=(MEAN, VARIANCE)):
    model = nda_models.build_model(
        "logistic_neuron", input_dim=2, normalization=normalization
    )
    model.get_layer("logits").set_weights(
        [np.array(weights, np.float32).reshape(2, 1), np.array([bias], np.float32)]
    )
    return model


def _dataset(**changes):
    fields = dict(
        name="toy",
        task="binary",
        feature_names=("height", "weight"),
        class_names=("small", "large"),
        x_train=np.zeros((8, 2)),
        x_val=np.zeros((2, 2)),
        x_test=np.zeros((3, 2)),
    )
    fields.update(changes)
    return types.SimpleNamespace(**fields)


def test_bundle_files_and_metadata(tmp_path):
    history = {"loss": [0.9, 0.5], "val_loss": [1.0, 0.7]}
    path = save_model(
        _logistic(),
        tmp_path / "b",
        dataset=_dataset(),
        history=history,
        metrics={"accuracy": np.float32(0.75)},
        hparams={"learning_rate": 0.1},
        author="ada",
    )
    assert sorted(p.name for p in path.iterdir()) == [
        "history.csv",
        "metadata.json",
        "model.keras",
        "model.onnx",
        "saved_model",
    ]
    meta = json.loads((path / "metadata.json").read_text())
    assert meta["files"]["model.onnx"] == file_sha256(path / "model.onnx")
    assert meta["onnx"]["opset"] == 17 and meta["onnx"]["input"] == "features"
    assert meta["onnx"]["outputs"] == ["class_index", "class_name", "probabilities"]
    assert meta["registry_name"] == "logistic_neuron"
    assert meta["task"] == "binary" and meta["output_kind"] == "binary_probability"
    assert meta["feature_names"] == ["height", "weight"]
    assert meta["class_names"] == ["small", "large"]
    assert meta["dataset"] == {
        "name": "toy",
        "task": "binary",
        "n_train": 8,
        "n_val": 2,
        "n_test": 3,
    }
    assert meta["hparams"] == {"input_dim": 2, "learning_rate": 0.1}
    assert meta["metrics"] == {"accuracy": 0.75}
    assert meta["author"] == "ada"
    np.testing.assert_allclose(meta["normalization"]["mean"], MEAN)
    np.testing.assert_allclose(meta["normalization"]["variance"], VARIANCE)
    assert {"python", "tensorflow", "keras", "numpy"} <= set(meta["versions"])
    assert meta["created"].endswith("+00:00")
    assert meta["files"]["model.keras"] == file_sha256(path / "model.keras")
    assert "saved_model/saved_model.pb" in meta["files"]
    table = pd.read_csv(path / "history.csv")
    assert list(table.columns) == ["epoch", "loss", "val_loss"]
    np.testing.assert_allclose(table["val_loss"], history["val_loss"])


def test_normalisation_lives_in_the_model_so_raw_features_work(tmp_path):
    bundle = load_model(save_model(_logistic(), tmp_path / "b"))
    x = np.array([[3.0, -1.0], [-1.0, -2.5]], dtype=np.float32)
    z = ((x - MEAN) / np.sqrt(VARIANCE)) @ [0.5, -1.0] + 0.25  # NumPy oracle
    p = 1.0 / (1.0 + np.exp(-z))
    np.testing.assert_allclose(bundle.predict_proba(x), np.c_[1 - p, p], rtol=1e-5)
    np.testing.assert_array_equal(bundle.predict(x), (p > 0.5).astype(int))


def test_history_from_a_frame_and_hparams_inferred_from_an_mlp(tmp_path):
    model = nda_models.build_model(
        "mlp_regressor",
        input_dim=2,
        hidden_units=(3, 2),
        activation="tanh",
        dropout=0.1,
    )
    frame = pd.DataFrame({"loss": [3.0, 2.0, 1.0]})
    path = save_model(model, tmp_path / "m", history=frame)
    meta = load_model(path).metadata
    assert meta["hparams"] == {
        "input_dim": 2,
        "hidden_units": [3, 2],
        "activation": "tanh",
        "dropout": 0.1,
    }
    assert meta["normalization"] is None and meta["class_names"] is None
    assert pd.read_csv(path / "history.csv")["epoch"].tolist() == [1, 2, 3]


def test_default_path_is_saved_models_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = save_model(_logistic())
    assert path == tmp_path / "saved_models" / "logistic_neuron"
    assert (path / "metadata.json").is_file()


def test_refuses_non_finite_weights_and_writes_nothing(tmp_path):
    with pytest.raises(
        ValueError,
        match=r"refusing to save: weight 'logits/kernel' "
        r"contains NaN",
    ):
        save_model(_logistic(weights=(np.nan, 1.0)), tmp_path / "b")
    with pytest.raises(ValueError, match="contains infinity"):
        save_model(_logistic(bias=np.inf), tmp_path / "b")
    assert list(tmp_path.iterdir()) == []


def test_names_must_fit_the_model(tmp_path):
    model = _logistic()
    with pytest.raises(ValueError, match=r"takes 2 features.*Received: 3 names"):
        save_model(model, tmp_path / "b", feature_names=["a", "b", "c"])
    with pytest.raises(ValueError, match=r"must be unique.*\['a'\]"):
        save_model(model, tmp_path / "b", feature_names=["a", "a"])
    with pytest.raises(ValueError, match=r"has 2 classes.*Received: \['x'\]"):
        save_model(model, tmp_path / "b", class_names=["x"])
    with pytest.raises(TypeError, match="must be a list of strings"):
        save_model(model, tmp_path / "b", feature_names="ab")
    regressor = nda_models.build_model("linear_regressor", input_dim=2)
    with pytest.raises(ValueError, match="regression model has no classes"):
        save_model(regressor, tmp_path / "b", class_names=["x", "y"])


def test_task_must_match_the_dataset(tmp_path):
    with pytest.raises(ValueError, match=r"binary model.*dataset task is 'multiclass'"):
        save_model(_logistic(), tmp_path / "b", dataset=_dataset(task="multiclass"))


def test_metadata_must_be_json_and_not_reserved(tmp_path):
    with pytest.raises(ValueError, match="'files' is set by save_model itself"):
        save_model(_logistic(), tmp_path / "b", files=["x"])
    with pytest.raises(TypeError, match=r"Metadata owner cannot be stored"):
        save_model(_logistic(), tmp_path / "b", owner=object())
    with pytest.raises(TypeError, match="`dataset` must be a dataset name"):
        save_model(_logistic(), tmp_path / "b", dataset=3)
    with pytest.raises(TypeError, match="`history` must be a keras History"):
        save_model(_logistic(), tmp_path / "b", history=[1.0, 2.0])
    with pytest.raises(ValueError, match="one value per epoch"):
        save_model(_logistic(), tmp_path / "b", history={"loss": [1], "acc": []})
    with pytest.raises(TypeError, match="`model` must be a keras.Model"):
        save_model("model", tmp_path / "b")
    assert list(tmp_path.iterdir()) == []


def test_overwrite_rules(tmp_path):
    path = save_model(_logistic(), tmp_path / "b")
    with pytest.raises(FileExistsError, match="Pass overwrite=True"):
        save_model(_logistic(), path, overwrite=False)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("keep me")
    with pytest.raises(ValueError, match="not a model bundle"):
        save_model(_logistic(), tmp_path / "notes")
    assert (tmp_path / "notes" / "todo.txt").read_text() == "keep me"
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="exists and is not a directory"):
        save_model(_logistic(), tmp_path / "file")


def test_a_new_save_replaces_the_old_bundle(tmp_path):
    path = save_model(_logistic(bias=-5.0), tmp_path / "b")
    save_model(_logistic(bias=5.0), path)
    assert load_model(path).predict_proba([[1.0, -2.0]])[0, 1] > 0.99
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]


def test_predict_proba_exists_only_for_probabilistic_classifiers(tmp_path):
    perceptron = nda_models.build_model("perceptron", input_dim=2)
    bundle = load_model(save_model(perceptron, tmp_path / "p", class_names=["n", "y"]))
    assert not hasattr(bundle, "predict_proba")
    with pytest.raises(AttributeError, match="gives decisions, not probabilities"):
        bundle.predict_proba([[1.0, 2.0]])
    regressor = nda_models.build_model("linear_regressor", input_dim=2)
    bundle = load_model(save_model(regressor, tmp_path / "r"))
    with pytest.raises(AttributeError, match="regression model has no class prob"):
        getattr(bundle, "predict_proba")  # noqa: B009 - the attribute itself raises
    assert bundle.predict(np.empty((0, 2))).shape == (0,)


def test_empty_input_gives_empty_results(tmp_path):
    model = nda_models.build_model("softmax_classifier", input_dim=2, num_classes=3)
    bundle = load_model(save_model(model, tmp_path / "s", class_names=list("abc")))
    assert bundle.predict([]).shape == (0,)
    assert bundle.predict_proba(np.empty((0, 2))).shape == (0, 3)
    assert list(bundle.predict_frame([]).columns) == [
        "prediction",
        "probability_a",
        "probability_b",
        "probability_c",
    ]


def test_an_unregistered_classifier_needs_its_task(tmp_path):
    import keras

    inputs = keras.Input(shape=(2,))
    outputs = keras.layers.Dense(3, activation="softmax")(inputs)
    model = keras.Model(inputs, outputs, name="my_net")
    with pytest.raises(ValueError, match="task='binary' or 'multiclass'"):
        save_model(model, tmp_path / "b", class_names=["a", "b", "c"])
    path = save_model(
        model, tmp_path / "b", class_names=["a", "b", "c"], task="multiclass"
    )
    bundle = load_model(path)
    x = np.array([[1.0, -1.0], [0.0, 2.0]], dtype=np.float32)
    expected = np.asarray(model(x))  # same graph in memory
    assert bundle.metadata["registry_name"] is None
    assert (
        bundle.predict(x).tolist() == np.array(list("abc"))[expected.argmax(1)].tolist()
    )
