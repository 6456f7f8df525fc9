"""Per-epoch training and validation loss, and the best epoch.

Lecture, "Hyperparameters choice": the goal is not the lowest training loss;
run SGD with different hyper-parameters and keep the one that minimises the
validation loss. This callback records both curves so they can be compared.
In Jupyter it shows itself as a table (``_repr_html_``): the best epoch, then
the loss and validation loss of each epoch.
"""

import html
import math

from nda_models.callbacks.loop_callback import LoopCallback
from nda_models.core.lazy_module import lazy_module

pd = lazy_module("pandas")

MAX_HTML_ROWS = 12  # a longer run shows its first and last epochs


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
        >>> frame = tracker.to_frame()  # .plot() draws both curves against the epoch
        >>> tracker.best_epoch, frame.index.name, list(frame.index), list(frame.columns)
        (10, 'epoch', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], ['loss', 'val_loss'])
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
        """Returns a pandas DataFrame indexed by ``epoch`` (from 1), with the
        columns ``loss`` and ``val_loss``; ``.plot()`` draws the two curves."""
        index = pd.Index(self.epochs, name="epoch")
        return pd.DataFrame(
            {"loss": self.losses, "val_loss": self.val_losses}, index=index
        )

    def __repr__(self):
        if not self.epochs:
            return "<ValidationLossTracker: no epoch recorded yet>"
        return (
            f"<ValidationLossTracker: {len(self.epochs)} epochs, lowest "
            f"{self._monitored()} at epoch {self.best_epoch}>"
        )

    def _monitored(self):
        """The curve ``best_epoch`` reads: ``val_loss``, else ``loss``."""
        return "loss" if all(math.isnan(v) for v in self.val_losses) else "val_loss"

    def _repr_html_(self):
        """The best epoch, then a table of every epoch (long runs: head and
        tail)."""
        if not self.epochs:
            return "<p>ValidationLossTracker: no epoch recorded yet.</p>"
        best, monitored = self.best_epoch, self._monitored()
        frame = self.to_frame()
        table = frame.to_html(
            max_rows=MAX_HTML_ROWS, float_format=lambda v: f"{v:.4g}", na_rep="—"
        )
        row = frame.loc[best]
        return (
            f"<div><p><strong>ValidationLossTracker</strong>: {len(frame)} epochs; "
            f"lowest {html.escape(monitored)} at epoch <strong>{best}</strong> "
            f"(loss {row['loss']:.4g}, val_loss {row['val_loss']:.4g}).</p>"
            f"{table}</div>"
        )
