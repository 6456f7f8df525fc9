"""The learning-curve PNG that ``nda train`` writes into the run folder."""

import numpy as np
import pytest

from nda_models.workflows import train_model
from nda_models.workflows.learning_curve import plot_learning_curve

HISTORY = {"loss": [4.0, 2.0, 1.0, 0.5], "val_loss": [4.5, 2.5, 1.5, 1.8]}


def test_curve_draws_both_losses_and_marks_the_lowest_validation_epoch():
    figure = plot_learning_curve(HISTORY, "model on data", "mean squared error")
    axes = figure.axes[0]
    lines = {line.get_label(): line for line in axes.get_lines()}
    np.testing.assert_array_equal(lines["training loss"].get_xdata(), [1, 2, 3, 4])
    np.testing.assert_array_equal(lines["training loss"].get_ydata(), HISTORY["loss"])
    np.testing.assert_array_equal(
        lines["validation loss"].get_ydata(), HISTORY["val_loss"]
    )
    assert list(lines["lowest validation loss"].get_xdata()) == [3, 3]
    assert "validation loss lowest at epoch 3 (1.5)" in axes.get_title()
    assert axes.get_xlabel().startswith("epoch")
    assert axes.get_ylabel().startswith("mean squared error")


def test_zero_loss_keeps_a_linear_axis_and_no_validation_is_fine():
    figure = plot_learning_curve({"loss": [0.3, 0.0]}, "perceptron")
    axes = figure.axes[0]
    assert axes.get_yscale() == "linear"
    assert "training loss 0 after 2 epochs" in axes.get_title()


def test_empty_history_is_refused():
    with pytest.raises(ValueError, match="needs the per-epoch 'loss'.*Received: keys"):
        plot_learning_curve({"val_loss": [1.0]}, "x")


def test_train_model_writes_the_curve_into_the_run_folder(tmp_path):
    run = train_model("linear_regressor", logdir=tmp_path / "runs", epochs=3, verbose=0)
    assert run.learning_curve == run.log_dir / "learning_curve.png"
    assert run.learning_curve.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(run.history["loss"]) == 3


def test_epoch_ticks_are_integers_and_the_bundle_epoch_is_named():
    """The demo's mlp_regressor curve marked epoch 37 as best while the bundle
    held epoch 60, and its axis had ticks 2.5, 7.5 (issue 26)."""
    rng = np.random.default_rng(0)
    loss = list(np.geomspace(10, 1, 60))
    val = list(np.r_[np.geomspace(11, 2, 37), 2 + 0.05 * rng.random(23).cumsum()])
    figure = plot_learning_curve({"loss": loss, "val_loss": val}, "mlp_regressor",
                                 bundle_epoch=60)  # fmt: skip
    axes = figure.axes[0]
    figure.canvas.draw()
    ticks = [t for t in axes.get_xticks() if 1 <= t <= 60]
    assert ticks and all(float(t).is_integer() for t in ticks), ticks
    assert axes.get_title().endswith(
        "validation loss lowest at epoch 37 (2)\nthe bundle holds epoch 60, the last"
    )
    lines = {line.get_label(): line for line in axes.get_lines()}
    assert list(lines["bundle: epoch 60"].get_xdata()) == [60, 60]
    short = plot_learning_curve({"loss": [3.0, 2.0, 1.5, 1.2]}, "perceptron")
    short.canvas.draw()
    assert all(float(t).is_integer() for t in short.axes[0].get_xticks())


def test_train_model_names_the_bundle_epoch_only_with_a_bundle(tmp_path, monkeypatch):
    from nda_models.workflows import learning_curve

    seen = []
    original = learning_curve.plot_learning_curve

    def spy(history, title, loss_name="loss", *, bundle_epoch=None):
        seen.append(bundle_epoch)
        return original(history, title, loss_name, bundle_epoch=bundle_epoch)

    monkeypatch.setattr(learning_curve, "plot_learning_curve", spy)
    train_model("linear_regressor", logdir=tmp_path / "runs", epochs=3,
                out=tmp_path / "b", verbose=0)  # fmt: skip
    train_model("linear_regressor", logdir=tmp_path / "runs", epochs=2, verbose=0)
    assert seen == [3, None]
