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

import math
import warnings

import nda_models as nda
from nda_models.core.lazy_module import lazy_module
from nda_models.core.output_locations import check_output_folder, model_folder
from nda_models.core.path_argument import optional_path
from nda_models.export.write.atomic import check_bundle_location
from nda_models.training.diverged_error import TrainingDivergedError
from nda_models.workflows.run_folder import run_dir, run_stamp
from nda_models.workflows.train import (
    export_run,
    fit_run,
    prepare_run,
    train_model,
    trainer_options,
)
from nda_models.workflows.tuning_columns import diverged_row, trained_row
from nda_models.workflows.tuning_grid import check_grid
from nda_models.workflows.tuning_hparams import log_hparams, log_hparams_config
from nda_models.workflows.tuning_outputs import (
    check_apart,
    results_folder,
    write_results,
)
from nda_models.workflows.tuning_result import TuningResult

keras = lazy_module("keras")
model_selection = lazy_module("sklearn.model_selection")
pd = lazy_module("pandas")
sklearn_dummy = lazy_module("sklearn.dummy")

# Validation accuracy within this of the majority-class baseline is "at chance".
CHANCE_MARGIN = 0.02


def tune(
    model_name,
    dataset=None,
    *,
    learning_rates,
    batch_sizes,
    out=None,
    results=None,
    logdir="runs",
    seed=0,
    verbose=0,
    bundle=None,
    **overrides,
):
    """Trains every (η, M) pair and picks the one with the lowest val_loss.

    Args:
        model_name: Registry key.
        dataset: Dataset name or ``Dataset`` (default: the model's recipe).
        learning_rates: List of η values (finite, > 0, each once).
        batch_sizes: List of M values (integers >= 1, each once).
        out: Where to export the best model's bundle, as in ``train_model``
            (``None``: no bundle).
        results: Root of the results folders: this run writes
            ``results/MODEL/TIMESTAMP/`` (``tuning.csv``,
            ``tuning_heatmap.png``, ``best.json``) and points
            ``results/MODEL/latest`` at it; earlier runs are kept.
            ``None`` writes no files.
        logdir: TensorBoard root (the runs go to
            ``logdir/MODEL/TIMESTAMP/tune/lr=…,M=…``, the same TIMESTAMP).
        seed: Same seed for every pair, so only (η, M) differ.
        verbose: 0 silent; 1 one line per (η, M) pair as it finishes (losses,
            validation metric, seconds); 2 also each run's epochs.
        bundle: Former name of ``out`` (deprecated).
        **overrides: Other training options (``epochs``, ``optimizer``...).

    Returns:
        A ``TuningResult``.

    Raises:
        TypeError, ValueError: for a bad grid (checked before any training:
            empty, repeated, NaN or non-positive values, non-numbers).
        RuntimeError: if no pair trained to a finite validation loss.
        Exception: any error other than ``TrainingDivergedError`` stops the
            search unchanged.

    Example:
        >>> result = tune("linear_regressor", learning_rates=[0.01, 0.05],
        ...               batch_sizes=[32], epochs=2, logdir=None)
        >>> result.best["learning_rate"], list(result.table["status"])
        (0.05, ['ok', 'ok'])
    """
    out = _deprecated_bundle(out, bundle)
    optional_path(results, "results", "results")  # before any work
    optional_path(logdir, "logdir", "runs")
    grid = {
        "learning_rate": check_grid(learning_rates, "learning_rates"),
        "batch_size": check_grid(batch_sizes, "batch_sizes"),
    }
    for what, folder in (("results", results), ("logdir", logdir)):
        check_output_folder(model_folder(folder, model_name), what)  # before training
    check_bundle_location(out, "out")
    check_apart(out, results, model_name)
    stamp = run_stamp()
    root = None if logdir is None else run_dir(logdir, model_name, "tune", stamp)
    pairs = _PairRunner(model_name, dataset, seed, max(verbose - 1, 0), overrides)
    log_hparams_config(root, grid, pairs.dataset.task)
    result = _search(pairs, grid, root, verbose)
    result.log_dir = root
    if out is not None:
        result.bundle = export_run(result.best_run, out)
    folder = results_folder(results, model_name, stamp)
    if folder is not None:
        write_results(folder, result, model_name)
    return result


