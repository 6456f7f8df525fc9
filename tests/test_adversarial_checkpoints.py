"""Checkpoint folders under attack: user files, damaged checkpoints, odd states.

Each test is a defect found by an adversarial run (issue 12); each failed
before its fix. The checkpoint folder is the user's: only what TensorFlow's
checkpoint writer or this package created may ever be removed from it.
"""

import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
import warnings

import keras
import numpy as np
import pytest

import nda_models as nda
from nda_models.training import Trainer


def _data(n=96, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int32) + (x[:, 2] > 1).astype(np.int32)
    return x, y


def _trainer(checkpoint_dir, **options):
    model = nda.build_model(
        "mlp_classifier", input_dim=3, num_classes=3, hidden_units=(5,), seed=0
    )
    return Trainer(
        model, optimizer="momentum", learning_rate=0.05, batch_size=16, seed=2,
        checkpoint_dir=checkpoint_dir, **options,
    )  # fmt: skip


def _real_shard_folder(folder):
    """Writes what TensorFlow's sharded save writes before merging (then killed)."""
    import tensorflow as tf
    from tensorflow.python.ops import gen_io_ops

    prefix = gen_io_ops.sharded_filename(str(folder / "part"), 0, 1).numpy().decode()
    tf.raw_ops.SaveV2(
        prefix=prefix, tensor_names=["w"], shape_and_slices=[""],
        tensors=[tf.constant([1.0])],
    )  # fmt: skip


USER_FILES = [
    "report_temp.docx",
    "results_template.csv",
    "backup.tmp.csv",
    "notes.tmp",
    "ckpt-1_temp.txt",
    "checkpoint.tmp",
    "checkpoint.tmp-mine",
    "run_signature.tmp.json",
    "ckpt-2.index.tempstate-old",
]


def test_clean_up_removes_only_real_temporaries_and_no_user_file(tmp_path):
    x, y = _data()
    _trainer(tmp_path).fit(x, y, epochs=1)
    for name in USER_FILES:
        (tmp_path / name).write_text("user data")
    user_folders = {
        "my_templates": ["a.txt"],
        "ckpt-5_temp": ["thesis.tex"],  # TF's folder name, but the user's content
        "data.tmp": ["b.csv"],
    }
    for folder, files in user_folders.items():
        (tmp_path / folder).mkdir()
        for name in files:
            (tmp_path / folder / name).write_text("user data")
    # What killed writers really leave:
    _real_shard_folder(tmp_path / "ckpt-9_temp")
    state_temp = f"checkpoint.tmp{uuid.uuid4().hex}"
    (tmp_path / state_temp).write_text("half")
    (tmp_path / "ckpt-2.index.tempstate1234567890123").write_bytes(b"half")
    handle, ours = tempfile.mkstemp(
        prefix=".run_signature.", suffix=".tmp.json", dir=tmp_path
    )
    os.close(handle)

    _trainer(tmp_path).fit(x, y, epochs=2)

    names = set(os.listdir(tmp_path))
    for gone in (
        "ckpt-9_temp", state_temp, "ckpt-2.index.tempstate1234567890123",
        os.path.basename(ours),
    ):  # fmt: skip
        assert gone not in names, gone
    for name in USER_FILES:
        assert (tmp_path / name).read_text() == "user data", name
    for folder, files in user_folders.items():
        for name in files:
            assert (tmp_path / folder / name).read_text() == "user data", folder
    assert "ckpt-2.index" in names


def test_clean_up_never_follows_a_symlinked_temp_folder(tmp_path):
    x, y = _data()
    outside = tmp_path / "outside"
    _real_shard_folder(outside)  # looks like TF's, but lives elsewhere
    run = tmp_path / "run"
    run.mkdir()
    (run / "ckpt-3_temp").symlink_to(outside, target_is_directory=True)
    _trainer(run).fit(x, y, epochs=1)
    assert len(list(outside.iterdir())) == 2
    assert (run / "ckpt-3_temp").is_symlink()


