"""The command line and workflows under attack: inputs, output places, Ctrl-C.

Defects found by an adversarial run (issue 12); each test failed before its
fix. Output locations are checked before any training: a failure after
minutes of training would lose the trained model.
"""

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

import nda_models as nda
from nda_models.cli import main
from nda_models.workflows import train_model, tune


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    model = nda.build_model("linear_regressor", input_dim=2)
    path = tmp_path_factory.mktemp("cli") / "reg"
    return nda.save_model(model, path, feature_names=["a", "b"])


def _one_line_error(capsys):
    err = capsys.readouterr().err
    assert err.startswith("nda: error:") and err.count("\n") == 1, err
    return err


def test_predict_refuses_a_repeated_column_header(bundle, tmp_path, capsys):
    csv = tmp_path / "in.csv"
    csv.write_text("a,b,a\n1.0,2.0,3.0\n")
    assert main(["predict", str(bundle), "--input", str(csv)]) == 2
    err = _one_line_error(capsys)
    assert f"CSV file '{csv}' has duplicate column names: 'a' at columns [1, 3]" in err


def test_the_api_refuses_the_same_repeated_columns(bundle):
    frame = pd.DataFrame([[1.0, 2.0, 3.0]], columns=["a", "b", "a"])
    with pytest.raises(ValueError, match=r"repeated column names.*\['a'\]"):
        nda.load_model(bundle).predict(frame)


def test_train_out_on_a_non_bundle_folder_fails_before_training(tmp_path, capsys):
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.tex").write_text("user data")
    argv = ["train", "perceptron", "--epochs", "1", "--out", str(out),
            "--logdir", str(tmp_path / "runs"), "--quiet"]  # fmt: skip
    assert main(argv) == 2
    err = _one_line_error(capsys)
    assert "not a model bundle" in err
    assert not (tmp_path / "runs").exists()  # nothing was trained
    assert (out / "chapter1.tex").read_text() == "user data"


def test_train_model_checks_the_bundle_place_before_training(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        train_model("perceptron", out=blocker / "bundle", logdir=tmp_path / "runs")
    assert not (tmp_path / "runs").exists()


def test_tune_checks_every_output_place_before_training(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    grid = {"learning_rates": [0.1], "batch_sizes": [8], "epochs": 1}
    with pytest.raises(ValueError, match=r"cannot write out .*is a file"):
        tune("perceptron", out=blocker / "tuning", logdir=tmp_path / "r1", **grid)
    assert not (tmp_path / "r1").exists()
    user = tmp_path / "mine"
    user.mkdir()
    (user / "notes.txt").write_text("user data")
    with (
        pytest.raises(ValueError, match="not a model bundle"),
        pytest.deprecated_call(match=r"tune\(bundle=\.\.\.\) is deprecated"),
    ):
        tune("perceptron", bundle=user, logdir=tmp_path / "r2", **grid)
    assert not (tmp_path / "r2").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_tune_out_in_a_read_only_folder_fails_before_training(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        with pytest.raises(ValueError, match="is not writable"):
            tune("perceptron", learning_rates=[0.1], batch_sizes=[8], epochs=1,
                 out=locked / "tuning", logdir=tmp_path / "r")  # fmt: skip
    finally:
        locked.chmod(0o755)
    assert not (tmp_path / "r").exists()


def _tensorflow_is_loading(pid):
    try:
        with open(f"/proc/{pid}/maps") as maps:
            return "libtensorflow" in maps.read()
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_ctrl_c_while_tensorflow_loads_exits_130_with_one_line(tmp_path):
    code = "import sys; from nda_models.cli import main; sys.exit(main())"
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    process = subprocess.Popen(
        [sys.executable, "-c", code, "train", "perceptron", "--epochs", "1",
         "--out", str(tmp_path / "b"), "--logdir", str(tmp_path / "r"), "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        # A background job inherits SIGINT ignored: give the child the default.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    while not _tensorflow_is_loading(process.pid) and process.poll() is None:
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)  # TensorFlow is being imported now
    _, err = process.communicate()
    assert process.returncode == 130, err
    assert err == "nda: error: interrupted\n"


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        ("-1", r"`seed` must be an integer in \[0, 4294967295\]"),
        ("4294967296", r"`seed` must be an integer in \[0, 4294967295\]"),
    ],
)
def test_a_bad_seed_is_named_as_such(seed, message, tmp_path, capsys):
    argv = ["train", "perceptron", "--seed", seed, "--out", str(tmp_path / "b"),
            "--quiet"]  # fmt: skip
    assert main(argv) == 2
    err = _one_line_error(capsys)
    assert "stratify" not in err and ".." not in err
    assert pytest.importorskip("re").search(message, err), err


def test_a_failed_split_has_one_period_and_the_right_hint():
    from nda_models.data.splits import cut_rows

    x = pd.DataFrame({"a": range(4)}).to_numpy()
    with pytest.raises(ValueError, match=r"instead\. Use more rows") as caught:
        cut_rows(x, x[:, 0] % 2, 0.25, False, 2**33)
    assert ".." not in str(caught.value)
