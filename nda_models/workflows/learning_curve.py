"""The learning curve of a run: training and validation loss per epoch.

``nda train`` writes it as ``learning_curve.png`` into the run folder, beside
the TensorBoard logs: the slide "Hyperparameters choice" in one picture (the
training loss keeps falling; the validation loss says when to stop).
"""

import math

from nda_models.core.atomic_file import atomic_path

FILE_NAME = "learning_curve.png"


def plot_learning_curve(history, title, loss_name="loss"):
    """Draws ``history["loss"]`` and ``history["val_loss"]`` against the epoch.

    Args:
        history: Dict of per-epoch lists, as ``keras.callbacks.History.history``.
        title: What was trained (``"mlp_classifier on digits"``).
        loss_name: The loss, for the y-axis label.

    Returns:
        A ``matplotlib.figure.Figure`` (no pyplot, no backend needed).

    Raises:
        ValueError: ``history`` has no ``"loss"``.
    """
    from matplotlib.figure import Figure

    if not history.get("loss"):
        raise ValueError(
            "A learning curve needs the per-epoch 'loss' of a history. "
            f"Received: keys {sorted(history)}"
        )
    figure = Figure(figsize=(6.4, 4.2))
    axes = figure.subplots()
    epochs = range(1, len(history["loss"]) + 1)
    axes.plot(epochs, history["loss"], marker=".", label="training loss")
    claim = f"training loss {history['loss'][-1]:.4g} after {len(epochs)} epochs"
    val = history.get("val_loss")
    if val:
        axes.plot(epochs, val, marker=".", label="validation loss")
        finite = [(v, e) for e, v in zip(epochs, val, strict=True) if math.isfinite(v)]
        if finite:
            best, at = min(finite)
            axes.axvline(at, color="grey", ls=":", label="lowest validation loss")
            claim = f"validation loss lowest at epoch {at} ({best:.4g})"
    axes.set_xlabel("epoch (passes over the training data)")
    axes.set_ylabel(f"{loss_name} (mean per example)")
    if all(v > 0 for v in [*history["loss"], *(val or [])]):
        axes.set_yscale("log")
    axes.set_title(f"{title}\n{claim}")
    axes.legend(loc="best", framealpha=0.8)
    axes.grid(alpha=0.3)
    figure.tight_layout()
    return figure


def write_learning_curve(history, folder, title, loss_name="loss"):
    """Writes ``folder/learning_curve.png`` atomically; returns its path."""
    import pathlib

    path = pathlib.Path(folder) / FILE_NAME
    with atomic_path(path) as temp:
        plot_learning_curve(history, title, loss_name).savefig(temp, dpi=120)
    return path
