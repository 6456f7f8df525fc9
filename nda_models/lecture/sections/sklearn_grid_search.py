"""Choosing (η, M) on validation folds: scikit-learn's GridSearchCV vs ``nda tune``.

Lecture 12, slide "Hyperparameters choice": run SGD with different
hyper-parameters (learning rate η, mini-batch size M) and keep the pair that
minimises the **validation** loss. Two ways to do exactly that for the
lecture's regression y = 5 + 2·x1 − 3·x2 + ε (``linear_synthetic``), with
plain SGD, the same epochs and the same seed:

- ``nda tune`` (``nda_models.workflows.tune``): one training run per pair on
  the training split, scored on the one validation split;
- scikit-learn's ``GridSearchCV`` over ``NDARegressor``: k-fold
  cross-validation on the training + validation rows, scored by the mean
  squared error of each held-out fold (the model's own loss), then the best
  pair refitted on all those rows.

Both choices are then scored on the test split, which neither has seen.

Figures: ``grid_search_cv.png`` and ``nda_tune.png`` (validation loss over
the grid, the chosen pair boxed).
"""

import numpy as np

import nda_models as nda
from nda_models.core.lazy_module import lazy_module
from nda_models.lecture.scale import check_scale
from nda_models.workflows import tune
from nda_models.workflows.tuning_heatmap import plot_heatmap

model_selection = lazy_module("sklearn.model_selection")
pd = lazy_module("pandas")

MODEL, DATASET = "linear_regressor", "linear_synthetic"
#: scale -> (learning rates, batch sizes, epochs, folds)
GRIDS = {
    "full": ([0.001, 0.01, 0.1], [1, 16, 128], 10, 3),
    "quick": ([0.01, 0.1], [16, 128], 3, 2),
}

__all__ = [
    "compare_choices",
    "cv_heatmap",
    "grid_search_cv",
    "load_data",
    "nda_tune",
    "tune_heatmap",
]


def load_data(*, scale="full"):
    """``linear_synthetic`` (seed 0); prints the grid of ``scale``."""
    learning_rates, batch_sizes, epochs, _ = GRIDS[check_scale(scale)]
    print(f"{MODEL} on {DATASET}: η in {learning_rates}, M in {batch_sizes}, "
          f"{epochs} epochs of plain SGD, seed 0")  # fmt: skip
    return nda.load_dataset(DATASET, seed=0)


def grid_search_cv(ds, *, scale="full"):
    """GridSearchCV over ``NDARegressor`` on the training + validation rows,
    scored by fold MSE; the best pair refitted on all of them."""
    learning_rates, batch_sizes, epochs, folds = GRIDS[check_scale(scale)]
    x = np.concatenate([ds.x_train, ds.x_val])
    y = np.concatenate([ds.y_train, ds.y_val])
    # tol=None: every epoch runs, as in nda tune (no stopping when flat)
    estimator = nda.sklearn.NDARegressor(
        MODEL, optimizer="sgd", epochs=epochs, tol=None, random_state=0
    )
    grid = {"learning_rate": learning_rates, "batch_size": batch_sizes}
    search = model_selection.GridSearchCV(
        estimator,
        grid,
        scoring="neg_mean_squared_error",
        cv=model_selection.KFold(folds, shuffle=True, random_state=0),
        n_jobs=1,
        error_score=np.nan,  # a diverging pair scores NaN, the search goes on
    )
    return search.fit(x, y)


def nda_tune(ds, *, scale="full"):
    """``nda tune``'s search: one run per pair on the training split, scored
    on the validation split (no files, no TensorBoard), a line per pair as it
    finishes. Returns its ``TuningResult``."""
    learning_rates, batch_sizes, epochs, _ = GRIDS[check_scale(scale)]
    return tune(MODEL, ds, learning_rates=learning_rates, batch_sizes=batch_sizes,
                epochs=epochs, optimizer="sgd", logdir=None, seed=0,
                verbose=1)  # fmt: skip


def compare_choices(ds, search, tuned, *, scale="full"):
    """Prints both validation losses over the grid, each choice and its test
    MSE. Returns GridSearchCV's table in ``nda tune``'s columns."""
    folds = GRIDS[check_scale(scale)][3]
    cv_table = _cv_table(search)
    _print_tables(cv_table, tuned.table, folds)
    cv_pick = (search.best_params_["learning_rate"], search.best_params_["batch_size"])
    tune_pick = (tuned.best["learning_rate"], tuned.best["batch_size"])
    test_cv = float(np.mean((search.predict(ds.x_test) - ds.y_test) ** 2))
    test_tune = tuned.best_run.metrics["test"]["loss"]
    print(f"GridSearchCV ({folds}-fold) picks eta={cv_pick[0]:g} M={cv_pick[1]}: "
          f"test MSE {test_cv:.4f}")  # fmt: skip
    print(f"nda tune (one validation split) picks eta={tune_pick[0]:g} "
          f"M={tune_pick[1]}: test MSE {test_tune:.4f}")  # fmt: skip
    print("The two choices " + ("agree." if cv_pick == tune_pick else "differ."))
    return cv_table


def cv_heatmap(search, cv_table, *, scale="full"):
    """GridSearchCV's validation loss over the grid, its choice boxed.
    Returns the ``matplotlib`` Figure (open)."""
    folds = GRIDS[check_scale(scale)][3]
    best = {key: search.best_params_[key] for key in ("learning_rate", "batch_size")}
    return plot_heatmap(cv_table, best, f"GridSearchCV {folds}-fold, {MODEL}")


def tune_heatmap(tuned):
    """``nda tune``'s validation loss over the grid, its choice boxed.
    Returns the ``matplotlib`` Figure (open)."""
    return plot_heatmap(tuned.table, tuned.best, f"nda tune, {MODEL}")


def _cv_table(search):
    """GridSearchCV's results as a table like nda tune's (val_loss = CV MSE)."""
    results = search.cv_results_
    loss = -np.asarray(results["mean_test_score"], dtype=float)
    return pd.DataFrame(
        {
            "learning_rate": np.asarray(results["param_learning_rate"], dtype=float),
            "batch_size": np.asarray(results["param_batch_size"], dtype=int),
            "val_loss": np.where(np.isfinite(loss), loss, np.inf),
            "status": np.where(np.isfinite(loss), "ok", "diverged"),
        }
    )


def _print_tables(cv_table, tune_table, folds):
    merged = cv_table.merge(
        tune_table[["learning_rate", "batch_size", "val_loss"]],
        on=["learning_rate", "batch_size"],
        suffixes=("_cv", "_tune"),
    )
    print(f"\n{'eta':>8} {'M':>5} {f'CV val MSE ({folds}-fold)':>22} "
          f"{'nda tune val_loss':>18}")  # fmt: skip
    for row in merged.itertuples():
        print(f"{row.learning_rate:>8g} {row.batch_size:>5} "
              f"{row.val_loss_cv:>22.4f} {row.val_loss_tune:>18.4f}")  # fmt: skip
    print()
