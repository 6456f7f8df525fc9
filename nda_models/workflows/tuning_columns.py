"""The columns of ``tune``'s table (``tuning.csv``), one meaning per name.

- ``learning_rate``, ``batch_size``: the pair (η, M).
- ``final_train_loss``: the final model on the whole training split
  (``Trainer.evaluate``).
- ``last_epoch_loss``: the mean loss over the last epoch's mini-batches while
  the weights moved: Keras's ``loss``, the last row of ``history.csv``. With
  dropout or a large η it differs from ``final_train_loss``.
- ``val_loss``: the final model on the validation split (the last point of
  the ``val_loss`` curve: both are measured after the last step).
- ``val_accuracy`` (classifiers) or ``val_mean_absolute_error`` (regressors):
  the task's validation metric, of the final model.
- ``seconds``: wall time of the pair's training; ``status``: see ``tune``.

TensorBoard's HParams tab shows the same names with the same values
(``tuning_hparams.py``).

Example:
    >>> val_metric("regression"), val_metric("binary")
    ('val_mean_absolute_error', 'val_accuracy')
"""

import math


def val_metric(task):
    """The validation metric column of a task."""
    return "val_mean_absolute_error" if task == "regression" else "val_accuracy"


def trained_row(pair, run):
    """The row of a pair that trained (``run`` is its ``TrainingRun``).

    Example:
        >>> import types
        >>> run = types.SimpleNamespace(
        ...     metrics={"train": {"loss": 0.5, "accuracy": 0.8},
        ...              "val": {"loss": 0.6, "accuracy": 0.75}},
        ...     history={"loss": [0.9, 0.55]}, seconds=1.23456)
        >>> trained_row({"learning_rate": 0.1, "batch_size": 8}, run)
        {'learning_rate': 0.1, 'batch_size': 8, 'final_train_loss': 0.5,
         'last_epoch_loss': 0.55, 'val_loss': 0.6, 'val_accuracy': 0.75,
         'seconds': 1.235}
    """
    val = run.metrics["val"]
    metric = "accuracy" if "accuracy" in val else "mean_absolute_error"
    history = run.history.get("loss") or [math.nan]
    return {
        "learning_rate": pair["learning_rate"],
        "batch_size": pair["batch_size"],
        "final_train_loss": run.metrics["train"]["loss"],
        "last_epoch_loss": float(history[-1]),
        "val_loss": val["loss"],
        f"val_{metric}": val[metric],
        "seconds": round(run.seconds, 3),
    }


def diverged_row(pair, task):
    """The row of a pair whose training diverged: infinite losses, no metric."""
    return {
        "learning_rate": pair["learning_rate"],
        "batch_size": pair["batch_size"],
        "final_train_loss": math.inf,
        "last_epoch_loss": math.inf,
        "val_loss": math.inf,
        val_metric(task): math.nan,
        "seconds": math.nan,
    }
