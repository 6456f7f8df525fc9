"""The zoo tour behind ``make demo``: every model trained on its lecture data.

Each model trains with its recipe (``recipes.RECIPES``), is exported to
``saved_models/NAME``, logs to ``runs/NAME/TIMESTAMP``, and the tour ends
with one summary table: the loss on each split (they should be of the same
order: a validation loss far above the training loss means something is
wrong, not just overfitting) and the test metric.
"""

import pathlib

from nda_models.workflows.earlier_bundle import earlier_bundle
from nda_models.workflows.train import train_model
from nda_models.zoo.registry import describe_model, list_models

HEADER = (
    "model", "dataset", "train loss", "val loss", "test loss", "metric", "seconds",
)  # fmt: skip


def summary_row(name, run):
    """(model, dataset, train/val/test loss, test metric, seconds) of one run."""
    test = run.metrics["test"]
    if describe_model(name).task == "regression":
        metric = f"test MAE {test['mean_absolute_error']:.3f}"
    else:
        metric = f"test accuracy {test['accuracy']:.3f}"
    losses = [f"{run.metrics[split]['loss']:.4g}" for split in ("train", "val", "test")]
    return (name, run.dataset.name, *losses, metric, f"{run.seconds:.1f}")


def tour_runs(*, models=None, saved_models="saved_models", logdir="runs", seed=0,
              verbose=0, epochs=None, printer=print):  # fmt: skip
    """Yields ``(name, TrainingRun)`` for every model, trained as ``make demo``
    trains it (its recipe, exported to ``saved_models/NAME``; the line that
    announces a model names the earlier bundle it replaces)."""
    for name in models or list_models():
        out = pathlib.Path(saved_models) / name
        earlier = earlier_bundle(out)
        replaces = f" (replaces {out}: {earlier})" if earlier else ""
        printer(f"training {name} ...{replaces}")
        yield (
            name,
            train_model(
                name,
                seed=seed,
                logdir=logdir,
                out=out,
                verbose=verbose,
                epochs=epochs,
            ),
        )


def tour(
    *,
    models=None,
    saved_models="saved_models",
    logdir="runs",
    seed=0,
    verbose=0,
    epochs=None,
    printer=print,
):
    """Trains and exports every zoo model; prints and returns the summary rows.

    Args:
        models: Model names (default: the whole zoo).
        saved_models: Folder receiving one bundle per model.
        logdir: TensorBoard root.
        seed: Seed of every run.
        verbose: Progress of each run (``train_model``'s ``verbose``).
        epochs: Override every recipe's epochs (e.g. 1 for a smoke test).
        printer: Where lines go.

    Returns:
        A list of ``(model, dataset, train loss, val loss, test loss, metric,
        seconds)`` tuples of strings, as printed.
    """
    runs = tour_runs(
        models=models, saved_models=saved_models, logdir=logdir, seed=seed,
        verbose=verbose, epochs=epochs, printer=printer,
    )  # fmt: skip
    rows = [summary_row(name, run) for name, run in runs]
    printer(format_table(rows, HEADER))
    return rows


def format_table(rows, header):
    """Left-aligned text table with a header rule."""
    widths = [
        max(len(str(cell)) for cell in column)
        for column in zip(header, *rows, strict=True)
    ]
    lines = ["  ".join(f"{cell:<{w}}" for cell, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(f"{cell!s:<{w}}" for cell, w in zip(row, widths, strict=True))
        for row in rows
    ]
    return "\n".join(lines)
