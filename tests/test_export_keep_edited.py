"""A bundle owns its files only as it wrote them (attack on issue 21 L1).

``save_model`` replaces the files a bundle's metadata.json lists. A listed
name proves nothing once the file has changed: a user who copied a bundle's
metadata.json into a folder holding their own ``model.keras``, or who edited
a bundle's ``history.csv``, must not lose that file. A listed file is the
bundle's only if it is a regular file with the SHA-256 recorded for it;
anything else under a bundle file's name refuses the save, naming it.
"""

import os
import shutil

import numpy as np
import pytest

import nda_models as nda

X = np.array([[1.0, 2.0], [3.0, -1.0]], np.float32)


def _linear(k):
    model = nda.build_model("linear_regressor", input_dim=2)
    model.set_weights([np.full((2, 1), k, np.float32), np.array([-k], np.float32)])
    return model


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """A bundle with a history, copied afresh by each test."""
    folder = tmp_path_factory.mktemp("saved") / "b"
    return nda.save_model(_linear(1.0), folder, history={"loss": [1.0, 0.5]})


def _copy(bundle, tmp_path):
    return shutil.copytree(bundle, tmp_path / "b", symlinks=True)


def test_a_copied_metadata_file_does_not_make_a_users_model_the_bundles(
    bundle, tmp_path
):
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(bundle / "metadata.json", folder)  # a record of an earlier run
    mine = b"PK\x03\x04 three weeks of training"
    (folder / "model.keras").write_bytes(mine)
    (folder / "thesis.tex").write_text("\\section{Results}")
    with pytest.raises(
        ValueError,
        match=r"holds 'model.keras', which differs from the file its metadata.json "
        r"lists \(edited or replaced since the bundle was saved\).*Received: ",
    ):
        nda.save_model(_linear(2.0), folder)
    assert (folder / "model.keras").read_bytes() == mine
    assert (folder / "thesis.tex").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


@pytest.mark.parametrize("name", ["history.csv", "saved_model/saved_model.pb"])
def test_an_edited_bundle_file_is_kept_and_the_save_refused(bundle, tmp_path, name):
    path = _copy(bundle, tmp_path)
    (path / name).write_bytes(b"my analysis, added by hand")
    with pytest.raises(ValueError, match=rf"holds '{name}', which differs from"):
        nda.save_model(_linear(2.0), path, history={"loss": [0.1]})
    assert (path / name).read_bytes() == b"my analysis, added by hand"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]


def test_a_fifo_under_a_listed_name_is_refused_without_opening_it(bundle, tmp_path):
    path = _copy(bundle, tmp_path)
    (path / "history.csv").unlink()
    os.mkfifo(path / "history.csv")  # opening it for the checksum would hang
    with pytest.raises(ValueError, match=r"holds 'history.csv', which differs"):
        nda.save_model(_linear(2.0), path)
    assert (path / "history.csv").is_fifo()


def test_an_unchanged_bundle_is_still_replaced(bundle, tmp_path):
    path = _copy(bundle, tmp_path)
    (path / "notes.txt").write_text("mine")
    nda.save_model(_linear(2.0), path)
    np.testing.assert_allclose(nda.load_model(path).predict(X), 2 * (X.sum(1) - 1))
    assert not (path / "history.csv").exists()  # the old bundle's own file went
    assert (path / "notes.txt").read_text() == "mine"
