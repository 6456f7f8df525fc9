"""Multi-layer perceptrons: regression (diabetes) and classification (wine).

Lecture 12, slides "Multi-Layer Perceptron", "Hidden Layers (Regression)",
"Hidden Layers (Classification)" and "Hyperparameters choice" (the goal is
not the lowest training loss: watch the validation loss). Two MLPs from the
zoo, each with inputs normalised inside the model, are trained with the
package's ``Trainer`` (mini-batches of 32 and 16) while a
``ValidationLossTracker`` records the training and validation loss of every
epoch:

- ``mlp_regressor`` on ``diabetes`` (hidden layers (32, 16), MSE loss, Adam:
  the targets are in the hundreds, so plain SGD needs a tiny step to stay
  stable and is much slower);
- ``mlp_classifier`` on ``wine`` (hidden layer (32,), LogSoftmax + NLL loss,
  plain SGD).

Figure: ``learning_curves.png`` (training vs validation loss per epoch, the
epoch of the lowest validation loss marked).
"""

import nda_models as nda
from nda_models.core.lazy_module import lazy_module
from nda_models.data import load_dataset
from nda_models.lecture.scale import check_scale
from nda_models.lecture.script_io import pyplot

ticker = lazy_module("matplotlib.ticker")

#: dataset -> (registry name, builder options, Trainer options, epochs by scale)
RUNS = {
    "diabetes": (
        "mlp_regressor",
        {"hidden_units": (32, 16), "seed": 0},
        {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 32},
        {"full": 150, "quick": 20},
    ),
    "wine": (
        "mlp_classifier",
        {"hidden_units": (32,), "seed": 0},
        {"learning_rate": 0.05, "batch_size": 16},
        {"full": 100, "quick": 20},
    ),
}

__all__ = ["learning_curves_figure", "train_mlps"]


def train_mlps(*, scale="full"):
    """Trains both MLPs with progress; prints their first, last and best
    epochs and the test metrics.

    Returns:
        Dict dataset -> (registry name, its ``ValidationLossTracker``).
    """
    scale = check_scale(scale)
    curves = {}
    for dataset, (name, hparams, options, epochs) in RUNS.items():
        curves[dataset] = (name, _train(dataset, name, hparams, options, epochs[scale]))
    return curves


def _train(dataset, name, hparams, options, epochs):
    ds = load_dataset(dataset, seed=0)
    if ds.num_classes:
        hparams = {**hparams, "num_classes": ds.num_classes}
    model = nda.build_model(
        name, input_dim=ds.input_dim, normalization=ds.normalization, **hparams
    )
    print(f"\n{name} on {dataset}: {len(ds.x_train)} training rows, {epochs} epochs")
    tracker = nda.ValidationLossTracker()
    trainer = nda.Trainer(model, seed=0, **options)
    trainer.fit(ds.x_train, ds.y_train, epochs=epochs, verbose=1,
                validation_data=(ds.x_val, ds.y_val), callbacks=[tracker])  # fmt: skip
    print(f"  loss: {nda.describe_model(name).loss_definition}")
    for label, k in (("first", 0), ("last", -1)):
        loss, val_loss = tracker.losses[k], tracker.val_losses[k]
        print(f"  {label} epoch: loss {loss:.4f}, val_loss {val_loss:.4f}")
    print(f"  best epoch (lowest val_loss): {tracker.best_epoch}")
    for key, value in trainer.evaluate(ds.x_test, ds.y_test).items():
        print(f"  test {key}: {value:.4f}")
    return tracker


def learning_curves_figure(curves):
    """Training and validation loss per epoch (integer ticks), the lowest
    validation loss marked. Returns the ``matplotlib`` Figure (open)."""
    fig, axes = pyplot().subplots(
        1, len(curves), figsize=(12, 4.5), layout="constrained"
    )
    for ax, (dataset, (name, tracker)) in zip(axes, curves.items(), strict=True):
        ax.plot(tracker.epochs, tracker.losses, label="training loss")
        ax.plot(tracker.epochs, tracker.val_losses, label="validation loss")
        best = tracker.best_epoch
        ax.axvline(best, color="grey", ls=":", label=f"lowest val_loss (epoch {best})")
        ax.set_yscale("log")
        ax.set_title(f"{name} on {dataset}")
        ax.set_xlabel("epoch (passes over the training split)")
        ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        ax.set_ylabel(
            "MSE (target units², log scale)"
            if "regressor" in name
            else "NLL (nats per example, log scale)"
        )
        ax.legend(loc="upper right")
    fig.suptitle(
        "Training loss keeps falling; validation loss says when to stop "
        "(its lowest epoch is marked)"
    )
    return fig
