"""Bundles under attack: hand-edited metadata, symlinks, odd inputs, unsafe layers.

Defects found by an adversarial run (issue 12); each test failed before its
fix. Edited metadata gets a recomputed ``metadata_sha256``, as a careful
attacker (or a buggy tool) would write it, so the schema is what must
catch it.
"""

import json
import os
import shutil
import stat

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import nda_models as nda
from nda_models.export.format.checksums import metadata_sha256
from nda_models.export.format.metadata import read_metadata
from nda_models.export.read.input_checks import features_array

CORRUPT = "corrupt or incomplete bundle"


@pytest.fixture(scope="module")
def iris_bundle(tmp_path_factory):
    ds = nda.load_dataset("iris")
    model = nda.build_model(
        "softmax_classifier", input_dim=4, num_classes=3,
        normalization=ds.normalization,
    )  # fmt: skip
    path = tmp_path_factory.mktemp("bundles") / "iris"
    nda.save_model(model, path, dataset=ds)
    return path


def _edited(original, folder, change):
    """A copy of the bundle whose metadata.json is ``change(metadata)``."""
    shutil.copytree(original, folder)
    metadata = json.loads((folder / "metadata.json").read_text())
    change(metadata)
    metadata["metadata_sha256"] = metadata_sha256(metadata)
    (folder / "metadata.json").write_text(json.dumps(metadata))
    return folder


def _set(key, value):
    return lambda metadata: metadata.__setitem__(key, value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.pop("task"), r"has no 'task' field"),
        (
            _set("class_names", ["setosa", "versicolor"]),
            r"'class_names' has 2 names but model\.(keras|onnx) has 3 classes",
        ),
        (_set("output_kind", "multilabel"), r"'output_kind' should be one of .*"),
        (
            _set("output_kind", "regression"),
            r"'output_kind' is 'regression', which a multiclass model cannot have",
        ),
        (
            lambda m: m["files"].__setitem__("model.keras", 12345),
            r"'files' should be an object of file -> SHA-256.*found \{",
        ),
        (_set("format_version", True), r"'format_version' should be an integer"),
        (_set("input_dim", "4"), r"'input_dim' should be an integer, found '4'"),
        (_set("feature_names", ["a", "b"]), r"'feature_names' has 2 names"),
    ],
)
def test_metadata_fields_are_checked_against_the_schema(
    iris_bundle, tmp_path, change, message
):
    folder = _edited(iris_bundle, tmp_path / "edited", change)
    for runtime in ("onnx", "keras"):
        with pytest.raises(ValueError, match=f"{CORRUPT}.*{message}"):
            nda.load_model(folder, runtime=runtime)


def test_deeply_nested_metadata_is_reported_not_a_recursion_error(tmp_path):
    folder = tmp_path / "deep"
    folder.mkdir()
    depth = 100_000
    (folder / "metadata.json").write_text("[" * depth + "]" * depth)
    with pytest.raises(ValueError, match=f"{CORRUPT}.*nests .* too deeply"):
        nda.load_model(folder)


def test_predict_with_none_gives_a_clean_error(iris_bundle):
    bundle = nda.load_model(iris_bundle)
    with pytest.raises(ValueError, match=r"NaN \(a missing value\) at row 0, column"):
        bundle.predict([[1.4, None, 1.0, 0.2]])


def test_a_tfsm_layer_is_refused_by_name(iris_bundle, tmp_path):
    import keras

    from nda_models.export.read.keras_bundle import load_keras_safely

    layer = keras.layers.TFSMLayer(
        str(iris_bundle / "saved_model"), call_endpoint="serving_default"
    )
    inputs = keras.Input((4,))
    model = keras.Model(inputs, layer(inputs)["probabilities"])
    model.save(tmp_path / "tfsm.keras")
    with pytest.raises(ValueError, match=r"contains a TFSMLayer") as caught:
        load_keras_safely(tmp_path / "tfsm.keras")
    assert "Lambda" not in str(caught.value).split("Received:")[0]


def test_saving_to_a_symlink_follows_it_and_leaves_no_temporary(iris_bundle, tmp_path):
    target = tmp_path / "versions" / "v1"
    shutil.copytree(iris_bundle, target)
    link = tmp_path / "latest"
    link.symlink_to(target, target_is_directory=True)
    stale = tmp_path / ".latest.nda-tmp-999999999-x"  # left by an older version
    stale.symlink_to(target, target_is_directory=True)
    model = nda.build_model("linear_regressor", input_dim=2)
    nda.save_model(model, link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert nda.load_model(link).task == "regression"
    leftovers = [p.name for p in tmp_path.rglob("*") if "nda-tmp" in p.name]
    assert leftovers == []


def test_a_saved_bundle_folder_honours_the_umask(tmp_path):
    previous = os.umask(0o027)
    try:
        path = nda.save_model(
            nda.build_model("perceptron", input_dim=2), tmp_path / "b"
        )
    finally:
        os.umask(previous)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o750
    assert stat.S_IMODE(os.stat(path / "metadata.json").st_mode) == 0o640


# Property-based: any JSON in a declared field is either accepted or reported
# as a corrupt bundle, never another exception.
_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
_FIELDS = [
    "format_version", "registry_name", "task", "output_kind", "input_dim",
    "hparams", "feature_names", "class_names", "dataset", "normalization",
    "metrics", "serving", "history_file", "versions", "created", "files",
]  # fmt: skip


@settings(
    max_examples=40, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)  # fmt: skip
@given(field=st.sampled_from(_FIELDS), value=_json, drop=st.booleans())
def test_any_metadata_value_is_accepted_or_reported(
    iris_bundle, tmp_path, field, value, drop
):
    metadata = json.loads((iris_bundle / "metadata.json").read_text())
    if drop:
        metadata.pop(field)
    else:
        metadata[field] = value
    metadata["metadata_sha256"] = metadata_sha256(metadata)
    folder = tmp_path / "meta"
    folder.mkdir(exist_ok=True)
    (folder / "metadata.json").write_text(json.dumps(metadata))
    try:
        read_metadata(folder)
    except ValueError as error:
        assert CORRUPT in str(error) or "Upgrade nda_models" in str(error)


_cell = (
    st.none() | st.booleans() | st.integers(-(10**40), 10**40)
    | st.floats() | st.text(max_size=6) | st.sampled_from(["1.5", "nan", "-inf", ""])
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(_cell, min_size=0, max_size=5), max_size=4))
def test_any_predict_input_is_accepted_or_refused_cleanly(rows):
    names = ["a", "b", "c", "d"]
    try:
        values = features_array(rows, names)
    except (ValueError, TypeError) as error:
        assert "Received" in str(error), error
    else:
        assert values.dtype == np.float32 and values.shape[1:] == (4,)
        assert np.isfinite(values).all()
