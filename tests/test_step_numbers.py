"""Steps and epochs count from 1 wherever a user sees them, as Keras prints
"Epoch 1/N": progress lines, best_epoch, history.csv, errors, lecture checks."""

import numpy as np
import pandas as pd
import pytest

import nda_models as nda
from nda_models.lecture.monotone_decrease import check_monotone_decrease
from nda_models.training import Trainer, ValidationLossTracker


def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 2)).astype(np.float32)
    return x, (x @ [2.0, -3.0] + 5).astype(np.float32)


def test_progress_tracker_and_history_csv_count_epochs_from_one(tmp_path, capsys):
    x, y = data()
    model = nda.build_model("linear_regressor", input_dim=2)
    tracker = ValidationLossTracker()
    history = Trainer(model, learning_rate=0.05, seed=0).fit(
        x, y, epochs=3, validation_data=(x, y), callbacks=[tracker], verbose=2
    )
    printed = capsys.readouterr().out
    assert "Epoch 1/3" in printed and "Epoch 3/3" in printed
    assert "Epoch 0/3" not in printed
    assert tracker.epochs == [1, 2, 3]
    # The loss falls every epoch here, so the best epoch is the last, number 3.
    assert np.all(np.diff(history.history["val_loss"]) < 0)
    assert tracker.best_epoch == 3
    nda.save_model(model, tmp_path / "b", history=history)
    assert pd.read_csv(tmp_path / "b" / "history.csv")["epoch"].tolist() == [1, 2, 3]


def test_lecture_check_names_the_update_that_raised_the_loss():
    # Losses J(Θ_0), J(Θ_1), J(Θ_2): the first update (step 1) lowered the
    # loss, the second (step 2) raised it.
    with pytest.raises(RuntimeError, match=r"first at step 2 \(2 -> 3\)"):
        check_monotone_decrease([4.0, 2.0, 3.0], what="GD")
