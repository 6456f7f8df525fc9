"""nda train / nda tune / nda demo end to end, through main(argv) and the workflows."""

import math

import numpy as np
import pandas as pd
import pytest

from nda_models.cli import main


def test_train_cli_trains_logs_and_exports(tmp_path, capsys):
    out, logdir = tmp_path / "bundle", tmp_path / "runs"
    code = main(
        [
            "train",
            "perceptron",
            "--dataset",
            "iris_setosa",
            "--epochs",
            "5",
            "--out",
            str(out),
            "--logdir",
            str(logdir),
            "--quiet",
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "split" in printed and "train" in printed and "test" in printed
    assert (out / "metadata.json").is_file()
    runs = list((logdir / "perceptron").iterdir())
    assert len(runs) == 1
    # The loop's per-step summaries and Keras's epoch curves, train and validation.
    from tensorboard.backend.event_processing.event_accumulator import (
        EventAccumulator,
    )

    tags = {}
    for split in ("train", "validation"):
        accumulator = EventAccumulator(str(runs[0] / split))
        accumulator.Reload()
        tags[split] = set(accumulator.Tags()["tensors"])
    assert {"loss", "learning_rate", "epoch_loss"} <= tags["train"]
    assert {"epoch_loss", "epoch_accuracy"} <= tags["validation"]
    # The perceptron separates setosa perfectly (lecture slide "Perceptron Example").
    train_row = next(line for line in printed.splitlines() if line.startswith("train"))
    assert "1.0000" in train_row


def test_train_cli_matches_lstsq_on_linear_synthetic(tmp_path, capsys):
    from nda_models.data import load_dataset
    from nda_models.export import load_model

    out = tmp_path / "linear"
    assert (
        main(
            [
                "train",
                "linear_regressor",
                "--epochs",
                "30",
                "--out",
                str(out),
                "--logdir",
                str(tmp_path / "runs"),
                "--quiet",
            ]
        )
        == 0
    )
    ds = load_dataset("linear_synthetic", seed=0)
    design = np.c_[np.ones(len(ds.x_train)), ds.x_train]
    theta, *_ = np.linalg.lstsq(design, ds.y_train, rcond=None)
    bundle = load_model(out)
    kernel, bias = bundle.model.get_layer("prediction").get_weights()
    np.testing.assert_allclose([bias[0], *kernel.ravel()], theta, atol=0.05)


def test_train_cli_trace_every_prints_iteration_table(tmp_path, capsys):
    assert (
        main(
            [
                "train",
                "linear_regressor",
                "--epochs",
                "1",
                "--batch-size",
                "600",
                "--trace-every",
                "1",
                "--out",
                str(tmp_path / "b"),
                "--logdir",
                str(tmp_path / "r"),
                "--quiet",
            ]
        )
        == 0
    )
    assert "Loss" in capsys.readouterr().out


def test_train_cli_csv_dataset(tmp_path, capsys):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(120, 3)), columns=["a", "b", "c"])
    frame["label"] = np.where(frame["a"] + frame["b"] > 0, "yes", "no")
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    assert (
        main(
            [
                "train",
                "logistic_neuron",
                "--dataset",
                f"csv:{path}",
                "--target",
                "label",
                "--epochs",
                "3",
                "--out",
                str(tmp_path / "b"),
                "--logdir",
                str(tmp_path / "r"),
                "--quiet",
            ]
        )
        == 0
    )
    assert main(["predict", str(tmp_path / "b"), "--input", str(path)]) == 0
    predicted = capsys.readouterr().out
    assert "yes" in predicted or "no" in predicted


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "perceptorn"], "Did you mean 'perceptron'"),
        (["train", "linear_regressor", "--dataset", "iris"], "is a regression model"),
        (["train", "perceptron", "--dataset", "nope"], "Unknown dataset"),
        (["train", "perceptron", "--dataset", "csv:/no/such/file.csv"], "file.csv"),
    ],
)
def test_train_cli_user_errors_are_one_line_exit_2(argv, message, capsys, tmp_path):
    code = main(
        [*argv, "--logdir", str(tmp_path), "--out", str(tmp_path / "b"), "--quiet"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_train_cli_unwritable_out_fails_cleanly(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code = main(
        [
            "train",
            "perceptron",
            "--epochs",
            "1",
            "--out",
            str(blocker / "bundle"),
            "--logdir",
            str(tmp_path / "r"),
            "--quiet",
        ]
    )
    err = capsys.readouterr().err
    assert code in (1, 2) and err.startswith("nda: error:") and err.count("\n") == 1


def test_debug_shows_traceback(tmp_path):
    with pytest.raises(ValueError, match="Unknown dataset"):
        main(["--debug", "train", "perceptron", "--dataset", "nope", "--quiet"])


def test_tune_picks_lowest_validation_loss(tmp_path, capsys):
    code = main(
        [
            "tune",
            "linear_regressor",
            "--learning-rates",
            "0.001,0.05",
            "--batch-sizes",
            "16,128",
            "--epochs",
            "3",
            "--results",
            str(tmp_path / "tuning"),
            "--out",
            str(tmp_path / "best"),
            "--logdir",
            str(tmp_path / "runs"),
        ]
    )
    assert code == 0
    out = tmp_path / "tuning" / "linear_regressor" / "latest"  # this run's results
    table = pd.read_csv(out / "tuning.csv")
    assert len(table) == 4
    printed = capsys.readouterr().out
    best = table.loc[table["val_loss"].idxmin()]
    assert (
        f"learning_rate={best['learning_rate']:g}, batch_size={best['batch_size']}"
        in printed
    )
    assert (out / "tuning_heatmap.png").stat().st_size > 1000
    assert (tmp_path / "best" / "metadata.json").is_file()
    events = list((tmp_path / "runs").rglob("events.out.tfevents*"))
    assert len(events) >= 4


def test_tune_records_divergence_and_keeps_going(tmp_path):
    from nda_models.workflows import tune

    result = tune(
        "linear_regressor",
        learning_rates=[0.01, 1e6],
        batch_sizes=[32],
        epochs=2,
        logdir=None,
    )
    statuses = dict(
        zip(result.table["learning_rate"], result.table["status"], strict=True)
    )
    assert statuses[0.01] == "ok"
    assert statuses[1e6].startswith("diverged")
    assert math.isinf(
        result.table.loc[result.table["learning_rate"] == 1e6, "val_loss"].item()
    )
    assert result.best["learning_rate"] == 0.01


def test_tune_bad_grid_is_rejected(capsys):
    assert main(["tune", "perceptron", "--learning-rates", "0.1,abc"]) == 2
    assert "comma-separated list of numbers" in capsys.readouterr().err


@pytest.mark.slow
def test_demo_trains_and_exports_every_model(tmp_path, capsys):
    import nda_models as nda

    assert (
        main(
            [
                "demo",
                "--saved-models",
                str(tmp_path / "sm"),
                "--logdir",
                str(tmp_path / "runs"),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    for name in nda.list_models():
        assert name in printed
        assert (tmp_path / "sm" / name / "metadata.json").is_file()
    assert "tensorboard --logdir" in printed


def test_demo_quick_epochs(tmp_path, capsys):
    from nda_models.workflows import tour

    rows = tour(
        models=["perceptron", "softmax_classifier"],
        saved_models=tmp_path / "sm",
        logdir=tmp_path / "runs",
        epochs=2,
        printer=lambda *_: None,
    )
    assert [row[0] for row in rows] == ["perceptron", "softmax_classifier"]
    assert all("accuracy" in row[5] for row in rows)
