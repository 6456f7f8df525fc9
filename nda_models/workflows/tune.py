"""Grid search of (learning rate, batch size) by validation loss.

The lecture's slide "Hyperparameters choice": the goal is not the lowest
training loss; run SGD with different (η, M) and keep the pair with the
lowest **validation** loss. The grid is scikit-learn's ``ParameterGrid``;
each run logs TensorBoard HParams summaries so the HParams dashboard shows
the table too.

Every row of the table has a ``status``:

- ``"ok"``: trained, finite losses; the only rows that can be chosen;
- ``"at chance"``: trained, but the validation accuracy is no better than
  always answering the most frequent training class (scikit-learn's
  ``DummyClassifier``) plus ``CHANCE_MARGIN``: flagged, still eligible;
- ``"diverged at step N"``: the Trainer raised ``TrainingDivergedError``;
- ``"non-finite val_loss"``: training ended but the validation loss is NaN or
  infinite (e.g. a probability of exactly 0 for a true class).

Only ``TrainingDivergedError`` is caught; any other error stops the search
with its own message.

Every pair trains the same architecture from the same initial weights, so
one model and one ``Trainer`` serve them all: ``Trainer.reset`` puts the
weights, the optimizer and the sampling back to their start and sets (η, M),
and the graphs traced for the first pair are reused by the others. The
result is the one fresh models would give, without retracing per pair.
"""

import dataclasses
import math
import pathlib

from nda_models.core.atomic_file import atomic_path
from nda_models.core.output_locations import check_bundle_location, check_output_folder
from nda_models.training.diverged_error import TrainingDivergedError
from nda_models.workflows.train import (
    fit_run,
    prepare_run,
    run_dir,
    train_model,
    trainer_options,
)

# Validation accuracy within this of the majority-class baseline is "at chance".
CHANCE_MARGIN = 0.02


@dataclasses.dataclass
class TuningResult:
    """The grid's table, the best pair and where the outputs went.

    Attributes:
        table: pandas DataFrame, one row per (learning_rate, batch_size), with
            train_loss, val_loss, val_accuracy (classifiers) or
            val_mean_absolute_error, seconds and status (see the module doc).
        best: The row (a dict) with the lowest finite validation loss among
            the pairs that trained without diverging.
        best_run: The ``TrainingRun`` of that pair.
        csv_path, heatmap_path, bundle: Files written (or ``None``).
    """

    table: object
    best: dict
    best_run: object
    csv_path: pathlib.Path | None = None
    heatmap_path: pathlib.Path | None = None
    bundle: pathlib.Path | None = None


def parse_grid(values, name, cast):
    """Parses ``"0.001,0.01,0.1"`` into a sorted list; raises a clear ValueError."""
    items = [item.strip() for item in str(values).split(",") if item.strip()]
    try:
        parsed = sorted({cast(item) for item in items})
    except ValueError:
        raise ValueError(
            f"`{name}` must be a comma-separated list of numbers such as "
            f"'0.001,0.01,0.1'. Received: {name}={values!r}"
        ) from None
    if not parsed or any(value <= 0 for value in parsed):
        raise ValueError(
            f"`{name}` must list at least one number > 0. Received: {name}={values!r}"
        )
    return parsed


def tune(
    model_name,
    dataset=None,
    *,
    learning_rates,
    batch_sizes,
    out=None,
    logdir="runs",
    bundle=None,
    seed=0,
    verbose=0,
    **overrides,
):
    """Trains every (η, M) pair and picks the one with the lowest val_loss.

    Args:
        model_name: Registry key.
        dataset: Dataset name or ``Dataset`` (default: the model's recipe).
        learning_rates: Iterable of η values.
        batch_sizes: Iterable of M values.
        out: Folder for ``tuning.csv`` and ``tuning_heatmap.png`` (or None).
        logdir: TensorBoard root (HParams runs under ``logdir/MODEL/...``).
        bundle: Where to export the best model (or None).
        seed: Same seed for every pair, so only (η, M) differ.
        verbose: 0 silent; 1 one line per (η, M) pair as it finishes (loss,
            validation loss and metric, seconds); 2 also each run's epochs.
        **overrides: Other training options (``epochs``, ``optimizer``...).

    Returns:
        A ``TuningResult``.

    Raises:
        RuntimeError: if no pair trained to a finite validation loss.
        Exception: any error other than ``TrainingDivergedError`` stops the
            search unchanged.
    """
    import pandas as pd
    from sklearn.model_selection import ParameterGrid

    for what, folder in (("out", out), ("logdir", logdir)):  # before any training
        check_output_folder(folder, what)
    check_bundle_location(bundle, "bundle")
    root = None if logdir is None else run_dir(logdir, model_name, "tune")
    grid = ParameterGrid(
        {"learning_rate": list(learning_rates), "batch_size": list(batch_sizes)}
    )
    pairs = _PairRunner(model_name, dataset, seed, max(verbose - 1, 0), overrides)
    chance = chance_accuracy(pairs.dataset)
    _log_hparams_config(root, grid.param_grid[0])
    rows, best_run, best_row, best_values = [], None, None, None
    for pair in grid:
        label = f"lr={pair['learning_rate']:g},M={pair['batch_size']}"
        row, run = _one_pair(pairs, pair, root, label, chance)
        rows.append(row)
        better = best_row is None or row["val_loss"] < best_row["val_loss"]
        if eligible(row) and better:
            best_run, best_row = run, row
            best_values = [v.numpy() for v in run.model.variables]
        if verbose:
            print(_format_row(row, len(rows), len(grid)), flush=True)
    if best_run is not None:  # the shared model ends with the best pair's weights
        for variable, value in zip(best_run.model.variables, best_values, strict=True):
            variable.assign(value)
    table = pd.DataFrame(rows)
    if best_run is None:
        raise RuntimeError(
            "No (learning_rate, batch_size) pair trained to a finite validation "
            "loss: every pair diverged or ended with a NaN/inf val_loss. Try "
            "smaller learning rates. Received: "
            f"learning_rates={list(learning_rates)}, "
            f"statuses={sorted(set(table['status']))}"
        )
    result = TuningResult(table, best_row, best_run)
    if out is not None:
        result.csv_path, result.heatmap_path = _write_outputs(
            table, best_row, out, model_name
        )
    if bundle is not None:
        from nda_models.workflows.train import export_run

        result.bundle = export_run(best_run, bundle)
    return result


