"""What users run gives sane numbers: the demo's recipes, ``nda tune``'s
choice, a CSV with a constant and a huge column.

Each check compares with an independent baseline: scikit-learn's
``DummyClassifier``/``DummyRegressor`` (chance and predict-the-mean), and the
training loss itself (validation and test losses of the same order).
"""

import importlib
import math

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.metrics import mean_absolute_error

import nda_models as nda
from nda_models.workflows.train import train_model

# Validation/test loss may exceed the training loss by this factor (overfitting
# is allowed; 18,000 against 0.01, the bug this guards, is not). Losses below
# LOSS_FLOOR count as LOSS_FLOOR, so a perfect fit (perceptron: 0) is fine.
LOSS_FACTOR = 10.0
LOSS_FLOOR = 0.05


def assert_sane(name, run):
    """The run's numbers are what a newcomer should see."""
    metrics, ds = run.metrics, run.dataset
    for split in ("train", "val", "test"):
        assert all(math.isfinite(v) for v in metrics[split].values()), (split, metrics)
    assert all(np.isfinite(v).all() for v in run.history.values()), run.history
    limit = LOSS_FACTOR * max(metrics["train"]["loss"], LOSS_FLOOR)
    for split in ("val", "test"):
        assert metrics[split]["loss"] <= limit, (name, split, metrics)
    if ds.task == "regression":
        dummy = DummyRegressor().fit(ds.x_train, ds.y_train)
        baseline = mean_absolute_error(ds.y_test, dummy.predict(ds.x_test))
        assert metrics["test"]["mean_absolute_error"] < 0.9 * baseline, (name, baseline)
    else:
        dummy = DummyClassifier(strategy="most_frequent").fit(ds.x_train, ds.y_train)
        chance = dummy.score(ds.x_test, ds.y_test)
        # Well above chance: at least halfway from chance to perfect.
        assert metrics["test"]["accuracy"] >= chance + (1 - chance) / 2, (name, chance)


def test_every_zoo_model_trains_sanely_with_its_demo_recipe(tmp_path):
    from nda_models.workflows.tour import tour_runs

    runs = dict(
        tour_runs(
            saved_models=tmp_path / "saved_models",
            logdir=tmp_path / "runs",
            printer=lambda *_: None,
        )
    )
    assert sorted(runs) == nda.list_models()
    for name, run in runs.items():
        assert_sane(name, run)
        bundle = nda.load_model(run.bundle)  # what `nda predict` serves
        x_test = run.dataset.x_test
        if run.dataset.task == "regression":
            expected = run.model.predict(x_test, verbose=0).reshape(-1)
            np.testing.assert_allclose(bundle.predict(x_test), expected, rtol=1e-4)
    # The TensorBoard curve: the validation loss falls over training.
    val_loss = runs["mlp_classifier"].history["val_loss"]
    assert val_loss[-1] < val_loss[0] / 3
    assert val_loss[-1] <= 1.1 * min(val_loss)


def test_tune_chooses_a_sane_pair_within_a_point_of_the_best_accuracy():
    from nda_models.workflows import tune

    result = tune(
        "mlp_classifier", learning_rates=[0.001, 0.01, 0.1], batch_sizes=[128],
        logdir=None,
    )  # fmt: skip
    table = result.table
    assert set(table["status"]) <= {"ok", "at chance"}
    assert result.best["val_loss"] == table["val_loss"].min()
    assert result.best["val_accuracy"] >= table["val_accuracy"].max() - 0.01
    assert_sane("mlp_classifier", result.best_run)


def test_tune_marks_divergence_and_never_chooses_it():
    from nda_models.workflows import tune

    result = tune(
        "mlp_classifier", learning_rates=[0.01, 1e6], batch_sizes=[128], epochs=2,
        optimizer="adam", logdir=None,
    )  # fmt: skip
    status = dict(
        zip(result.table["learning_rate"], result.table["status"], strict=True)
    )
    assert status[1e6].startswith("diverged at step ")
    assert int(status[1e6].rsplit(" ", 1)[1]) >= 1  # steps count from 1
    assert result.best["learning_rate"] == 0.01


def test_tune_stops_on_an_error_that_is_not_divergence(monkeypatch):
    tune_module = importlib.import_module("nda_models.workflows.tune")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full while writing the bundle")

    # tune trains a pair with fit_run on its shared Trainer (train_model when
    # the schedule decays): both fail here.
    monkeypatch.setattr(tune_module, "train_model", broken)
    monkeypatch.setattr(tune_module, "fit_run", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        tune_module.tune("perceptron", learning_rates=[0.1], batch_sizes=[1],
                         logdir=None)  # fmt: skip


def test_tune_flags_chance_and_refuses_when_nothing_is_finite(monkeypatch):
    tune_module = importlib.import_module("nda_models.workflows.tune")

    ds = nda.load_dataset("iris")
    assert tune_module.chance_accuracy(ds) == pytest.approx(
        DummyClassifier().fit(ds.x_train, ds.y_train).score(ds.x_val, ds.y_val)
    )
    row = {"train_loss": 1.1, "val_loss": 1.1, "val_accuracy": 0.34}
    assert tune_module._status(row, 0.33) == "at chance"
    assert tune_module._status({**row, "val_loss": math.nan}, 0.33) == (
        "non-finite val_loss"
    )
    assert not tune_module.eligible({"status": "non-finite val_loss",
                                     "val_loss": math.nan})  # fmt: skip


def write_csv_with_constant_and_huge_columns(path):
    """600 rows: y = 3 a + 2 (big - 1e6) / 1e4 + noise; ``const`` is 7 in the
    training split and 8 in some validation and test rows, as digits' blank
    pixels."""
    import pandas as pd

    rng = np.random.default_rng(0)
    a = rng.normal(size=600)
    big = 1e6 + 1e4 * rng.normal(size=600)
    y = 3 * a + 2 * (big - 1e6) / 1e4 + 0.1 * rng.normal(size=600)
    frame = pd.DataFrame({"a": a, "const": 7.0, "big": big, "y": y})
    frame.to_csv(path, index=False)
    split = nda.load_dataset(f"csv:{path}", target="y", seed=0)
    held_out = np.isin(
        a.astype(np.float32), np.r_[split.x_val[:, 0], split.x_test[:, 0]]
    )
    frame.loc[held_out & (np.arange(600) % 3 == 0), "const"] = 8.0
    frame.to_csv(path, index=False)
    return path


def test_csv_with_constant_and_huge_columns_keeps_val_loss_near_train(tmp_path):
    path = write_csv_with_constant_and_huge_columns(tmp_path / "data.csv")
    ds = nda.load_dataset(f"csv:{path}", target="y", seed=0)
    const = ds.feature_names.index("const")
    assert ds.x_train[:, const].std() == 0 and ds.x_val[:, const].max() == 8.0
    run = train_model("mlp_regressor", ds, logdir=None, verbose=0, epochs=30)
    train, val = run.metrics["train"]["loss"], run.metrics["val"]["loss"]
    # Same order as the training loss, or as the noise variance 0.1² that no
    # model can beat; without the fix the 8s become 1e7 and val_loss explodes.
    assert val <= 10 * max(train, 0.1**2), run.metrics
    assert_sane("mlp_regressor", run)
