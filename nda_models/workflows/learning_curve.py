"""The learning curve of a run: training and validation loss per epoch.

``nda train`` writes it as ``learning_curve.png`` into the run folder, beside
the TensorBoard logs: the slide "Hyperparameters choice" in one picture (the
training loss keeps falling; the validation loss says when to stop).
"""

import math
import pathlib

from nda_models.core.atomic_file import atomic_path
from nda_models.core.lazy_module import lazy_module

mpl_figure = lazy_module("matplotlib.figure")
ticker = lazy_module("matplotlib.ticker")

FILE_NAME = "learning_curve.png"


def plot_learning_curve(history, title, loss_name="loss", *, bundle_epoch=None):
    """Draws ``history["loss"]`` and ``history["val_loss"]`` against the epoch.

    Epochs are counted from 1, on integer ticks. With ``bundle_epoch`` the
    figure also says which epoch's weights the exported bundle holds (a
    dashed line and the title), so that a lowest validation loss at epoch 37
    is never mistaken for the model saved at epoch 60.

    Args:
        history: Dict of per-epoch lists, as ``keras.callbacks.History.history``.
        title: What was trained (``"mlp_classifier on digits"``).
        loss_name: The loss, for the y-axis label.
        bundle_epoch: Epoch (from 1) whose weights the bundle holds, or
            ``None`` when no bundle was written.

    Returns:
        A ``matplotlib.figure.Figure`` (no pyplot, no backend needed).

    Raises:
        ValueError: ``history`` has no ``"loss"``.

    Example:
        >>> history = {"loss": [4.0, 2.0, 1.0], "val_loss": [4.5, 2.5, 2.6]}
        >>> figure = plot_learning_curve(history, "demo", bundle_epoch=3)
        >>> print(figure.axes[0].get_title())
        demo
        validation loss lowest at epoch 2 (2.5)
        the bundle holds epoch 3, the last
    """
    if not history.get("loss"):
        raise ValueError(
            "A learning curve needs the per-epoch 'loss' of a history. "
            f"Received: keys {sorted(history)}"
        )
    figure = mpl_figure.Figure(figsize=(6.4, 4.2))
    axes = figure.subplots()
    epochs = range(1, len(history["loss"]) + 1)
    axes.plot(epochs, history["loss"], marker=".", label="training loss")
    claim = _draw_validation(axes, epochs, history)
    if bundle_epoch is not None:
        axes.axvline(bundle_epoch, color="black", ls="--", lw=1,
                     label=f"bundle: epoch {bundle_epoch}")  # fmt: skip
        last = ", the last" if bundle_epoch == len(epochs) else ""
        claim += f"\nthe bundle holds epoch {bundle_epoch}{last}"
    axes.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))  # no epoch 2.5
    axes.set_xlabel("epoch (passes over the training data)")
    axes.set_ylabel(f"{loss_name} (mean per example)")
    if all(v > 0 for v in [*history["loss"], *(history.get("val_loss") or [])]):
        axes.set_yscale("log")
    axes.set_title(f"{title}\n{claim}")
    axes.legend(loc="best", framealpha=0.8)
    axes.grid(alpha=0.3)
    figure.tight_layout()
    return figure


def _draw_validation(axes, epochs, history):
    """The validation curve and its lowest point; returns the title's claim."""
    claim = f"training loss {history['loss'][-1]:.4g} after {len(epochs)} epochs"
    val = history.get("val_loss")
    if val:
        axes.plot(epochs, val, marker=".", label="validation loss")
        finite = [(v, e) for e, v in zip(epochs, val, strict=True) if math.isfinite(v)]
        if finite:
            best, at = min(finite)
            axes.axvline(at, color="grey", ls=":", label="lowest validation loss")
            claim = f"validation loss lowest at epoch {at} ({best:.4g})"
    return claim


def write_learning_curve(history, folder, title, loss_name="loss", *,
                         bundle_epoch=None):  # fmt: skip
    """Writes ``folder/learning_curve.png`` atomically; returns its path."""
    path = pathlib.Path(folder) / FILE_NAME
    figure = plot_learning_curve(history, title, loss_name, bundle_epoch=bundle_epoch)
    with atomic_path(path) as temp:
        figure.savefig(temp, dpi=120)
    return path
