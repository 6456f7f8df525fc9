"""A closed pipe (``nda … | head``) ends the command quietly, as Unix tools do.

No ``nda: error`` line, no traceback, no "Exception ignored" at exit, and the
shell's exit status of a process ended by SIGPIPE: 141 (128 + 13). Each test
uses a real pipe whose reading end is closed (before the command writes, or
after its first line).
"""

import os
import pathlib
import signal
import subprocess
import sys

import pytest

import nda_models as nda

NDA = [str(pathlib.Path(sys.executable).with_name("nda"))]  # the venv's command
CLOSED_PIPE = 128 + signal.SIGPIPE
ENV = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")


def _into_a_closed_pipe(argv, cwd):
    """Runs ``nda argv`` with stdout a pipe nobody reads any more."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [*NDA, *argv], stdout=write, stderr=subprocess.PIPE, text=True,
            cwd=cwd, env=ENV, timeout=600,
        )  # fmt: skip
    finally:
        os.close(write)
    return done.returncode, done.stderr


def _assert_quiet(code, err):
    assert code == CLOSED_PIPE, err
    assert "nda: error" not in err and "Traceback" not in err, err
    assert "Exception ignored" not in err and "BrokenPipeError" not in err, err


@pytest.mark.parametrize("argv", [["list"], ["datasets"], ["describe", "perceptron"]])
def test_listing_into_a_closed_pipe_ends_quietly(argv, tmp_path):
    _assert_quiet(*_into_a_closed_pipe(argv, tmp_path))


def test_predict_into_a_closed_pipe_ends_quietly(tmp_path):
    model = nda.build_model("linear_regressor", input_dim=2)
    nda.save_model(model, tmp_path / "bundle", feature_names=["a", "b"])
    rows = "\n".join(f"{i},{-i}" for i in range(2000))
    (tmp_path / "in.csv").write_text(f"a,b\n{rows}\n")
    argv = ["predict", "bundle", "--input", "in.csv"]
    _assert_quiet(*_into_a_closed_pipe(argv, tmp_path))


def test_train_printing_progress_into_a_pipe_closed_after_one_line(tmp_path):
    """``nda train … | head -1``: one plain epoch line, then the reader goes."""
    process = subprocess.Popen(
        [*NDA, "train", "linear_regressor", "--epochs", "2000", "--batch-size",
         "600", "--logdir", "runs", "--out", "bundle", "--checkpoint-dir", "ck"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=ENV,
    )  # fmt: skip
    first = process.stdout.readline().decode()
    process.stdout.close()  # as `head -1` does after its line
    err = process.stderr.read().decode()
    process.wait(timeout=600)
    assert first.startswith("Epoch 1/2000 - ") and "\r" not in first, first
    _assert_quiet(process.returncode, err)
    assert not (tmp_path / "bundle").exists()  # the run did not finish
