"""The places of one run must not overlap in ways that lose work (issue 21, L2/L3).

A run writes three places: the bundle B (``--out``), the checkpoint folder C
(``--checkpoint-dir``) and the TensorBoard run folder R (``--logdir``/MODEL/
TIMESTAMP). ``--checkpoint-dir X --out X`` used to train, then fail on the
bundle check, and fail again on every re-run. The rules, checked before
anything is trained or written:

- C = B: refused. B inside C: refused (the checkpoint folder is the run's,
  deleted to start afresh; a bundle does not belong in it).
- C inside B: allowed as a direct sub-folder, which the bundle writer keeps
  when it replaces B (L3); deeper, or under one of the bundle's own names
  (``saved_model``...), refused.
- R inside B (``--logdir`` = B, inside B, or B = logdir/MODEL): refused.
- R inside C, and B inside the log root beside the MODEL folder: allowed.

The same folder spelled differently (``./X/``, absolute, a symbolic link)
is the same folder.
"""

import os
import re

import pytest

from nda_models.cli.main import main
from nda_models.workflows import train_model

QUICK = ["--quiet", "--epochs", "1"]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x").mkdir()  # an empty folder: a bundle may go there
    (tmp_path / "link_to_x").symlink_to(tmp_path / "x", target_is_directory=True)
    return tmp_path


def _nothing_written(workdir):
    assert sorted(os.listdir(workdir)) == ["link_to_x", "x"]
    assert os.listdir(workdir / "x") == []


def _train(*argv):
    return main(["train", "linear_regressor", *QUICK, *argv])


def _error_line(capsys):
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("nda: ")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


REFUSED = [
    # C = B, however spelled
    (["--checkpoint-dir", "x", "--out", "x"], "is also the bundle folder"),
    (["--checkpoint-dir", "./x/", "--out", "x"], "is also the bundle folder"),
    (["--checkpoint-dir", "{abs}/x", "--out", "x"], "is also the bundle folder"),
    (["--checkpoint-dir", "link_to_x", "--out", "x"], "is also the bundle folder"),
    # B inside C
    (["--checkpoint-dir", "x", "--out", "x/model"], "inside the checkpoint folder"),
    # C inside B, but not as a direct sub-folder the bundle keeps
    (["--checkpoint-dir", "x/a/ck", "--out", "x"], "direct sub-folder"),
    (["--checkpoint-dir", "x/saved_model", "--out", "x"], "bundle's own"),
    (["--checkpoint-dir", "x/model.keras", "--out", "x"], "bundle's own"),
    # R inside B
    (["--logdir", "x", "--out", "x"], "TensorBoard run folders"),
    (["--logdir", "x/runs", "--out", "x"], "TensorBoard run folders"),
    (["--logdir", "runs", "--out", "runs/linear_regressor"], "TensorBoard run"),
]


@pytest.mark.parametrize("argv, match", REFUSED)
def test_overlapping_places_are_refused_before_training(workdir, capsys, argv, match):
    argv = [a.replace("{abs}", str(workdir)) for a in argv]
    if "--logdir" not in argv:
        argv += ["--logdir", "runs"]
    assert _train(*argv) == 2
    line = _error_line(capsys)
    assert line.startswith("nda: error: ") and re.search(match, line), line
    _nothing_written(workdir)


def test_train_model_refuses_the_same_folder_from_python(workdir):
    with pytest.raises(ValueError, match="checkpoint_dir .* is also the bundle"):
        train_model("linear_regressor", logdir=None, verbose=0, epochs=1,
                    out="x", checkpoint_dir="x")  # fmt: skip
    with pytest.raises(ValueError, match="TensorBoard run folders .* out="):
        train_model("linear_regressor", logdir="x", verbose=0, epochs=1, out="x")
    _nothing_written(workdir)


def test_checkpoints_inside_the_bundle_folder_survive_its_replacement(workdir):
    """L3 end to end: ``--checkpoint-dir B/ckpt --out B`` twice; the second run
    resumes from the checkpoints and replaces the bundle, keeping them."""
    run = ["--logdir", "runs", "--out", "b", "--checkpoint-dir", "b/ckpt"]
    assert _train(*run) == 0
    assert (workdir / "b" / "metadata.json").exists()
    first = sorted(p.name for p in (workdir / "b" / "ckpt").glob("ckpt-*.index"))
    assert first == ["ckpt-1.index"]
    assert main(["train", "linear_regressor", "--quiet", "--epochs", "2", *run]) == 0
    kept = sorted(p.name for p in (workdir / "b" / "ckpt").glob("ckpt-*.index"))
    assert kept == ["ckpt-1.index", "ckpt-2.index"]  # resumed: one more epoch
    assert (workdir / "b" / "ckpt" / "run_signature.json").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["--logdir", "x", "--checkpoint-dir", "x", "--out", "b"],  # R inside C
        ["--logdir", "runs", "--checkpoint-dir", "ck", "--out", "runs/b"],
    ],
)
def test_harmless_overlaps_train(workdir, argv):
    assert _train(*argv) == 0
    out = argv[argv.index("--out") + 1]
    assert (workdir / out / "metadata.json").exists()