@pytest.fixture(scope="module")
def three_epochs(tmp_path_factory):
    """A folder with ckpt-1..3 (epoch ends), and the weights after epoch 2."""
    x, y = _data()
    folder = tmp_path_factory.mktemp("three") / "run"
    _trainer(folder).fit(x, y, epochs=3)
    after_two = _trainer(None)
    after_two.fit(x, y, epochs=2)
    return folder, after_two.model.get_weights()


def _copy(three_epochs, tmp_path):
    folder = tmp_path / "run"
    shutil.copytree(three_epochs[0], folder)
    return folder


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_truncated_newest_checkpoint_falls_back_with_a_warning(three_epochs, tmp_path):
    folder = _copy(three_epochs, tmp_path)
    _truncate(folder / "ckpt-3.data-00000-of-00001")
    x, y = _data()
    trainer = _trainer(folder)
    with pytest.warns(RuntimeWarning, match=r"could not be read.*previous one, ckpt-2"):
        history = trainer.fit(x, y, epochs=2)
    assert len(history.history["loss"]) == 2
    for a, b in zip(three_epochs[1], trainer.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_all_checkpoints_damaged_is_the_documented_error(three_epochs, tmp_path):
    folder = _copy(three_epochs, tmp_path)
    for n in (1, 2, 3):
        _truncate(folder / f"ckpt-{n}.data-00000-of-00001")
    x, y = _data()
    with pytest.raises(
        RuntimeError, match=f"No checkpoint in {folder} could be read.*ckpt-1"
    ):
        _trainer(folder).fit(x, y, epochs=4)


def test_state_file_with_bad_bytes_is_rebuilt_with_a_warning(three_epochs, tmp_path):
    folder = _copy(three_epochs, tmp_path)
    (folder / "checkpoint").write_bytes(b"\xff\xfe\x00 not utf-8")
    x, y = _data()
    with pytest.warns(RuntimeWarning, match="checkpoint list .* is unreadable"):
        history = _trainer(folder).fit(x, y, epochs=4)
    assert len(history.history["loss"]) == 4
    # The rebuilt list keeps the rotation going: three newest kept.
    kept = sorted(n for n in os.listdir(folder) if n.endswith(".index"))
    assert kept == ["ckpt-2.index", "ckpt-3.index", "ckpt-4.index"]


@pytest.mark.parametrize("name", ["checkpoint", "run_signature.json"])
def test_a_folder_in_place_of_a_run_file_is_refused_and_kept(
    three_epochs, tmp_path, name
):
    folder = _copy(three_epochs, tmp_path)
    (folder / name).unlink()
    (folder / name).mkdir()
    (folder / name / "mine.txt").write_text("user data")
    x, y = _data()
    with pytest.raises(RuntimeError, match=f"{name} is a folder.*Move or rename"):
        _trainer(folder).fit(x, y, epochs=4)
    assert (folder / name / "mine.txt").read_text() == "user data"


@pytest.mark.parametrize("text", ["[1, 2, 3]", '"run"', "null", "{"])
def test_a_signature_of_the_wrong_shape_warns_and_is_rewritten(
    three_epochs, tmp_path, text
):
    folder = _copy(three_epochs, tmp_path)
    (folder / "run_signature.json").write_text(text)
    x, y = _data()
    with pytest.warns(RuntimeWarning, match="not a run signature"):
        _trainer(folder).fit(x, y, epochs=3)
    signature = json.loads((folder / "run_signature.json").read_text())
    assert signature["trainer.batch_size"] == 16


def _huge_object():
    return json.dumps({"model.name": "m" * (2 << 20)})  # valid JSON, 2 MiB


DAMAGED_SIGNATURES = {
    "nested brackets": "[" * 100_000 + "]" * 100_000,  # RecursionError in json
    "nested objects": '{"a": ' * 100_000 + "1" + "}" * 100_000,
    "huge": _huge_object(),
    "binary": b"\x89PNG\r\n\x1a\n\x00\xff\xfe" * 100,
    "empty object": "{}",
    "an object of other keys": '{"model.name": 3, "learning_rate": [1]}',
    "empty file": "",
    "NaN": "NaN",
}


@pytest.mark.parametrize("damage", sorted(DAMAGED_SIGNATURES))
def test_a_damaged_signature_warns_and_is_rewritten(three_epochs, tmp_path, damage):
    """One rule (issue 21, C7): a signature file that is not a JSON object of
    at most 1 MiB with the keys every run signature has is damaged: a
    warning says so, the run resumes and the file is rewritten."""
    folder = _copy(three_epochs, tmp_path)
    text = DAMAGED_SIGNATURES[damage]
    path = folder / "run_signature.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    x, y = _data()
    with pytest.warns(RuntimeWarning, match="not a run signature"):
        history = _trainer(folder).fit(x, y, epochs=4)
    assert history.epoch == [0, 1, 2, 3]  # resumed after epoch 3
    signature = json.loads(path.read_text())
    assert signature["trainer.batch_size"] == 16


def test_a_huge_sparse_signature_is_not_read(three_epochs, tmp_path):
    folder = _copy(three_epochs, tmp_path)
    with open(folder / "run_signature.json", "wb") as stream:
        stream.truncate(1 << 36)  # 64 GiB of holes: reading it all would fail
    x, y = _data()
    with pytest.warns(RuntimeWarning, match="larger than"):
        _trainer(folder).fit(x, y, epochs=3)
    assert (folder / "run_signature.json").stat().st_size < 100_000


@pytest.mark.parametrize("linked", [False, True])
@pytest.mark.parametrize("name", ["checkpoint", "run_signature.json"])
def test_a_fifo_in_place_of_a_run_file_is_refused_not_read(
    three_epochs, tmp_path, name, linked
):
    """Reading a FIFO would wait forever for a writer (also through a link)."""
    folder = _copy(three_epochs, tmp_path)
    (folder / name).unlink()
    fifo = tmp_path / "fifo" if linked else folder / name
    os.mkfifo(fifo)
    if linked:
        (folder / name).symlink_to(fifo)
    x, y = _data()
    with pytest.raises(RuntimeError, match=f"{name} is a FIFO.*Move or rename"):
        _trainer(folder).fit(x, y, epochs=4)
    assert fifo.is_fifo() and os.path.lexists(folder / name)


def test_fewer_epochs_than_done_warns_and_returns_the_saved_history(
    three_epochs, tmp_path
):
    folder = _copy(three_epochs, tmp_path)
    x, y = _data()
    trainer = _trainer(folder)
    with pytest.warns(RuntimeWarning, match=r"already hold 3 epoch\(s\).*epochs=2"):
        history = trainer.fit(x, y, epochs=2)
    assert history.epoch == [0, 1, 2]  # the saved run, not a 2-epoch run
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the same number of epochs: no warning
        _trainer(folder).fit(x, y, epochs=3)


def test_a_different_run_is_refused_in_one_short_line(three_epochs, tmp_path):
    folder = _copy(three_epochs, tmp_path)
    x, y = _data()
    model = nda.build_model(
        "mlp_classifier", input_dim=3, num_classes=3, hidden_units=(7,), seed=0
    )
    trainer = Trainer(
        model, optimizer="momentum", learning_rate=0.1, batch_size=16, seed=2,
        checkpoint_dir=folder,
    )  # fmt: skip
    with pytest.raises(ValueError, match="different run") as caught:
        trainer.fit(x, y, epochs=4)
    message = str(caught.value)
    assert "model.layers[1]: units 5 → 7" in message
    assert "learning_rate: 0.05 → 0.1" in message
    assert len(message) < 600, message
    assert "Dense(" in "\n".join(caught.value.__notes__)  # the details, for --debug


def test_ctrl_c_right_after_a_graph_call_keeps_the_steps_loss(tmp_path, sigint_raises):
    """SIGINT arriving as a chunk's graph call returns, before its bookkeeping."""
    x, y = _data()
    reference = _trainer(None, steps_per_execution=2)
    expected = reference.fit(x, y, epochs=2).history["loss"]
    trainer = _trainer(tmp_path, steps_per_execution=2)
    graph_call, calls = trainer.loops.train_steps, []

    def interrupted_as_it_returns(*args, **kwargs):
        totals = graph_call(*args, **kwargs)
        calls.append(1)
        if len(calls) == 4:  # epoch 1, mid-epoch: the steps ran, now Ctrl-C
            signal.raise_signal(signal.SIGINT)
        return totals

    trainer.loops.train_steps = interrupted_as_it_returns
    with pytest.raises(KeyboardInterrupt):
        trainer.fit(x, y, epochs=2)
    resumed = _trainer(tmp_path, steps_per_execution=2).fit(x, y, epochs=2)
    np.testing.assert_allclose(resumed.history["loss"], expected, rtol=1e-6)


def test_deferring_interrupts_keeps_an_ignored_sigint_ignored(sigint_raises):
    from nda_models.core.deferred_interrupts import deferred_interrupts

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with deferred_interrupts():
            signal.raise_signal(signal.SIGINT)  # ignored: nothing is raised
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
    with pytest.raises(KeyboardInterrupt):
        with deferred_interrupts():
            signal.raise_signal(signal.SIGINT)  # held back until the block ends


def _saved_counter(folder, name):
    """A counter of the newest checkpoint in ``folder`` (read by TensorFlow)."""
    import tensorflow as tf

    from nda_models.training.run.checkpoint_list import checkpoint_paths

    reader = tf.train.load_checkpoint(checkpoint_paths(folder)[0])
    return int(reader.get_tensor(f"{name}/.ATTRIBUTES/VARIABLE_VALUE"))


@pytest.mark.parametrize("where, saved_step", [("batch", 8), ("epoch", 12)])
def test_a_closed_pipe_keeps_the_progress_as_ctrl_c_does(tmp_path, where, saved_step):
    """``nda train ... | head``: the progress line's write raises BrokenPipeError
    in a callback; the steps done so far are checkpointed, as on Ctrl-C."""
    x, y = _data()  # 6 steps per epoch
    reference = _trainer(None, steps_per_execution=2)
    expected = reference.fit(x, y, epochs=3)

    class ClosedPipe(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if where == "batch" and int(self.model.optimizer.iterations) == 8:
                raise BrokenPipeError(32, "Broken pipe")  # epoch 2, mid-way

        def on_epoch_end(self, epoch, logs=None):
            if where == "epoch" and epoch == 1:  # the line of epoch 2
                raise BrokenPipeError(32, "Broken pipe")

    with pytest.raises(BrokenPipeError):
        _trainer(tmp_path, steps_per_execution=2).fit(
            x, y, epochs=3, callbacks=[ClosedPipe()]
        )
    # Not step 6, the end of the last epoch that finished its bookkeeping.
    assert _saved_counter(tmp_path, "step") == saved_step
    resumed = _trainer(tmp_path, steps_per_execution=2)
    history = resumed.fit(x, y, epochs=3)
    np.testing.assert_allclose(
        history.history["loss"], expected.history["loss"], rtol=1e-6
    )
    for ours, theirs in zip(
        resumed.model.get_weights(), reference.model.get_weights(), strict=True
    ):
        np.testing.assert_array_equal(ours, theirs)


def test_nda_train_into_a_pipe_closed_mid_run_keeps_its_checkpoint(tmp_path):
    """End to end: the reader of ``nda train``'s progress goes away; the run
    ends quietly (the command's part) and its last epoch is checkpointed
    where the pipe broke (batch counter past 0), not one epoch earlier."""
    nda_command = str(pathlib.Path(sys.executable).with_name("nda"))
    process = subprocess.Popen(
        [nda_command, "train", "linear_regressor", "--epochs", "2000",
         "--batch-size", "600", "--logdir", "runs", "--out", "bundle",
         "--checkpoint-dir", "ck"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
    )  # fmt: skip
    first = process.stdout.readline().decode()
    process.stdout.close()  # as `head -1` does after its line
    err = process.stderr.read().decode()
    process.wait()
    assert first.startswith("Epoch 1/2000 - "), (first, err)
    assert "Traceback" not in err, err
    steps, epoch, batch = (
        _saved_counter(tmp_path / "ck", name) for name in ("step", "epoch", "batch")
    )
    assert batch > 0 and steps == (epoch + 1) * batch, (steps, epoch, batch)
