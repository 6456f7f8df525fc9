"""An earlier run's bundle is never replaced without a word (issue 21).

``nda train`` and ``nda demo`` replace the bundle at their output when the
new one is ready (``nda tune``: ``tests/test_tune_results.py``); before
training they name the bundle they will replace.
"""

from nda_models.cli import main
from nda_models.workflows.tour import tour


def test_nda_train_names_the_bundle_it_replaces(tmp_path, capsys):
    argv = ["train", "perceptron", "--epochs", "1", "--quiet",
            "--out", str(tmp_path / "b"), "--logdir", str(tmp_path / "r")]  # fmt: skip
    assert main(argv) == 0
    first = capsys.readouterr()
    assert "note" not in first.err and "replaced" not in first.out
    assert main([*argv, "--epochs", "2"]) == 0
    second = capsys.readouterr()
    assert second.err.startswith(
        f"note: {tmp_path / 'b'} holds a perceptron bundle trained on "
        "iris_setosa, saved 20"
    )
    assert "this run replaces it when training ends (give another --out to " in (
        second.err
    )
    assert "(replaced the earlier one)" in second.out


def test_the_demo_names_each_bundle_it_replaces(tmp_path):
    lines = []
    places = {"saved_models": tmp_path / "sm", "logdir": None, "epochs": 1}
    tour(models=["perceptron"], printer=lines.append, **places)
    assert lines[0] == "training perceptron ..."
    lines.clear()
    tour(models=["perceptron"], printer=lines.append, **places)
    assert lines[0].startswith(
        f"training perceptron ... (replaces {tmp_path / 'sm' / 'perceptron'}: a "
        "perceptron bundle trained on iris_setosa, saved 20"
    )
