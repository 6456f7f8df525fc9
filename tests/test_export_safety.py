"""Loading is safe: no code from the bundle runs, damage is detected by checksums."""

import json

import keras
import numpy as np
import pytest
from support import rewrite_checksums

import nda_models
from nda_models.export import load_model, save_model
from nda_models.export.format.checksums import metadata_sha256


@pytest.fixture
def bundle_path(tmp_path):
    model = nda_models.build_model("softmax_classifier", input_dim=2, num_classes=3)
    return save_model(model, tmp_path / "bundle", history={"loss": [1.0, 0.5]})


def test_a_lambda_payload_is_refused_and_never_runs(bundle_path, tmp_path):
    marker = tmp_path / "pwned.txt"
    payload = f"lambda x: (open({str(marker)!r}, 'w').close(), x)[1]"
    inputs = keras.Input(shape=(2,), name="features")
    hidden = keras.layers.Lambda(eval(payload))(inputs)
    outputs = keras.layers.Dense(3, activation="softmax")(hidden)
    evil = keras.Model(inputs, outputs, name="softmax_classifier")
    marker.unlink()  # building the model ran the payload once; start clean
    evil.save(bundle_path / "model.keras")
    rewrite_checksums(bundle_path)

    with pytest.raises(ValueError, match=r"Refusing to load .*Lambda layer.*safe_mode"):
        load_model(bundle_path, runtime="keras")
    # The ONNX runtime never reads model.keras, until the Keras model is asked for.
    bundle = load_model(bundle_path)
    bundle.predict([[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"Refusing to load .*Lambda layer.*safe_mode"):
        _ = bundle.model
    assert not marker.exists()
    # Control: the payload is real; unsafe loading would have run it.
    keras.saving.load_model(bundle_path / "model.keras", safe_mode=False)
    assert marker.exists()


def test_missing_path_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="no bundle at .*nowhere"):
        load_model(tmp_path / "nowhere")


def test_a_file_is_not_a_bundle(bundle_path):
    with pytest.raises(ValueError, match="is a file; pass the bundle folder"):
        load_model(bundle_path / "model.keras")


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        ("truncate:model.keras", r"'model.keras' does not match its SHA-256"),
        (
            "flip:saved_model/variables/variables.data-00000-of-00001",
            r"'saved_model/variables/variables.data-00000-of-00001' does not match",
        ),
        ("delete:saved_model/saved_model.pb", r"'saved_model/saved_model.pb' is miss"),
        ("delete:model.keras", r"'model.keras' is missing"),
        ("delete:history.csv", r"'history.csv' is missing"),
        ("truncate:model.onnx", r"'model.onnx' does not match its SHA-256"),
        ("delete:model.onnx", r"'model.onnx' is missing"),
        ("truncate:metadata.json", "metadata.json is not valid JSON"),
        ("delete:metadata.json", "metadata.json is missing"),
        ("edit:metadata.json", "metadata.json does not match its checksum"),
    ],
)
def test_damage_is_a_corrupt_or_incomplete_bundle(bundle_path, damage, words):
    action, name = damage.split(":")
    target = bundle_path / name
    data = target.read_bytes()
    if action == "truncate":
        target.write_bytes(data[: len(data) // 2])
    elif action == "flip":
        target.write_bytes(bytes([data[0] ^ 1]) + data[1:])
    elif action == "delete":
        target.unlink()
    else:
        meta = json.loads(data)
        meta["class_names"] = ["x", "y", "z"]
        target.write_text(json.dumps(meta))
    with pytest.raises(ValueError, match=rf"corrupt or incomplete bundle.*{words}"):
        load_model(bundle_path)


def test_an_empty_folder_is_incomplete(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="corrupt or incomplete bundle.*is missing"):
        load_model(tmp_path / "empty")


def test_checksum_list_cannot_point_outside_the_bundle(bundle_path):
    meta = json.loads((bundle_path / "metadata.json").read_text())
    meta["files"]["../secret"] = "0" * 64
    meta["metadata_sha256"] = metadata_sha256(meta)
    (bundle_path / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(
        ValueError, match=r"corrupt or incomplete bundle.*'\.\./secret'"
    ):
        load_model(bundle_path)


def test_a_newer_format_asks_for_an_upgrade(bundle_path):
    meta = json.loads((bundle_path / "metadata.json").read_text())
    meta["format_version"] = 99
    (bundle_path / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="format version 99.*Upgrade nda_models"):
        load_model(bundle_path)


def test_intact_bundle_loads(bundle_path):
    bundle = load_model(bundle_path)
    assert bundle.predict_proba(np.zeros((1, 2))).shape == (1, 3)
