"""Saving a bundle never deletes a user's files (issue 21 L1, L3).

A folder is a bundle only if its metadata.json is ours and valid; any other
non-empty folder is refused, naming what it holds. Saving over a real bundle
replaces only the bundle's own files: checkpoints, notes, a file dropped
into saved_model/ stay, as the same files (hard links, same inode).
"""

import json
import os
import shutil

import numpy as np
import pytest

import nda_models as nda
from nda_models.cli import main
from nda_models.export.write import atomic
from nda_models.export.write.bundle_contents import owned_paths, split_contents
from nda_models.export.write.keep_extras import mirror_extras

X = np.array([[1.0, 2.0], [3.0, -1.0]], np.float32)


def _linear(k):
    model = nda.build_model("linear_regressor", input_dim=2)
    model.set_weights([np.full((2, 1), k, np.float32), np.array([-k], np.float32)])
    return model


def _user_folder(folder, *, fake=None):
    """A user's project folder; ``fake`` adds a look-alike bundle file."""
    (folder / "raw").mkdir(parents=True)
    (folder / "raw" / "data.csv").write_text("a,b\n1,2\n")
    (folder / "thesis.tex").write_text("\\section{Results}")
    (folder / "analysis.ipynb").write_text("{}")
    if fake == "model.keras":
        (folder / "model.keras").write_bytes(b"PK\x03\x04 my own keras file")
    elif fake == "metadata.json":
        (folder / "metadata.json").write_text(json.dumps({"title": "my thesis"}))
    elif fake == "foreign-format":
        (folder / "metadata.json").write_text(
            json.dumps({"format": "someone.else", "files": {}})
        )
    return _snapshot(folder)


def _snapshot(folder):
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


@pytest.mark.parametrize(
    "fake", [None, "model.keras", "metadata.json", "foreign-format"]
)
def test_a_folder_that_only_looks_like_a_bundle_is_refused(tmp_path, fake):
    folder = tmp_path / "keras_work"
    before = _user_folder(folder, fake=fake)
    with pytest.raises(
        ValueError,
        match=r"keras_work' is a folder that is not a model bundle .*it holds "
        r"'analysis.ipynb', .*'raw/'.*never replaced",
    ):
        nda.save_model(_linear(1.0), folder)
    assert _snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keras_work"]


def test_a_bundle_with_damaged_metadata_is_not_replaced(tmp_path):
    path = nda.save_model(_linear(1.0), tmp_path / "b")
    text = (
        (path / "metadata.json").read_text().replace('"input_dim": 2', '"input_dim": 3')
    )
    (path / "metadata.json").write_text(text)  # the checksum no longer matches
    with pytest.raises(ValueError, match=r"its metadata.json is not valid nda_models"):
        nda.save_model(_linear(2.0), path)
    assert (path / "metadata.json").read_text() == text


