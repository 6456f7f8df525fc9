"""model.onnx: runtimes chosen, TensorFlow never imported, bad graphs refused."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import onnx
import pytest
from support import rewrite_checksums

import nda_models as nda
from nda_models.cli import main

MEAN, VARIANCE = [1.0, -2.0, 0.5], [4.0, 1.0, 0.25]


def _save(path, name="softmax_classifier", input_dim=3, **options):
    hparams = {"num_classes": 3} if name == "softmax_classifier" else {}
    model = nda.build_model(
        name,
        input_dim=input_dim,
        normalization=(MEAN[:input_dim], VARIANCE[:input_dim]),
        **hparams,
    )
    names = [f"f{i}" for i in range(input_dim)]
    return nda.save_model(model, path, feature_names=names, **options)


@pytest.fixture(scope="module")
def bundle_path(tmp_path_factory):
    return _save(tmp_path_factory.mktemp("onnx") / "softmax")


@pytest.fixture
def copy_path(bundle_path, tmp_path):
    """A copy of the bundle that a test may damage."""
    import shutil

    return shutil.copytree(bundle_path, tmp_path / "copy")


def _rewrite_graph(path, edit):
    """Edits the ONNX graph of the bundle and fixes the checksums after it."""
    model = onnx.load(path / "model.onnx")
    edit(model)
    (path / "model.onnx").write_bytes(model.SerializeToString())
    rewrite_checksums(path)


# A new interpreter: load + predict through the ONNX runtime, then report
# which heavy modules got imported, then touch bundle.model.
_NO_TENSORFLOW = textwrap.dedent(
    """
    import json, sys
    import pandas as pd
    import nda_models as nda

    bundle = nda.load_model(sys.argv[1])
    frame = pd.DataFrame({"f0": [1.0, 2.0], "f1": [0.0, 1.0], "f2": [0.5, 0.5]})
    answers = bundle.predict(frame).tolist()
    bundle.predict_proba(frame.to_numpy())
    bundle.predict_frame(frame)
    seen = sorted(m for m in ("tensorflow", "keras", "tf2onnx") if m in sys.modules)
    model = bundle.model
    keras_answer = model(frame.to_numpy(dtype="float32")).numpy().argmax(axis=1)
    print(json.dumps({"runtime": bundle.runtime, "seen": seen, "answers": answers,
                      "keras": keras_answer.tolist(),
                      "tf_after": "tensorflow" in sys.modules}))
    """
)


def test_onnx_path_never_imports_tensorflow_and_model_is_lazy(bundle_path):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run(
        [sys.executable, "-c", _NO_TENSORFLOW, str(bundle_path)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["runtime"] == "onnx"
    assert report["seen"] == []
    assert report["tf_after"] is True  # bundle.model imported it, on demand
    assert report["answers"] == report["keras"]


def test_runtimes_are_chosen_as_asked(bundle_path, tmp_path):
    assert nda.load_model(bundle_path).runtime == "onnx"
    assert nda.load_model(bundle_path, runtime="onnx").runtime == "onnx"
    assert nda.load_model(bundle_path, runtime="keras").runtime == "keras"
    with pytest.raises(ValueError, match="Unknown runtime 'onx'.*Did you mean 'onnx'"):
        nda.load_model(bundle_path, runtime="onx")


def test_bundles_without_model_onnx_load_with_keras(tmp_path):
    old = _save(tmp_path / "old", onnx=False)
    assert not (old / "model.onnx").exists()
    meta = json.loads((old / "metadata.json").read_text())
    assert meta["onnx"] is None and "model.onnx" not in meta["files"]
    assert nda.load_model(old).runtime == "keras"
    with pytest.raises(ValueError, match="has no model.onnx.*runtime='keras'"):
        nda.load_model(old, runtime="onnx")


def test_a_bundle_written_before_onnx_existed_still_loads(tmp_path):
    """Such metadata.json has no "onnx" entry at all."""
    old = _save(tmp_path / "old", onnx=False)
    meta = json.loads((old / "metadata.json").read_text())
    del meta["onnx"]
    (old / "metadata.json").write_text(json.dumps(meta))
    rewrite_checksums(old)
    bundle = nda.load_model(old)
    assert bundle.runtime == "keras"
    assert bundle.predict_proba(np.zeros((2, 3))).shape == (2, 3)


def test_onnx_flag_must_be_a_bool(tmp_path):
    with pytest.raises(TypeError, match="`onnx` must be True or False"):
        _save(tmp_path / "x", onnx="yes")


def test_metadata_listing_onnx_without_the_file_entry_is_incomplete(copy_path):
    meta = json.loads((copy_path / "metadata.json").read_text())
    del meta["files"]["model.onnx"]
    from nda_models.export.format.checksums import metadata_sha256

    meta["metadata_sha256"] = metadata_sha256(meta)
    (copy_path / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="corrupt or incomplete.*does not list model"):
        nda.load_model(copy_path)


def test_garbage_with_a_matching_checksum_is_corrupt(copy_path):
    (copy_path / "model.onnx").write_bytes(b"\x08\x07garbage" * 10)
    rewrite_checksums(copy_path)
    with pytest.raises(
        ValueError, match="corrupt or incomplete bundle.*model.onnx is not an ONNX"
    ):
        nda.load_model(copy_path)
    # The Keras runtime does not read model.onnx.
    assert nda.load_model(copy_path, runtime="keras").runtime == "keras"


def test_a_graph_of_another_bundle_is_a_mismatch(copy_path, tmp_path):
    other = _save(tmp_path / "other", input_dim=2)
    (copy_path / "model.onnx").write_bytes((other / "model.onnx").read_bytes())
    rewrite_checksums(copy_path)
    with pytest.raises(
        ValueError,
        match=r"corrupt or incomplete bundle.*expected one float32 input "
        r"'features' of shape \(batch, 3\), found \['features \[None, 2\]'\]",
    ):
        nda.load_model(copy_path)


def test_a_graph_with_other_outputs_is_a_mismatch(copy_path, tmp_path):
    other = _save(tmp_path / "other", name="linear_regressor")
    (copy_path / "model.onnx").write_bytes((other / "model.onnx").read_bytes())
    rewrite_checksums(copy_path)
    with pytest.raises(
        ValueError,
        match=r"corrupt or incomplete bundle.*gives the outputs \['predictions'\], "
        r"but a multiclass_probability bundle has",
    ):
        nda.load_model(copy_path)


def test_a_graph_with_fewer_classes_is_a_mismatch(copy_path):
    meta = json.loads((copy_path / "metadata.json").read_text())
    meta["class_names"] = ["a", "b", "c", "d"]
    (copy_path / "metadata.json").write_text(json.dumps(meta))
    rewrite_checksums(copy_path)
    with pytest.raises(
        ValueError, match=r"'class_names' has 4 names but model\.onnx has 3 classes"
    ):
        nda.load_model(copy_path)


@pytest.mark.parametrize("domain", ["com.example.evil", "com.microsoft"])
def test_custom_operator_domains_are_refused(copy_path, domain):
    def edit(model):
        model.opset_import.append(onnx.helper.make_opsetid(domain, 1))
        model.graph.node[0].domain = domain

    _rewrite_graph(copy_path, edit)
    with pytest.raises(
        ValueError,
        match=rf"Refusing to load .*model.onnx.*outside the standard ONNX operator "
        rf"sets \['{domain}'\]",
    ):
        nda.load_model(copy_path)


def test_a_declared_custom_domain_is_refused_even_if_unused(copy_path):
    _rewrite_graph(
        copy_path,
        lambda model: model.opset_import.append(onnx.helper.make_opsetid("my.ops", 1)),
    )
    with pytest.raises(ValueError, match=r"Refusing to load.*\['my.ops'\]"):
        nda.load_model(copy_path)


def test_weights_in_an_external_file_are_refused(copy_path, tmp_path):
    secret = tmp_path / "secret.bin"
    secret.write_bytes(np.arange(64, dtype=np.float32).tobytes())

    def edit(model):
        tensor = model.graph.initializer[0]
        tensor.ClearField("raw_data")
        tensor.ClearField("float_data")
        tensor.data_location = onnx.TensorProto.EXTERNAL
        entry = tensor.external_data.add()
        entry.key, entry.value = "location", str(secret)

    _rewrite_graph(copy_path, edit)
    with pytest.raises(
        ValueError, match="corrupt or incomplete bundle.*in an external file"
    ):
        nda.load_model(copy_path)


def test_a_graph_onnx_runtime_cannot_open_is_corrupt(copy_path):
    def edit(model):
        model.graph.node[0].op_type = "NoSuchOperator"

    _rewrite_graph(copy_path, edit)
    with pytest.raises(
        ValueError, match="corrupt or incomplete bundle.*ONNX Runtime cannot open"
    ):
        nda.load_model(copy_path)


def _csv(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("f2,f1,f0\n0.5,0.0,1.0\n0.5,1.0,2.0\n")
    return path


@pytest.mark.parametrize("runtime", ["auto", "keras"])
def test_nda_predict_runtimes_write_the_same_csv(
    bundle_path, tmp_path, capsys, runtime
):
    out = tmp_path / f"{runtime}.csv"
    args = ["predict", str(bundle_path), "--input", str(_csv(tmp_path))]
    assert main([*args, "--output", str(out), "--runtime", runtime]) == 0
    default = tmp_path / "default.csv"
    assert main([*args, "--output", str(default)]) == 0
    got = np.genfromtxt(out, delimiter=",", names=True, dtype=None, encoding="utf-8")
    want = np.genfromtxt(
        default, delimiter=",", names=True, dtype=None, encoding="utf-8"
    )
    assert got.dtype.names == want.dtype.names
    assert list(got["prediction"]) == list(want["prediction"])
    np.testing.assert_allclose(got["probability_0"], want["probability_0"], atol=1e-5)


def test_nda_predict_does_not_import_tensorflow(bundle_path, tmp_path):
    code = (
        "import sys; from nda_models.cli import main; "
        f"rc = main(['predict', {str(bundle_path)!r}, '--input', "
        f"{str(_csv(tmp_path))!r}]); "
        "print('tensorflow' in sys.modules, rc, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stderr.strip().splitlines()[-1] == "False 0", done.stderr
    assert done.stdout.splitlines()[0].startswith("prediction,probability_0")


def test_nda_predict_refuses_onnx_for_a_bundle_without_it(tmp_path, capsys):
    old = _save(tmp_path / "old", onnx=False)
    code = main(
        ["predict", str(old), "--input", str(_csv(tmp_path)), "--runtime", "onnx"]
    )
    assert code == 2
    assert "has no model.onnx" in capsys.readouterr().err


def test_a_stored_zero_variance_is_served_by_keras_which_scales_it_by_one(tmp_path):
    import keras

    inputs = keras.Input((2,), name="features")
    scaled = keras.layers.Normalization(mean=[7.0, 0.0], variance=[0.0, 1.0])(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(scaled), name="custom")
    path = nda.save_model(model, tmp_path / "zero_variance")
    bundle = nda.load_model(path)
    assert bundle.runtime == "keras"
    kernel, bias = (np.asarray(w) for w in model.layers[-1].get_weights())
    x = np.array([[8.0, 2.0]], np.float32)
    want = ((x - [7.0, 0.0]) / [1.0, 1.0]) @ kernel + bias  # constant: scaled by 1
    np.testing.assert_allclose(bundle.predict(x), want[:, 0], rtol=1e-5)
    with pytest.raises(ValueError, match="stores a variance of 0.*runtime='keras'"):
        nda.load_model(path, runtime="onnx")


def test_a_loaded_model_needs_a_keras_model_or_an_onnx_runner(bundle_path):
    metadata = nda.load_model(bundle_path).metadata
    with pytest.raises(ValueError, match="needs a Keras model, or a bundle path"):
        nda.LoadedModel(None, metadata, bundle_path)
