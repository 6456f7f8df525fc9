"""``tune``'s outputs: one results folder per run, one meaning per column name
across ``tuning.csv``, TensorBoard's HParams and the bundle's ``history.csv``,
and a result that reads well in Jupyter (issues 21, 24 and 26)."""

import json
import os

import numpy as np
import pandas as pd
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import plugin_data_pb2

import nda_models as nda
from nda_models.cli import main
from nda_models.workflows import tune

COLUMNS = ["learning_rate", "batch_size", "final_train_loss", "last_epoch_loss",
           "val_loss", "val_mean_absolute_error", "seconds", "status"]  # fmt: skip


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    """A regressor's grid with a diverging pair, searched twice."""
    tmp = tmp_path_factory.mktemp("tune")
    places = {"results": tmp / "tuning", "logdir": tmp / "runs", "out": tmp / "b"}
    grid = {"learning_rates": [0.01, 0.05, 1e6], "batch_sizes": [32], "epochs": 2}
    first = tune("linear_regressor", **grid, **places)
    saved = {p.name: p.read_bytes() for p in first.results_dir.iterdir()}
    second = tune("linear_regressor", **grid, **places)
    return tmp, first, saved, second


def _values(folder, tag):
    events = EventAccumulator(str(folder), size_guidance={"tensors": 0})
    events.Reload()
    if tag not in events.Tags()["tensors"]:
        return []
    return [float(np.asarray(nda_tensor(e))) for e in events.Tensors(tag)]


def nda_tensor(event):
    from tensorboard.util import tensor_util

    return tensor_util.make_ndarray(event.tensor_proto)


def _experiment(root):
    events = EventAccumulator(str(root), size_guidance={"tensors": 0})
    events.Reload()
    content = events.SummaryMetadata("_hparams_/experiment").plugin_data.content
    return plugin_data_pb2.HParamsPluginData.FromString(content).experiment


def test_each_run_keeps_its_own_results_folder(searched):
    tmp, first, saved, second = searched
    assert first.results_dir != second.results_dir
    for result in (first, second):
        # The results folder and the TensorBoard run share the timestamp.
        assert result.results_dir.parent == tmp / "tuning" / "linear_regressor"
        assert result.log_dir == tmp / "runs" / "linear_regressor" / (
            result.results_dir.name) / "tune"  # fmt: skip
        assert {p.name for p in result.results_dir.iterdir()} == {
            "tuning.csv", "tuning_heatmap.png", "best.json"}  # fmt: skip
    # The second run left the first one's files as they were.
    assert {p.name: p.read_bytes() for p in first.results_dir.iterdir()} == saved
    latest = tmp / "tuning" / "linear_regressor" / "latest"
    assert latest.is_symlink() and latest.resolve() == second.results_dir.resolve()
    best = json.loads((second.results_dir / "best.json").read_text())
    assert best["bundle"] == str(tmp / "b") == str(second.bundle)
    assert (best["best"]["learning_rate"], best["best"]["batch_size"]) == (
        second.best["learning_rate"], second.best["batch_size"])  # fmt: skip
    assert best["tensorboard_run"] == str(second.log_dir)


def test_the_columns_say_which_loss_they_hold(searched):
    tmp, _, _, result = searched
    table = pd.read_csv(result.csv_path)
    assert list(table.columns) == COLUMNS  # a regressor: no val_accuracy
    # Independent oracles, on the best pair's bundle (the final model):
    # final_train_loss is the MSE of its predictions on the training split,
    # last_epoch_loss the last row of its history.csv (Keras's "loss").
    bundle = nda.load_model(result.bundle)
    ds = result.best_run.dataset
    mse = float(np.mean((bundle.predict(ds.x_train) - ds.y_train) ** 2))
    assert result.best["final_train_loss"] == pytest.approx(mse, rel=1e-4)
    history = pd.read_csv(result.bundle / bundle.metadata["history_file"])
    assert result.best["last_epoch_loss"] == pytest.approx(history["loss"].iloc[-1])
    assert result.best["last_epoch_loss"] != pytest.approx(mse, rel=1e-3)
    assert result.best["val_loss"] == pytest.approx(history["val_loss"].iloc[-1])