def chance_accuracy(dataset):
    """Validation accuracy of always answering the most frequent training
    class (scikit-learn's ``DummyClassifier``), or ``None`` for regression."""
    if dataset.task == "regression":
        return None
    from sklearn.dummy import DummyClassifier

    dummy = DummyClassifier(strategy="most_frequent")
    dummy.fit(dataset.x_train, dataset.y_train)
    return float(dummy.score(dataset.x_val, dataset.y_val))


def eligible(row):
    """A row can be chosen: it trained, and its validation loss is finite."""
    return row["status"] in ("ok", "at chance") and math.isfinite(row["val_loss"])


def _status(row, chance):
    """``"ok"``, ``"at chance"`` or ``"non-finite ..."`` for a trained pair."""
    for key in ("val_loss", "train_loss"):
        if not math.isfinite(row[key]):
            return f"non-finite {key}"
    if chance is not None and row["val_accuracy"] <= chance + CHANCE_MARGIN:
        return "at chance"
    return "ok"


class _PairRunner:
    """Trains one (η, M) pair after another on one model and one Trainer.

    A decaying schedule bakes η_0 into the traced graph, so with one each
    pair gets a fresh model and Trainer (``train_model``) instead.
    """

    def __init__(self, model_name, dataset, seed, verbose, overrides):
        from nda_models.training import Trainer

        self.model_name, self.seed, self.verbose = model_name, seed, verbose
        self.overrides = overrides
        self.settings, self.dataset, model = prepare_run(
            model_name, dataset, seed, None, overrides
        )
        self.trainer = None
        if self.settings.get("schedule") in (None, "constant"):
            self.start = [v.numpy() for v in model.variables]
            self.trainer = Trainer(model, seed=seed, **trainer_options(self.settings))

    def train(self, pair, callbacks=()):
        """Returns the ``TrainingRun`` of one pair; raises on divergence."""
        if self.trainer is None:
            return train_model(
                self.model_name, self.dataset, seed=self.seed, logdir=None,
                verbose=self.verbose, callbacks=callbacks, **pair, **self.overrides,
            )  # fmt: skip
        self.trainer.reset(self.start, **pair)
        settings = {**self.settings, **pair}
        return fit_run(
            self.trainer, self.dataset, settings, callbacks, verbose=self.verbose
        )


def _one_pair(pairs, pair, root, label, chance):
    row = {"learning_rate": pair["learning_rate"], "batch_size": pair["batch_size"]}
    try:
        run = pairs.train(pair, callbacks=_epoch_curves(root, label))
    except TrainingDivergedError as error:  # record it, keep searching
        metric = "val_mean_absolute_error" if chance is None else "val_accuracy"
        row.update(
            train_loss=math.inf,
            val_loss=math.inf,
            **{metric: math.nan},
            seconds=math.nan,
            status=f"diverged at step {error.step}",
        )
        _log_hparams(root, label, pair, row)
        return row, None
    metric = "accuracy" if "accuracy" in run.metrics["val"] else "mean_absolute_error"
    row.update(
        train_loss=run.metrics["train"]["loss"],
        val_loss=run.metrics["val"]["loss"],
        **{f"val_{metric}": run.metrics["val"][metric]},
        seconds=round(run.seconds, 3),
    )
    row["status"] = _status(row, chance)
    _log_hparams(root, label, pair, row)
    return row, run


def _epoch_curves(root, label):
    """Keras's TensorBoard callback: the pair's own run, with epoch curves."""
    if root is None:
        return ()
    import keras

    return (keras.callbacks.TensorBoard(log_dir=str(root / label), write_graph=False),)


