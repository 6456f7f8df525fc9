"""Nothing is lost at the outputs: attacks on every single-file writer.

What a careless or hostile user does to an output (issue 21's list, not
attacked before): names a file of a bundle (``--export B/history.csv``
corrupted the bundle), names the input (``--input x.csv --output x.csv``
replaced the data with its predictions), kills the writer with kill -9
(its temporary stayed for good), fills the disk (``ulimit -f``: a bare
``OSError: [Errno 27] File too large`` or a TensorFlow ``SaveV2`` message),
and reads predictions on a terminal (a bundle's class names reached it raw).
All writers share ``core.atomic_file``; the commands are tested where the
behaviour is theirs.
"""

import errno
import io
import os
import resource
import signal
import subprocess
import sys
import textwrap
import weakref

import pandas as pd
import pytest
from runs_support import write_hand_runs
from support import cli_error

import nda_models as nda
from nda_models.callbacks import ModelExport
from nda_models.cli import main
from nda_models.core.atomic_file import atomic_path, write_failure
from nda_models.export.format.checksums import file_sha256
from nda_models.export.write.atomic import write_atomically
from nda_models.workflows import train_model, tune
from nda_models.workflows.tuning_outputs import point_latest

NDA = os.path.join(os.path.dirname(sys.executable), "nda")
ESCAPE = "\x1b[2J\x1b]0;owned\x07"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    model = nda.build_model("logistic_neuron", input_dim=2)
    path = tmp_path_factory.mktemp("owned") / "neuron"
    history = {"loss": [0.7, 0.5]}
    names = [f"{ESCAPE}n", "=HYPERLINK(1)"]
    return nda.save_model(
        model, path, feature_names=["a", "b"], class_names=names, history=history
    )