def _search(pairs, grid, root, verbose):
    """Trains every pair of ``grid``; returns the ``TuningResult`` (no files).

    The shared model ends with the weights of the best pair.
    """
    chance = chance_accuracy(pairs.dataset)
    grid_pairs = list(model_selection.ParameterGrid(grid))
    rows, best_run, best_row, best_values = [], None, None, None
    for pair in grid_pairs:
        label = f"lr={pair['learning_rate']:g},M={pair['batch_size']}"
        row, run = _one_pair(pairs, pair, root, label, chance)
        rows.append(row)
        better = best_row is None or row["val_loss"] < best_row["val_loss"]
        if eligible(row) and better:
            best_run, best_row = run, row
            best_values = [v.numpy() for v in run.model.variables]
        if verbose:
            print(_format_row(row, len(rows), len(grid_pairs)), flush=True)
    table = pd.DataFrame(rows)
    if best_run is None:
        raise RuntimeError(
            "No (learning_rate, batch_size) pair trained to a finite validation "
            "loss: every pair diverged or ended with a NaN/inf val_loss. Try "
            "smaller learning rates. Received: "
            f"learning_rates={grid['learning_rate']}, "
            f"statuses={sorted(set(table['status']))}"
        )
    for variable, value in zip(best_run.model.variables, best_values, strict=True):
        variable.assign(value)
    return TuningResult(table, best_row, best_run)


def _deprecated_bundle(out, bundle):
    """``bundle=`` is the old name of ``out=`` (the best model's bundle)."""
    if bundle is None:
        return out
    if out is not None:
        raise ValueError(
            "`bundle` is the former name of `out` (the best model's bundle); give "
            f"only `out`. Received: out={str(out)!r}, bundle={str(bundle)!r}"
        )
    warnings.warn(
        "tune(bundle=...) is deprecated: the best model's bundle is `out`, as in "
        "train_model, and the tables go to `results`.",
        DeprecationWarning,
        stacklevel=3,
    )
    return bundle


def chance_accuracy(dataset):
    """Validation accuracy of always answering the most frequent training
    class (scikit-learn's ``DummyClassifier``), or ``None`` for regression."""
    if dataset.task == "regression":
        return None
    dummy = sklearn_dummy.DummyClassifier(strategy="most_frequent")
    dummy.fit(dataset.x_train, dataset.y_train)
    return float(dummy.score(dataset.x_val, dataset.y_val))


def eligible(row):
    """A row can be chosen: it trained, and its validation loss is finite."""
    return row["status"] in ("ok", "at chance") and math.isfinite(row["val_loss"])


def _status(row, chance):
    """``"ok"``, ``"at chance"`` or ``"non-finite ..."`` for a trained pair."""
    for key in ("val_loss", "final_train_loss"):
        if key in row and not math.isfinite(row[key]):
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
        self.model_name, self.seed, self.verbose = model_name, seed, verbose
        self.overrides = overrides
        self.settings, self.dataset, model = prepare_run(
            model_name, dataset, seed, None, overrides
        )
        self.trainer = None
        if self.settings.get("schedule") in (None, "constant"):
            self.start = [v.numpy() for v in model.variables]
            self.trainer = nda.Trainer(
                model, seed=seed, **trainer_options(self.settings)
            )

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
    try:
        run = pairs.train(pair, callbacks=_epoch_curves(root, label))
    except TrainingDivergedError as error:  # record it, keep searching
        row = diverged_row(pair, pairs.dataset.task)
        row["status"] = f"diverged at step {error.step}"
        log_hparams(root, label, pair, row)
        return row, None
    row = trained_row(pair, run)
    row["status"] = _status(row, chance)
    log_hparams(root, label, pair, row)
    return row, run


def _epoch_curves(root, label):
    """Keras's TensorBoard callback: the pair's own run, with epoch curves."""
    if root is None:
        return ()
    return (keras.callbacks.TensorBoard(log_dir=str(root / label), write_graph=False),)


def _format_row(row, done, total):
    """One progress line: ``[3/9] lr=0.01 M=16 - 1.2s - final_train_loss: ...``."""
    head = f"[{done}/{total}] lr={row['learning_rate']:g} M={row['batch_size']}"
    if not eligible(row):
        return f"{head} - {row['status']}"
    keys = [k for k in row if k not in ("learning_rate", "batch_size", "seconds",
                                        "status")]  # fmt: skip
    metrics = [f"{key}: {row[key]:.4f}" for key in keys]
    flag = [row["status"]] if row["status"] != "ok" else []
    return " - ".join([head, f"{row['seconds']:.1f}s", *metrics, *flag])