def test_hparams_shows_the_table_columns_with_their_values(searched):
    _, _, _, result = searched
    experiment = _experiment(result.log_dir)
    shown = {
        m.display_name: (m.name.group, m.name.tag) for m in experiment.metric_infos
    }
    curve = "validation epoch_loss (last point: val_loss)"
    assert set(shown) == {*COLUMNS[2:6], curve}  # the task's metric only
    table = pd.read_csv(result.csv_path)
    for row in table[table["status"] == "ok"].itertuples():
        session = result.log_dir / f"lr={row.learning_rate:g},M={row.batch_size}"
        for column in [*COLUMNS[2:6], curve]:
            group, tag = shown[column]
            values = _values(session / group if group else session, tag)
            expected = row.val_loss if column == curve else getattr(row, column)
            assert values[-1] == pytest.approx(expected, rel=1e-5), column
        # last_epoch_loss is also the last point of the training epoch curve.
        train_curve = _values(session / "train", "epoch_loss")
        assert train_curve[-1] == pytest.approx(row.last_epoch_loss, rel=1e-5)
    diverged = table[table["status"].str.startswith("diverged")]
    assert len(diverged) == 1 and np.isinf(diverged["val_loss"]).all()


def test_the_result_reads_well_in_a_notebook(searched):
    _, _, _, result = searched
    markup = result._repr_html_()
    assert "linear_regressor on linear_synthetic: 3 pairs" in markup
    assert "η = 0.01" in markup and "η = 1e+06" in markup and "M = 32" in markup
    assert markup.count("✔") == 1 and "diverged at step" in markup
    assert f"{result.best['val_loss']:.4g} ✔" in markup
    assert "<script" not in markup
    assert repr(result).startswith("<TuningResult linear_regressor on ")


def test_nda_tune_names_bundles_and_results_and_says_what_it_replaces(tmp_path, capsys):
    argv = [
        "tune",
        "logistic_neuron",
        "--learning-rates",
        "0.1,0.5",
        "--batch-sizes",
        "8",
        "--epochs",
        "2",
        "--quiet",
        "--results",
        str(tmp_path / "tuning"),
        "--logdir",
        str(tmp_path / "runs"),
    ]
    assert main([*argv, "--out", str(tmp_path / "best")]) == 0  # fmt: skip
    first = capsys.readouterr()
    assert "note:" not in first.err
    assert f"bundle:  {tmp_path / 'best'}" in first.out
    header = first.out.splitlines()[0].split()
    assert "final_train_loss" in header and "last_epoch_loss" in header
    assert "loss" not in header and "train_loss" not in header
    # The old spelling still works, with a word; the earlier bundle is named.
    assert main([*argv, "--bundle", str(tmp_path / "best")]) == 0
    second = capsys.readouterr()
    assert "note: --bundle is deprecated; use --out DIR" in second.err
    assert "holds a logistic_neuron bundle trained on iris_setosa" in second.err
    assert "this run replaces it" in second.err
    runs = sorted(p for p in (tmp_path / "tuning" / "logistic_neuron").iterdir()
                  if not p.is_symlink())  # fmt: skip
    assert len(runs) == 2 and all((run / "tuning.csv").is_file() for run in runs)
    root = next((tmp_path / "runs" / "logistic_neuron").glob("*/tune"))
    names = {m.display_name for m in _experiment(root).metric_infos}
    assert "val_accuracy" in names and "val_mean_absolute_error" not in names
    assert os.readlink(tmp_path / "tuning" / "logistic_neuron" / "latest") == (
        runs[-1].name
    )


def test_out_and_its_former_name_together_are_refused(tmp_path, capsys):
    argv = ["tune", "perceptron", "--out", "a", "--bundle", "b"]
    assert main(argv) == 2
    assert "--bundle is the former name of --out" in capsys.readouterr().err
    with pytest.raises(ValueError, match="`bundle` is the former name of `out`"):
        tune("perceptron", learning_rates=[0.1], batch_sizes=[1], out="a",
             bundle="b")  # fmt: skip
    with pytest.warns(DeprecationWarning, match=r"tune\(bundle=\.\.\.\) is deprecated"):
        tune("perceptron", learning_rates=[0.1], batch_sizes=[1], epochs=1,
             logdir=None, bundle=tmp_path / "b")  # fmt: skip
    assert (tmp_path / "b" / "metadata.json").is_file()
