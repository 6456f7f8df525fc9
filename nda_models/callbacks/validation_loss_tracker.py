"""Per-epoch training and validation loss, and the best epoch.

Lecture, "Hyperparameters choice": the goal is not the lowest training loss;
run SGD with different hyper-parameters and keep the one that minimises the
validation loss. This callback records both curves so they can be compared.
"""

import math

from nda_models.callbacks.loop_callback import LoopCallback


class ValidationLossTracker(LoopCallback):
    """Records ``loss`` and ``val_loss`` at the end of every epoch of a fit.

    Each fit starts a new record (a tracker reused for a second fit holds
    that fit's epochs only).

    Attributes:
        epochs: Epoch numbers seen, from 1 (as Keras prints "Epoch 1/N").
        losses: Training loss per epoch.
        val_losses: Validation loss per epoch (NaN without validation data).

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(200, 2)).astype("float32")
        >>> y = (5 + 2 * x[:, 0] - 3 * x[:, 1]).astype("float32")
        >>> model = nda.build_model("linear_regressor", input_dim=2)
        >>> trainer = nda.Trainer(model, learning_rate=0.05, seed=0)
        >>> tracker = ValidationLossTracker()
        >>> _ = trainer.fit(x[50:], y[50:], epochs=10, validation_data=(x[:50], y[:50]),
        ...                 callbacks=[tracker])
        >>> tracker.best_epoch, list(tracker.to_frame().columns)
        (10, ['epoch', 'loss', 'val_loss'])
        >>> tracker.val_losses[-1] < tracker.val_losses[0] / 100
        True
    """

    def reset(self):
        self.epochs, self.losses, self.val_losses = [], [], []

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self.epochs.append(int(epoch) + 1)  # Keras passes 0-based indices
        self.losses.append(float(logs.get("loss", math.nan)))
        self.val_losses.append(float(logs.get("val_loss", math.nan)))

    @property
    def best_epoch(self):
        """Epoch number (from 1) of the lowest ``val_loss`` (of ``loss``
        without validation)."""
        values = self.val_losses
        if all(math.isnan(v) for v in values):
            values = self.losses
        finite = [(v, e) for v, e in zip(values, self.epochs, strict=True) if v == v]
        if not finite:
            raise RuntimeError(
                "No finite loss has been recorded yet: call fit with this callback "
                f"first. Received: {len(self.epochs)} recorded epochs"
            )
        return min(finite)[1]

    def to_frame(self):
        """Returns a pandas DataFrame with columns epoch, loss, val_loss."""
        import pandas as pd

        return pd.DataFrame(
            {"epoch": self.epochs, "loss": self.losses, "val_loss": self.val_losses}
        )