def _log_hparams_config(root, grid):
    """Declares the grid for the HParams tab: integer batch sizes, the metrics."""
    if root is None:
        return
    import tensorflow as tf
    from tensorboard.plugins.hparams import api as hp

    hparams = [
        hp.HParam(
            "learning_rate", hp.Discrete([float(v) for v in grid["learning_rate"]])
        ),
        hp.HParam("batch_size", hp.Discrete([int(v) for v in grid["batch_size"]])),
    ]
    metrics = [
        hp.Metric(
            "epoch_loss", group="validation", display_name="val_loss (last epoch)"
        ),
        hp.Metric("epoch_loss", group="train", display_name="loss (last epoch)"),
        hp.Metric("hparams/val_loss", display_name="val_loss (final model)"),
        hp.Metric("hparams/val_accuracy", display_name="val_accuracy (final model)"),
        hp.Metric(
            "hparams/val_mean_absolute_error", display_name="val_mae (final model)"
        ),
    ]
    with tf.summary.create_file_writer(str(root)).as_default():
        hp.hparams_config(hparams=hparams, metrics=metrics)


def _log_hparams(root, label, pair, row):
    """Writes one HParams session (the pair and its losses) for TensorBoard."""
    if root is None:
        return
    import tensorflow as tf
    from tensorboard.plugins.hparams import api as hp

    with tf.summary.create_file_writer(str(root / label)).as_default():
        # Plain Python numbers: batch_size stays an integer in the HParams tab.
        hp.hparams(
            {
                "learning_rate": float(pair["learning_rate"]),
                "batch_size": int(pair["batch_size"]),
            },
            trial_id=label,
        )
        for key in (
            "train_loss",
            "val_loss",
            "val_accuracy",
            "val_mean_absolute_error",
        ):
            if key in row and math.isfinite(row[key]):
                tf.summary.scalar(f"hparams/{key}", row[key], step=1)


def _format_row(row, done, total):
    """One progress line: ``[3/9] lr=0.01 M=16 - 1.2s - loss: ... - val_loss: ...``."""
    head = f"[{done}/{total}] lr={row['learning_rate']:g} M={row['batch_size']}"
    if not eligible(row):
        return f"{head} - {row['status']}"
    metrics = [
        f"{key.replace('train_', '')}: {row[key]:.4f}"
        for key in ("train_loss", "val_loss", "val_accuracy", "val_mean_absolute_error")
        if key in row
    ]
    flag = [row["status"]] if row["status"] != "ok" else []
    return " - ".join([head, f"{row['seconds']:.1f}s", *metrics, *flag])


def _write_outputs(table, best, out, model_name):
    out = pathlib.Path(out)
    csv_path, png_path = out / "tuning.csv", out / "tuning_heatmap.png"
    with atomic_path(csv_path) as temp:
        table.to_csv(temp, index=False)
    with atomic_path(png_path) as temp:
        plot_heatmap(table, best, model_name).savefig(
            temp, dpi=120, bbox_inches="tight"
        )
    return csv_path, png_path


def plot_heatmap(table, best, model_name):
    """Heat-map of validation loss over (M, η), with the validation accuracy
    of classifiers; the best pair is boxed.

    The ``Figure`` is made without pyplot: no backend is chosen or changed
    and no figure is left open in the caller's pyplot state.
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    grid = table.pivot(index="batch_size", columns="learning_rate", values="val_loss")
    values = grid.to_numpy(dtype=float)
    finite = np.where(np.isfinite(values), values, np.nan)
    figure = Figure(figsize=(1.6 + 1.3 * grid.shape[1], 1.4 + 0.9 * grid.shape[0]))
    axes = figure.subplots()
    image = axes.imshow(np.log10(finite), cmap="viridis_r", aspect="auto")
    statuses = table.pivot(index="batch_size", columns="learning_rate", values="status")
    accuracy = None
    if "val_accuracy" in table:
        accuracy = table.pivot(
            index="batch_size", columns="learning_rate", values="val_accuracy"
        ).to_numpy(dtype=float)
    for (i, j), value in np.ndenumerate(values):
        status = str(statuses.iat[i, j])
        if not np.isfinite(value):
            text = "diverged" if status.startswith("diverged") else "NaN/inf"
        else:
            text = f"{value:.3g}"
            if accuracy is not None:
                text += f"\nacc {accuracy[i, j]:.3f}"
            if status == "at chance":
                text += "\n(at chance)"
        shade = image.norm(np.log10(value)) if np.isfinite(value) else 0.0
        color = "black" if shade < 0.5 else "white"  # readable on yellow and purple
        axes.text(j, i, text, ha="center", va="center", color=color, fontsize=9)
    col = list(grid.columns).index(best["learning_rate"])
    row = list(grid.index).index(best["batch_size"])
    axes.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, ec="red", lw=3))
    axes.set_xticks(range(grid.shape[1]), [f"{v:g}" for v in grid.columns])
    axes.set_yticks(range(grid.shape[0]), [str(v) for v in grid.index])
    axes.set_xlabel("learning rate η")
    axes.set_ylabel("batch size M")
    axes.set_title(f"{model_name}: validation loss (best boxed)")
    figure.colorbar(image, ax=axes, label="log10 validation loss")
    return figure