def test_nda_train_refuses_a_project_folder_before_training(tmp_path, capsys):
    folder = tmp_path / "project"
    before = _user_folder(folder, fake="metadata.json")
    code = main(
        ["train", "linear_regressor", "--dataset", "linear_synthetic",
         "--epochs", "1", "--out", str(folder)]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code != 0
    assert err.startswith("nda: error: ") and len(err.strip().splitlines()) == 1
    assert "project' is a folder that is not a model bundle" in err
    assert "'analysis.ipynb', 'metadata.json', 'raw/' and 1 more" in err
    assert _snapshot(folder) == before


def _plant_extras(path):
    (path / "ckpt").mkdir()
    (path / "ckpt" / "ckpt-1.index").write_bytes(b"index")
    (path / "ckpt" / "run_signature.json").write_text("{}")
    (path / "notes.txt").write_text("lr 0.1 was best")
    (path / "results").mkdir()  # an empty folder of the user's
    (path / "saved_model" / "mine.txt").write_text("dropped in here")
    (path / "link.txt").symlink_to("notes.txt")
    return {name: os.lstat(path / name).st_ino for name in ("notes.txt",)}


def test_saving_over_a_bundle_keeps_every_file_that_is_not_the_bundles(tmp_path):
    path = nda.save_model(_linear(1.0), tmp_path / "b", history={"loss": [1.0]})
    inode = _plant_extras(path)
    before = _snapshot(path)
    nda.save_model(_linear(2.0), path)  # no history this time
    np.testing.assert_allclose(nda.load_model(path).predict(X), 2 * (X.sum(1) - 1))
    after = _snapshot(path)
    for name in ("ckpt/ckpt-1.index", "ckpt/run_signature.json", "notes.txt",
                 "saved_model/mine.txt"):  # fmt: skip
        assert after[name] == before[name]
    assert os.lstat(path / "notes.txt").st_ino == inode["notes.txt"]  # same file
    assert (path / "results").is_dir() and os.readlink(path / "link.txt") == "notes.txt"
    assert not (path / "history.csv").exists()  # the old bundle's own file went
    assert [p.name for p in tmp_path.iterdir()] == ["b"]


def test_extras_are_recognised_by_the_bundles_own_file_list(tmp_path):
    path = nda.save_model(_linear(1.0), tmp_path / "b")
    _plant_extras(path)
    files, folders, extras = split_contents(path, owned_paths(path))
    assert "model.keras" in files and "metadata.json" in files
    assert "saved_model/assets" in folders  # TensorFlow's empty folder
    assert extras == [
        "ckpt",
        "link.txt",
        "notes.txt",
        "results",
        "saved_model/mine.txt",
    ]


def test_a_file_named_like_a_bundle_file_is_refused_not_overwritten(tmp_path):
    path = nda.save_model(_linear(1.0), tmp_path / "b")  # no history.csv
    (path / "history.csv").write_text("my own history")
    with pytest.raises(ValueError, match=r"holds 'history.csv', which is not part"):
        nda.save_model(_linear(2.0), path, history={"loss": [0.5]})
    assert (path / "history.csv").read_text() == "my own history"


def test_hostile_metadata_cannot_make_a_save_delete_outside_files(tmp_path):
    from nda_models.export.format.checksums import metadata_sha256

    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    outside = tmp_path / "elsewhere"
    (outside / "variables").mkdir(parents=True)
    (outside / "variables" / "variables.index").write_text("keep me too")
    path = nda.save_model(_linear(1.0), tmp_path / "b")
    (path / "linked").symlink_to(outside, target_is_directory=True)
    meta = json.loads((path / "metadata.json").read_text())
    for name in ("../victim.txt", str(victim), "linked/variables/variables.index"):
        meta["files"][name] = "0" * 64  # listed as the bundle's own files
    meta["metadata_sha256"] = metadata_sha256(meta)
    (path / "metadata.json").write_text(json.dumps(meta))
    nda.save_model(_linear(2.0), path)
    assert victim.read_text() == "keep me"
    assert (outside / "variables" / "variables.index").read_text() == "keep me too"
    assert (path / "linked").is_symlink()  # a link is an extra, kept as a link


def test_nda_train_keeps_checkpoints_inside_the_bundle_folder(tmp_path, capsys):
    out = tmp_path / "B"
    args = ["train", "linear_regressor", "--dataset", "linear_synthetic",
            "--checkpoint-dir", str(out / "ckpt"), "--out", str(out)]  # fmt: skip
    assert main([*args, "--epochs", "1"]) == 0
    checkpoints = sorted(p.name for p in (out / "ckpt").iterdir())
    assert any(name.startswith("ckpt-") for name in checkpoints)
    assert main([*args, "--epochs", "2"]) == 0  # resumes, then replaces B
    assert set(checkpoints) <= {p.name for p in (out / "ckpt").iterdir()}
    assert nda.load_model(out).metadata["task"] == "regression"
    capsys.readouterr()


def test_a_file_that_cannot_be_hard_linked_refuses_the_save(tmp_path, monkeypatch):
    path = nda.save_model(_linear(1.0), tmp_path / "b")
    (path / "notes.txt").write_text("mine")

    def no_links(*args, **kwargs):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    with pytest.raises(ValueError, match=r"Cannot keep 'notes.txt'.*nothing was"):
        nda.save_model(_linear(2.0), path)
    monkeypatch.undo()
    np.testing.assert_allclose(nda.load_model(path).predict(X), X.sum(1) - 1)
    assert (path / "notes.txt").read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["b"]


def test_a_killed_save_gives_the_files_back_at_the_next_save(tmp_path):
    """A save killed after linking the extras but before the swap leaves a
    temporary folder; disposing of it keeps every user file where it is."""
    path = nda.save_model(_linear(1.0), tmp_path / "b")
    _plant_extras(path)
    before = _snapshot(path)
    dead = tmp_path / ".b.nda-tmp-999999999-x"
    shutil.copytree(path, dead, symlinks=True)  # a new bundle ...
    _, _, extras = split_contents(path, owned_paths(path))
    for name in extras:
        if (dead / name).is_dir() and not (dead / name).is_symlink():
            shutil.rmtree(dead / name)
        else:
            (dead / name).unlink()
    mirror_extras(path, dead, extras)  # ... with the extras linked in
    (dead / "arrived.txt").write_text("written into the old folder mid-swap")
    atomic.remove_stale(path)
    assert not dead.exists()
    assert _snapshot(path) == {**before, "arrived.txt": b"written into the old "
                               b"folder mid-swap"}  # fmt: skip
