"""The heat-map of a grid search: validation loss over (batch size, learning rate).

The slide "Hyperparameters choice" as a picture: one cell per (η, M) pair,
the lowest validation loss boxed, diverged and non-finite pairs named in
their cell, and the validation accuracy of classifiers under the loss.
"""

import numpy as np

from nda_models.core.lazy_module import lazy_module

colors = lazy_module("matplotlib.colors")
mpl_figure = lazy_module("matplotlib.figure")
patches = lazy_module("matplotlib.patches")


def plot_heatmap(table, best, model_name):
    """Heat-map of validation loss over (M, η), with the validation accuracy
    of classifiers; the best pair is boxed.

    The colours follow a log scale, or a linear one when a loss is 0 (a
    perfectly separated training set). The ``Figure`` is made without pyplot:
    no backend is chosen or changed and no figure is left open in the
    caller's pyplot state.

    Example:
        >>> import pandas as pd
        >>> table = pd.DataFrame({"learning_rate": [0.01, 0.1], "batch_size": [8, 8],
        ...                       "val_loss": [0.5, 0.25], "status": ["ok", "ok"]})
        >>> figure = plot_heatmap(table, table.iloc[1], "perceptron")
        >>> figure.axes[0].get_title()
        'perceptron: validation loss (best boxed)'
    """
    grid = table.pivot(index="batch_size", columns="learning_rate", values="val_loss")
    figure = mpl_figure.Figure(
        figsize=(1.6 + 1.3 * grid.shape[1], 1.4 + 0.9 * grid.shape[0])
    )
    axes = figure.subplots()
    image, label = _image(axes, grid.to_numpy(dtype=float))
    _write_cells(axes, image, table, grid)
    col = list(grid.columns).index(best["learning_rate"])
    row = list(grid.index).index(best["batch_size"])
    axes.add_patch(
        patches.Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, ec="red", lw=3)
    )
    axes.set_xticks(range(grid.shape[1]), [f"{v:g}" for v in grid.columns])
    axes.set_yticks(range(grid.shape[0]), [str(v) for v in grid.index])
    axes.set_xlabel("learning rate η")
    axes.set_ylabel("batch size M")
    axes.set_title(f"{model_name}: validation loss (best boxed)")
    figure.colorbar(image, ax=axes, label=label)
    return figure


def _image(axes, values):
    """The coloured cells: log scale unless a finite loss is 0."""
    finite = np.where(np.isfinite(values), values, np.nan)
    shown = finite[np.isfinite(finite)]
    use_log = shown.size > 0 and shown.min() > 0
    norm = colors.LogNorm() if use_log else colors.Normalize()
    image = axes.imshow(finite, cmap="viridis_r", aspect="auto", norm=norm)
    label = "validation loss (log scale)" if use_log else "validation loss"
    return image, label


def _write_cells(axes, image, table, grid):
    """Each cell's loss (and accuracy), or why it has none."""
    statuses = table.pivot(index="batch_size", columns="learning_rate", values="status")
    accuracy = None
    if "val_accuracy" in table:
        accuracy = table.pivot(
            index="batch_size", columns="learning_rate", values="val_accuracy"
        ).to_numpy(dtype=float)
    for (i, j), value in np.ndenumerate(grid.to_numpy(dtype=float)):
        status = str(statuses.iat[i, j])
        if not np.isfinite(value):
            text = "diverged" if status.startswith("diverged") else "NaN/inf"
        else:
            text = f"{value:.3g}"
            if accuracy is not None:
                text += f"\nacc {accuracy[i, j]:.3f}"
            if status == "at chance":
                text += "\n(at chance)"
        shade = float(image.norm(value)) if np.isfinite(value) else 0.0
        color = "black" if shade < 0.5 else "white"  # readable on yellow and purple
        axes.text(j, i, text, ha="center", va="center", color=color, fontsize=9)
