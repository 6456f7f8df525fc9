"""The command line fails well: one line on stderr, exit 2 (input) or 1 (runtime).

Also: a diverging run writes nothing NaN and keeps the last good bundle, and
Ctrl-C during ``nda train --checkpoint-dir`` leaves a checkpoint that the
same command resumes from.
"""

import os
import re
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from nda_models.cli.main import main

QUICK = ["--quiet", "--epochs", "1"]


def _one_error_line(capsys):
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("nda: ")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a_file").write_text("not a folder")
    (tmp_path / "a_folder").mkdir()
    (tmp_path / "binary.csv").write_bytes(b"\xff\xfe\x00\x01\x80garbage\n\xff")
    return tmp_path


@pytest.mark.parametrize(
    "argv, match",
    [
        (["--dataset", "csv:missing.csv"], "does not exist"),
        (["--dataset", "csv:a_folder"], "is a directory"),
        (["--dataset", "csv:binary.csv"], "not utf-8 text"),
        (["--out", "a_file/bundle"], "cannot write --out .* is a file"),
        (["--logdir", "a_file/runs"], "cannot write --logdir .* is a file"),
        (["--checkpoint-dir", "a_file/ck"], "cannot write --checkpoint-dir"),
    ],
)
def test_bad_input_and_unwritable_folders_exit_2_with_one_line(
    workdir, capsys, argv, match
):
    code = main(["train", "linear_regressor", *QUICK, "--logdir", "runs", *argv])
    assert code == 2
    assert not (workdir / "saved_models").exists()  # failed before training
    line = _one_error_line(capsys)
    assert line.startswith("nda: error: ")
    assert re.search(match, line), line


def test_bad_option_value_is_an_argparse_error_exit_2(workdir, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "linear_regressor", "--checkpoint-every", "0"])
    assert exit_info.value.code == 2
    assert "expected an integer >= 1" in capsys.readouterr().err


def test_debug_shows_the_traceback(workdir):
    with pytest.raises(FileNotFoundError):
        main(["--debug", "train", "linear_regressor", "--dataset", "csv:missing.csv"])


def test_predict_input_errors_exit_2(workdir, capsys):
    assert main(["train", "linear_regressor", *QUICK, "--out", "bundle"]) == 0
    capsys.readouterr()
    for name in ("missing.csv", "a_folder", "binary.csv"):
        assert main(["predict", "bundle", "--input", name]) == 2
        assert name in _one_error_line(capsys)


def test_predict_refuses_a_wrong_extension(workdir, capsys):
    assert main(["train", "linear_regressor", *QUICK, "--out", "bundle"]) == 0
    (workdir / "features.json").write_text('{"x1": [1.0], "x2": [2.0]}')
    capsys.readouterr()
    assert main(["predict", "bundle", "--input", "features.json"]) == 2
    assert "--input must name a .csv file" in _one_error_line(capsys)
    (workdir / "ok.csv").write_text("x1,x2\n1.0,2.0\n")
    assert main(["predict", "bundle", "--input", "ok.csv", "--output", "out.xlsx"]) == 2
    assert "--output must name a .csv file" in _one_error_line(capsys)
    assert not (workdir / "out.xlsx").exists()


@pytest.mark.parametrize("optimizer", [[], ["--optimizer", "sgd"]], ids=["adam", "sgd"])
def test_divergence_exits_1_and_keeps_the_good_bundle_and_checkpoints(
    workdir, capsys, optimizer
):
    """mlp_classifier at η = 1e6: with the recipe's Adam the loss explodes but
    stays finite (caught by divergence_factor); with SGD it becomes NaN."""
    import tensorflow as tf

    good = ["train", "mlp_classifier", *QUICK, "--hidden", "8", "--out", "bundle"]
    assert main([*good, "--checkpoint-dir", "good_ck"]) == 0
    before = (workdir / "bundle" / "metadata.json").read_bytes()
    capsys.readouterr()
    code = main(
        [*good, *optimizer, "--learning-rate", "1e6",
         "--checkpoint-dir", "bad_ck", "--checkpoint-every", "1"]
    )  # fmt: skip
    assert code == 1
    line = _one_error_line(capsys)
    assert "diverged at step" in line and "learning_rate=1e+06" in line
    assert "smaller learning_rate" in line
    assert (workdir / "bundle" / "metadata.json").read_bytes() == before
    for index in [*workdir.glob("good_ck/*.index"), *workdir.glob("bad_ck/*.index")]:
        reader = tf.train.load_checkpoint(str(index)[: -len(".index")])
        for name in reader.get_variable_to_shape_map():
            value = reader.get_tensor(name)
            if isinstance(value, np.ndarray) and value.dtype.kind == "f":
                assert np.all(np.isfinite(value)), (index, name)


def test_resuming_with_other_settings_exits_2_with_the_difference(workdir, capsys):
    run = ["train", "linear_regressor", *QUICK, "--checkpoint-dir", "ck"]
    assert main(run) == 0
    capsys.readouterr()
    assert main([*run, "--batch-size", "7"]) == 2
    assert "trainer.batch_size: 32 → 7" in _one_error_line(capsys)


def test_ctrl_c_keeps_a_checkpoint_and_the_same_command_resumes(tmp_path):
    command = [
        sys.executable, "-m", "nda_models.cli.main", "train", "mlp_classifier",
        "--quiet", "--epochs", "30", "--hidden", "16", "--logdir", "runs",
        "--out", "bundle", "--checkpoint-dir", "ck", "--checkpoint-every", "10",
    ]  # fmt: skip
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        # A background job (CI) inherits SIGINT ignored: give the child the default.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    while not (tmp_path / "ck" / "checkpoint").exists() and process.poll() is None:
        time.sleep(0.005)
    # Stopped at its first checkpoint, the run cannot finish its 30 epochs
    # before the Ctrl-C: SIGINT waits while it is stopped and is delivered
    # first thing when it continues (no race, however fast the machine).
    process.send_signal(signal.SIGSTOP)
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGCONT)
    _, err = process.communicate()
    assert process.returncode == 130, err[-2000:]
    lines = [line for line in err.splitlines() if line.startswith("nda: ")]
    assert len(lines) == 1 and "Traceback" not in err
    assert "the last checkpoint is in ck: run the same command again" in lines[0]
    assert not list((tmp_path / "ck").glob("*_temp*"))
    assert not (tmp_path / "bundle").exists()  # stopped mid-run, nothing exported
    rerun = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert (tmp_path / "bundle" / "metadata.json").exists()
