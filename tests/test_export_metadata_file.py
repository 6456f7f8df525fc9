"""What metadata.json may be as a file (attack on issue 21 S1 and C7's rule).

The bundle is the user's to receive from anyone, and metadata.json is the
first file read. A huge file (a 6 GiB sparse file took a MemoryError, or the
machine's memory, before) is refused after reading at most ``MAX_BYTES``; a
key given twice in one object (which reader sees which value?) is refused;
``save_model`` never writes a file its loader would refuse.
"""

import json
import shutil

import numpy as np
import pytest

import nda_models as nda
from nda_models.export.format import metadata
from nda_models.export.format.checksums import metadata_sha256


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    model = nda.build_model("linear_regressor", input_dim=2)
    return nda.save_model(model, tmp_path_factory.mktemp("meta") / "reg")


def test_a_huge_metadata_file_is_refused_without_being_read(bundle, tmp_path):
    folder = shutil.copytree(bundle, tmp_path / "b")
    with open(folder / "metadata.json", "r+b") as stream:
        stream.truncate(metadata.MAX_BYTES + 1)  # sparse: no disk, no memory
    with pytest.raises(
        ValueError,
        match=r"corrupt or incomplete bundle.*metadata.json is larger than 256 MiB",
    ):
        nda.load_model(folder)


def test_a_key_given_twice_is_refused(bundle, tmp_path):
    folder = shutil.copytree(bundle, tmp_path / "b")
    meta = json.loads((folder / "metadata.json").read_text())
    meta["task"] = "regression"
    meta["metadata_sha256"] = metadata_sha256(meta)  # valid for the last value
    text = json.dumps(meta).replace('"task": ', '"task": "binary", "task": ', 1)
    (folder / "metadata.json").write_text(text)
    with pytest.raises(
        ValueError, match=r"not valid JSON \(the key 'task' appears twice"
    ):
        nda.load_model(folder)


def test_save_model_refuses_metadata_it_could_not_read_back(tmp_path, monkeypatch):
    monkeypatch.setattr(metadata, "MAX_BYTES", 2000)
    model = nda.build_model("linear_regressor", input_dim=2)
    with pytest.raises(
        ValueError,
        match=r"metadata.json would be \d,\d{3} bytes, more than the 2,000 a "
        r"bundle may hold.*Received: 2 feature names",
    ):
        nda.save_model(model, tmp_path / "b", feature_names=["x" * 500, "y" * 500])
    assert not (tmp_path / "b").exists()
    monkeypatch.undo()
    np.testing.assert_allclose(
        nda.load_model(nda.save_model(model, tmp_path / "b")).predict([[0.0, 0.0]]),
        model.predict(np.zeros((1, 2)), verbose=0)[:, 0],
    )


def _resigned(folder, change):
    meta = json.loads((folder / "metadata.json").read_text())
    change(meta)
    meta["metadata_sha256"] = metadata_sha256(meta)
    (folder / "metadata.json").write_text(json.dumps(meta))  # "\ud800" escaped
    return folder


@pytest.mark.parametrize(
    ("change", "place"),
    [
        (
            lambda m: m.__setitem__("feature_names", ["\ud800", "b"]),
            r"feature_names\[0\]",
        ),
        (lambda m: m.__setitem__("note", {"\udcff": 1}), r"a key of note"),
        (lambda m: m["files"].__setitem__("\ud83d", "0" * 64), r"a key of files"),
    ],
)
def test_a_string_that_is_not_text_is_a_corrupt_bundle(bundle, tmp_path, change, place):
    """JSON's \\ud800 escape reads as a lone surrogate, which no UTF-8 file or
    terminal can hold: class names with one made nda predict fail with
    'TypeError: function takes exactly 5 arguments' and nda evaluate with
    "'utf-8' codec can't encode", feature names never matched a column."""
    folder = _resigned(shutil.copytree(bundle, tmp_path / "b"), change)
    with pytest.raises(
        ValueError,
        match=rf"corrupt or incomplete bundle.*metadata.json holds the string "
        rf"'\\ud[89a-f]\w\w' \({place}\): a lone surrogate",
    ):
        nda.load_model(folder)


def test_save_model_refuses_a_string_that_is_not_text(tmp_path):
    model = nda.build_model("linear_regressor", input_dim=2)
    with pytest.raises(
        ValueError,
        match=r"metadata.json cannot hold the string '\\udcff' \(feature_names\[1\]\)"
        r": a lone surrogate .*errors='replace'.*Received: feature_names\[1\]=",
    ):
        nda.save_model(model, tmp_path / "b", feature_names=["x", "\udcff"])
    with pytest.raises(ValueError, match=r"'\\ud800' \(a key of dataset_info\)"):
        nda.save_model(model, tmp_path / "b", dataset_info={"\ud800": 1})
    assert not (tmp_path / "b").exists()
