"""``nda.read_runs``: TensorBoard runs as tables, checked against other readers.

The runs are written by the package itself (``Trainer(log_dir=...)`` and
``nda tune`` on a tiny grid) and compared, value by value, with
TensorFlow's own reader (``tf.compat.v1.train.summary_iterator``) and the
HParams plugin's raw protobufs; hand-written event files
(``runs_support``) give tables known in advance.
"""

import os
import pathlib
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from runs_support import EXPECTED_SCALARS, write_hand_runs

import nda_models as nda


@pytest.fixture(scope="module")
def package_runs(tmp_path_factory):
    """A Trainer run and an ``nda tune`` grid of two pairs, in one logdir."""
    from nda_models.workflows.tune import tune

    logdir = tmp_path_factory.mktemp("runs")
    ds = nda.load_dataset("linear_synthetic", n=200, seed=0)
    model = nda.build_model("linear_regressor", input_dim=ds.input_dim)
    trainer = nda.Trainer(model, learning_rate=0.05, batch_size=16, seed=0,
                          log_dir=logdir / "fit", log_every=2)  # fmt: skip
    trainer.fit(ds.x_train, ds.y_train, epochs=2)
    result = tune("linear_regressor", ds, learning_rates=[0.01, 0.05],
                  batch_sizes=[16], epochs=2, logdir=logdir)  # fmt: skip
    return logdir, result.table


def tensorflow_reading(logdir):
    """Every scalar, read with TensorFlow's C++ record reader and its protos."""
    import tensorflow as tf

    rows = []
    for path in sorted(pathlib.Path(logdir).rglob("*tfevents*")):
        run = path.parent.relative_to(logdir).as_posix()
        plugins = {}
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            for value in event.summary.value:
                plugin = plugins.setdefault(
                    value.tag, value.metadata.plugin_data.plugin_name
                )
                if plugin == "scalars":
                    number = float(tf.make_ndarray(value.tensor))
                    rows.append((run, value.tag, event.step, number, event.wall_time))
    return sorted(rows)


def test_scalars_are_those_tensorflow_reads(package_runs):
    logdir, _ = package_runs
    scalars, _ = nda.read_runs(logdir)
    assert list(scalars.columns) == ["run", "tag", "step", "value", "wall_time"]
    assert scalars["step"].dtype == "int64" and scalars["value"].dtype == "float64"
    assert sorted(scalars.itertuples(index=False, name=None)) == tensorflow_reading(
        logdir
    )
    runs = set(scalars["run"])
    assert "fit/train" in runs
    assert {"loss", "learning_rate"} <= set(scalars.query("run == 'fit/train'").tag)
    (tune_run,) = [r for r in runs if r.endswith("tune/lr=0.01,M=16/validation")]
    assert tune_run.startswith("linear_regressor/")
    assert scalars.query("run == @tune_run and tag == 'epoch_loss'").step.tolist() == [
        0,
        1,
    ]


def test_hparams_are_the_tuning_table(package_runs):
    logdir, table = package_runs
    _, hparams = nda.read_runs(logdir)
    assert len(hparams) == len(table) == 2
    assert list(hparams.columns[:3]) == ["run", "learning_rate", "batch_size"]
    assert hparams["batch_size"].dtype == "int64"
    merged = hparams.assign(
        learning_rate=hparams.learning_rate.round(6)
    ).merge(table.assign(learning_rate=table.learning_rate.round(6)),
            on=["learning_rate", "batch_size"])  # fmt: skip
    assert len(merged) == 2
    np.testing.assert_allclose(
        merged["hparams/val_loss"], merged["val_loss"], rtol=1e-6
    )
    np.testing.assert_allclose(merged["validation/epoch_loss"], merged["val_loss"],
                               rtol=1e-5)  # fmt: skip
    assert "hparams/val_accuracy" not in hparams  # declared, never logged: left out
    assert all(run.endswith(("lr=0.01,M=16", "lr=0.05,M=16")) for run in hparams.run)