@pytest.fixture
def rows(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("a,b\n0.5,1.0\n-1.0,2.0\n")
    return path


def _digests(folder):
    return {p: file_sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    "name", ["history.csv", "metadata.json", "model.onnx", "saved_model/saved_model.pb"]
)
def test_a_file_of_a_bundle_is_refused_and_the_bundle_still_loads(bundle, name):
    before = _digests(bundle)
    with pytest.raises(ValueError, match="it is a file of the model bundle"):
        with atomic_path(bundle / name, "--export") as temp:
            temp.write_text("x")
    assert _digests(bundle) == before
    assert nda.load_model(bundle).class_names[1] == "=HYPERLINK(1)"


def test_a_new_file_inside_a_bundle_is_an_extra_and_is_written(bundle):
    with atomic_path(bundle / "notes.csv") as temp:
        temp.write_text("a\n")
    assert (bundle / "notes.csv").read_text() == "a\n"
    (bundle / "notes.csv").unlink()


def test_the_commands_refuse_a_bundle_file_before_their_work(bundle, rows, capsys):
    history = bundle / "history.csv"
    before = history.read_bytes()
    for argv in (
        ["datasets", "iris_setosa", "--export", str(history)],
        ["predict", str(bundle), "--input", str(rows), "--output", str(history)],
    ):
        err = cli_error(main, argv, capsys)
        assert "it is a file of the model bundle" in err and str(bundle) in err
    assert history.read_bytes() == before


def test_predict_refuses_its_own_input_by_any_name(bundle, rows, capsys):
    data = rows.read_bytes()
    link = rows.parent / "link.csv"
    link.symlink_to(rows)
    for output in (str(rows), str(rows.parent / "." / rows.name), str(link)):
        argv = ["predict", str(bundle), "--input", str(rows), "--output", output]
        err = cli_error(main, argv, capsys)
        assert "is the file --input reads" in err, err
    assert rows.read_bytes() == data


def test_datasets_refuses_to_export_over_the_csv_it_reads(tmp_path, capsys):
    data = tmp_path / "data.csv"
    data.write_text("x,y\n1,2\n3,4\n5,6\n7,8\n9,10\n")
    err = cli_error(main, ["datasets", f"csv:{data}", "--export", str(data)], capsys)
    assert "is the file NAME reads" in err
    assert data.read_text() == "x,y\n1,2\n3,4\n5,6\n7,8\n9,10\n"


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_predict_on_a_terminal_shows_control_characters_escaped(
    bundle, rows, monkeypatch, capsys
):
    monkeypatch.setattr(sys, "stdout", _Terminal())
    assert main(["predict", str(bundle), "--input", str(rows)]) == 0
    shown = sys.stdout.getvalue()
    assert "\x1b" not in shown and "\x07" not in shown
    assert "\\x1b[2J\\x1b]0;owned\\x07n" in shown
    frame = pd.read_csv(io.StringIO(shown))
    assert set(frame["prediction"]) <= {"\\x1b[2J\\x1b]0;owned\\x07n", "'=HYPERLINK(1)"}


def test_predict_into_a_pipe_keeps_the_names_as_data(bundle, rows, capsys):
    assert main(["predict", str(bundle), "--input", str(rows)]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert f"probability_{ESCAPE}n" in frame.columns  # a file's bytes, unchanged
    assert set(frame["prediction"]) <= {f"{ESCAPE}n", "'=HYPERLINK(1)"}


WRITER = textwrap.dedent(
    """
    import sys, time
    from nda_models.core.atomic_file import atomic_path
    with atomic_path(sys.argv[1]) as temp:
        temp.write_text("half")
        print(temp.name, flush=True)
        time.sleep(600)
    """
)


def test_kill_9_mid_write_keeps_the_old_file_and_the_next_write_cleans_up(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old")
    user_files = [".table.backup.tmp.csv", ".table.12.tmp.csv", "table.csv.tmp"]
    for name in user_files:
        (tmp_path / name).write_text("mine")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True
    )
    temp = writer.stdout.readline().strip()
    assert (tmp_path / temp).read_text() == "half"
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    writer.stdout.close()
    assert target.read_text() == "old" and (tmp_path / temp).exists()
    with atomic_path(target) as new:
        new.write_text("new")
    assert target.read_text() == "new"
    assert sorted(os.listdir(tmp_path)) == sorted([*user_files, "table.csv"])


def test_a_running_writers_temporary_is_left_alone(tmp_path):
    target = tmp_path / "table.csv"
    other = tmp_path / f".table.{os.getppid()}.abcdefgh.tmp.csv"
    other.write_text("being written")
    with atomic_path(target) as new:
        new.write_text("new")
    assert other.read_text() == "being written"


def _limited(limit):
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_keeps_the_old_export_and_says_so_in_one_line(tmp_path):
    target = tmp_path / "digits.csv"
    target.write_text("old")
    done = subprocess.run(
        [NDA, "datasets", "digits", "--export", str(target)],
        capture_output=True,
        text=True,
        preexec_fn=_limited(20_000),
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        f"nda: error: cannot write --export {str(target)!r}: the file-size limit "
        "(ulimit -f) is reached; the old one is kept. Free space or raise the "
        "limit, then run again."
    )
    assert "Traceback" not in done.stderr
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["digits.csv"]


SAVE = textwrap.dedent(
    """
    import resource, sys
    import nda_models as nda
    model = nda.build_model("perceptron", input_dim=2)
    nda.save_model(model, sys.argv[1])  # the old bundle
    resource.setrlimit(resource.RLIMIT_FSIZE, (8_000, 8_000))
    try:
        nda.save_model(nda.build_model("perceptron", input_dim=2), sys.argv[1])
    except OSError as error:
        print(error.strerror)
    """
)


def test_a_full_disk_during_a_save_keeps_the_old_bundle(tmp_path):
    out = tmp_path / "bundle"
    done = subprocess.run(
        [sys.executable, "-c", SAVE, str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines()[-1] == (
        f"cannot write the bundle {str(out)!r}: the file-size limit (ulimit -f) is "
        "reached; the bundle there is kept. Free space or raise the limit, then "
        "run again."
    )
    assert nda.load_model(out).metadata["registry_name"] == "perceptron"
    assert os.listdir(tmp_path) == ["bundle"]


def test_a_full_disk_in_training_is_one_line_naming_the_file(tmp_path):
    argv = [NDA, "train", "perceptron", "--epochs", "1", "--quiet"]
    argv += ["--out", str(tmp_path / "b"), "--logdir", str(tmp_path / "runs")]
    done = subprocess.run(
        argv, capture_output=True, text=True, preexec_fn=_limited(8_000), check=False
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    last = done.stderr.splitlines()[-1]
    assert last.startswith(
        "nda: error: a write failed: the file-size limit (ulimit -f) is reached ("
    )
    assert "events.out.tfevents" in last and "; File too large)" in last
    assert not (tmp_path / "b").exists()


def test_tensorflows_words_for_a_full_disk_are_recognised():
    # What SaveV2 raised under ulimit -f (a tf.errors.OutOfRangeError).
    error = RuntimeError(
        "{{function_node __wrapped__SaveV2}} ck/ckpt-1_temp/part-00000-of-00001"
        ".data-00000-of-00001.tempstate1; File too large [Op:SaveV2]"
    )
    failure = write_failure(error, "a checkpoint in", "ck", "the checkpoints stay")
    assert failure.errno == errno.EFBIG
    assert failure.strerror.startswith("cannot write a checkpoint in 'ck': the file")
    full = write_failure(OSError(errno.ENOSPC, "No space left on device"), "x", "p")
    assert "the disk is full" in full.strerror
    assert write_failure(OSError(errno.EACCES, "Permission denied"), "x", "p") is None


def test_model_export_refuses_a_users_folder_before_training(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("mine")
    with pytest.raises(ValueError, match="is a folder that is not a model bundle"):
        ModelExport(tmp_path / "mine")
    assert os.listdir(tmp_path / "mine") == ["thesis.tex"]


def test_tune_leaves_a_users_latest_link_alone(tmp_path):
    model_folder = tmp_path / "tuning" / "perceptron"
    runs = [model_folder / f"20261202-090000-00000{i}" for i in (1, 2, 3)]
    for run in runs:
        run.mkdir(parents=True)
    latest = model_folder / "latest"
    point_latest(runs[0])
    point_latest(runs[1])  # ours: replaced by the next run
    assert os.readlink(latest) == runs[1].name
    latest.unlink()
    latest.symlink_to(tmp_path)  # the user's own link named latest
    point_latest(runs[2])
    assert os.readlink(latest) == str(tmp_path)


def test_ctrl_c_during_a_save_is_delivered_once_the_bundle_is_whole(tmp_path):
    """Keras and TensorFlow run weakref callbacks while saving: a Ctrl-C that
    lands in one was printed as "Exception ignored" and lost (the run went on
    and `nda train` exited 0); it is now held back and raised after."""
    path = tmp_path / "bundle"

    def write(folder):
        (folder / "metadata.json").write_text("{}")
        doomed = type("Doomed", (), {})()
        alarm = weakref.ref(doomed, lambda _: os.kill(os.getpid(), signal.SIGINT))
        del doomed  # the callback runs here, and the SIGINT with it
        assert alarm() is None
        (folder / "model.keras").write_text("k")

    with pytest.raises(KeyboardInterrupt):
        write_atomically(path, write)
    assert sorted(os.listdir(path)) == ["metadata.json", "model.keras"]
    assert os.listdir(tmp_path) == ["bundle"]


@pytest.mark.parametrize("place", ["results", "logdir"])
def test_a_file_named_after_the_model_is_refused_before_the_grid(tmp_path, place):
    """runs/perceptron (or tuning/perceptron) a user's file: TensorBoard's
    writer failed with a TensorFlow error, and the tables only after the
    whole grid had run."""
    mine = tmp_path / place / "perceptron"
    mine.parent.mkdir()
    mine.write_text("mine")
    places = {"results": tmp_path / "r", "logdir": tmp_path / "l", place: mine.parent}
    with pytest.raises(ValueError, match=f"cannot write {place} .* is a file, not a"):
        tune("perceptron", learning_rates=[0.1], batch_sizes=[16], epochs=1,
                 out=tmp_path / "b", **places)  # fmt: skip
    assert mine.read_text() == "mine" and not (tmp_path / "b").exists()


def test_train_refuses_a_file_named_after_the_model_in_logdir(tmp_path):
    (tmp_path / "perceptron").write_text("mine")
    with pytest.raises(ValueError, match="cannot write logdir .* is a file, not a"):
        train_model("perceptron", logdir=tmp_path, epochs=1, verbose=0)
    assert (tmp_path / "perceptron").read_text() == "mine"


def test_runs_refuses_two_exports_into_one_file_through_a_link(tmp_path, capsys):
    (tmp_path / "logs").mkdir()
    scalars = tmp_path / "scalars.csv"
    scalars.write_text("mine")
    (tmp_path / "hparams.csv").symlink_to(scalars)
    argv = ["runs", str(tmp_path / "logs"), "--export", str(scalars)]
    err = cli_error(
        main, [*argv, "--hparams-export", str(tmp_path / "hparams.csv")], capsys
    )
    assert "--export and --hparams-export name the same file" in err
    assert scalars.read_text() == "mine"


def test_a_read_only_file_is_refused_as_open_would_refuse_it(tmp_path, capsys):
    """chmod a-w protects a file from open(); the rename over it ignored that
    (the folder is writable), so --export replaced the protected file."""
    kept = tmp_path / "kept.csv"
    kept.write_text("mine")
    kept.chmod(0o444)
    err = cli_error(main, ["datasets", "iris_setosa", "--export", str(kept)], capsys)
    assert "it is a read-only file (mode 0444)" in err and "chmod u+w" in err
    link = tmp_path / "link.csv"
    link.symlink_to(kept)
    with pytest.raises(ValueError, match="a symbolic link to .* a read-only file"):
        with atomic_path(link, "--output") as temp:
            temp.write_text("new")
    assert kept.read_text() == "mine" and sorted(os.listdir(tmp_path)) == [
        "kept.csv",
        "link.csv",
    ]


@pytest.mark.parametrize("name", ["run_signature.json", "tensorboard_run.json"])
def test_a_users_file_named_like_a_run_record_is_kept(tmp_path, name):
    """A fresh --checkpoint-dir holding a user's run_signature.json or
    tensorboard_run.json: both were silently replaced by the run's own."""
    folder = tmp_path / "ckpt"
    folder.mkdir()
    (folder / name).write_text("my notes")
    with pytest.raises(RuntimeError, match=f"{name} is not .* someone's file"):
        train_model("perceptron", epochs=1, verbose=0, logdir=tmp_path / "runs",
                    checkpoint_dir=folder)  # fmt: skip
    assert (folder / name).read_text() == "my notes"


def test_runs_and_datasets_show_hostile_names_as_text(tmp_path, capsys):
    """A run folder (or a csv: file's class) named with an escape sequence
    reached the terminal raw from nda runs and nda datasets: it retitled the
    window and cleared the screen."""
    hostile = f"x{ESCAPE}y"
    write_hand_runs(tmp_path / "runs")
    os.rename(tmp_path / "runs" / "a", tmp_path / "runs" / hostile)
    assert main(["runs", str(tmp_path / "runs")]) == 0
    shown = capsys.readouterr().out
    assert "\x1b" not in shown and "\x07" not in shown
    assert "x\\x1b[2J\\x1b]0;owned\\x07y/sub" in shown
    data = tmp_path / "data.csv"
    rows = [f"{i},{i % 2}\n" for i in range(10)]
    data.write_text("x,label\n" + "".join(rows).replace(",1\n", f",{hostile}\n"))
    assert main(["datasets", f"csv:{data}"]) == 0
    shown = capsys.readouterr().out
    assert "\x1b" not in shown and "x\\x1b[2J\\x1b]0;owned\\x07y" in shown
