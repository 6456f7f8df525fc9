"""TensorBoard's HParams tab for ``tune``: one session per (η, M) pair.

The HParams columns carry the names of ``tuning.csv``'s columns, with the
same values (see ``tuning_columns``), so that "loss" means one thing
everywhere: ``final_train_loss``, ``last_epoch_loss``, ``val_loss`` and the
task's validation metric (``val_accuracy`` for classifiers,
``val_mean_absolute_error`` for regressors, never both), each logged as
``hparams/NAME``. One more column shows the last point of the validation
``epoch_loss`` curve (Keras's TensorBoard callback in the pair's run), which
is ``val_loss`` again: both are measured after the last step.
"""

import math

from nda_models.core.lazy_module import lazy_module
from nda_models.workflows.tuning_columns import val_metric

hp = lazy_module("tensorboard.plugins.hparams.api")
tf = lazy_module("tensorflow")


def log_hparams_config(root, grid, task):
    """Declares the grid's values and the task's metric columns under ``root``.

    Args:
        root: The tuning run's TensorBoard folder, or ``None`` (nothing).
        grid: ``{"learning_rate": [...], "batch_size": [...]}``.
        task: ``"regression"``, ``"binary"`` or ``"multiclass"``.
    """
    if root is None:
        return
    hparams = [
        hp.HParam(
            "learning_rate", hp.Discrete([float(v) for v in grid["learning_rate"]])
        ),
        # Plain ints: the HParams tab then shows and sorts M as an integer.
        hp.HParam("batch_size", hp.Discrete([int(v) for v in grid["batch_size"]])),
    ]
    with tf.summary.create_file_writer(str(root)).as_default():
        hp.hparams_config(hparams=hparams, metrics=_metrics(task))


def _metrics(task):
    """HParams metrics named as the table's columns (see the module doc)."""
    return [
        *(hp.Metric(f"hparams/{name}", display_name=name) for name in _columns(task)),
        # The validation curve's last point, beside its table twin val_loss.
        hp.Metric(
            "epoch_loss",
            group="validation",
            display_name="validation epoch_loss (last point: val_loss)",
        ),
    ]


def _columns(task):
    return ("final_train_loss", "last_epoch_loss", "val_loss", val_metric(task))


def log_hparams(root, label, pair, row):
    """Writes the session of one pair: its (η, M) and its row's values.

    A diverged pair has its (η, M) and no values (its losses are infinite).
    """
    if root is None:
        return
    with tf.summary.create_file_writer(str(root / label)).as_default():
        hp.hparams(
            {
                "learning_rate": float(pair["learning_rate"]),
                "batch_size": int(pair["batch_size"]),
            },
            trial_id=label,
        )
        for name in (key for key in row if key in _ALL_COLUMNS):
            if math.isfinite(row[name]):
                tf.summary.scalar(f"hparams/{name}", row[name], step=1)


_ALL_COLUMNS = {*_columns("regression"), *_columns("binary")}