def test_hparams_values_are_the_plugins_raw_protobufs(package_runs):
    from tensorboard.backend.event_processing.event_accumulator import (
        EventAccumulator,
    )
    from tensorboard.plugins.hparams import plugin_data_pb2

    logdir, _ = package_runs
    _, hparams = nda.read_runs(logdir)
    for row in hparams.itertuples(index=False):
        events = EventAccumulator(str(logdir / row.run), size_guidance={"tensors": 0})
        events.Reload()
        content = events.SummaryMetadata("_hparams_/session_start_info").plugin_data
        start = plugin_data_pb2.HParamsPluginData.FromString(content.content)
        values = start.session_start_info.hparams
        assert row.learning_rate == values["learning_rate"].number_value
        assert row.batch_size == values["batch_size"].number_value


def test_read_runs_imports_no_tensorflow(package_runs):
    logdir, _ = package_runs
    code = ("import sys, nda_models as nda; s, h = nda.read_runs(sys.argv[1]); "
            "print(len(s) > 0, len(h), 'tensorflow' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code, str(logdir)],
                         capture_output=True, text=True, check=True)  # fmt: skip
    assert out.stdout.split() == ["True", "2", "False"]


def test_hand_written_runs_give_the_tables_known_in_advance(tmp_path):
    write_hand_runs(tmp_path)
    scalars, hparams = nda.read_runs(tmp_path)
    assert list(scalars.itertuples(index=False, name=None)) == EXPECTED_SCALARS
    expected = pd.DataFrame([{
        "run": "a", "batch_size": 16, "deep": True, "lr": 0.1, "opt": "sgd",
        "accuracy": 0.75, "old_style": 0.125, "sub/loss": 2.5, "status": "success",
    }])  # fmt: skip
    pd.testing.assert_frame_equal(hparams, expected, check_dtype=False)
    assert hparams["batch_size"].dtype == "int64"


def test_a_resumed_run_reads_both_files_in_step_order(tmp_path):
    from runs_support import event, simple, write

    write(tmp_path / "one", event(9, 3.0, simple("loss", 0.25)), name="b.tfevents")
    write(tmp_path / "one", event(5, 2.0, simple("loss", 0.5)), name="a.tfevents")
    scalars, _ = nda.read_runs(tmp_path)
    assert scalars[["run", "step", "value"]].values.tolist() == [
        ["one", 5, 0.5],
        ["one", 9, 0.25],
    ]


def test_a_damaged_end_keeps_the_events_before_it_with_a_warning(tmp_path):
    path = write_hand_runs(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[:-5])  # the last record (the session end) cut short
    with pytest.warns(
        RuntimeWarning, match=r"stopped at a record cut short after 4 events"
    ):
        scalars, hparams = nda.read_runs(tmp_path)
    assert len(scalars) == len(EXPECTED_SCALARS)
    assert "status" not in hparams
    corrupt = bytearray(data)
    corrupt[20] ^= 0xFF  # inside the first record: its CRC fails
    path.write_bytes(bytes(corrupt))
    with pytest.warns(
        RuntimeWarning, match="a record that fails its CRC check after 0 "
    ):
        scalars, _ = nda.read_runs(tmp_path)
    assert "a" not in set(scalars.run)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_an_event_file_is_skipped_not_waited_on(tmp_path):
    write_hand_runs(tmp_path)
    os.mkfifo(tmp_path / "a" / "events.out.tfevents.fifo")
    scalars, _ = nda.read_runs(tmp_path)
    assert len(scalars) == len(EXPECTED_SCALARS)


def test_bad_logdirs_are_refused_with_what_to_do(tmp_path):
    with pytest.raises(ValueError, match=r"There is no folder '.*nowhere' to read "
                       r"runs from. Pass the folder TensorBoard reads"):  # fmt: skip
        nda.read_runs(tmp_path / "nowhere")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        nda.read_runs(tmp_path / "file.txt")
    with pytest.raises(ValueError, match=r"no TensorBoard event files \(events.out."
                       r"tfevents.\*\) below .*Trainer\(model, log_dir="):  # fmt: skip
        nda.read_runs(tmp_path)
    with pytest.raises(TypeError, match="`logdir` must be a path"):
        nda.read_runs(3)
