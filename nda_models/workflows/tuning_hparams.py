"""TensorBoard's HParams tab for ``tune``: one session per (η, M) pair.

The HParams columns carry the names of ``tuning.csv``'s columns, with the
same values, so that "loss" means one thing everywhere:

- ``last_epoch_loss``: the mean training loss over the last epoch's
  mini-batches, the weights moving (Keras's ``loss``, the last row of the
  bundle's ``history.csv``; the ``epoch_loss`` curve of the pair's run);
- ``final_train_loss``: the final model evaluated on the whole training split;
- ``val_loss`` and the task's validation metric (``val_accuracy`` for
  classifiers, ``val_mean_absolute_error`` for regressors, never both): the
  final model on the validation split, which is also the last point of the
  validation ``epoch_*`` curves.
"""

import math

from nda_models.workflows.tuning_columns import val_metric


def log_hparams_config(root, grid, task):
    """Declares the grid's values and the task's metric columns under ``root``.

    Args:
        root: The tuning run's TensorBoard folder, or ``None`` (nothing).
        grid: ``{"learning_rate": [...], "batch_size": [...]}``.
        task: ``"regression"``, ``"binary"`` or ``"multiclass"``.
    """
    if root is None:
        return
    import tensorflow as tf
    from tensorboard.plugins.hparams import api as hp

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
    from tensorboard.plugins.hparams import api as hp

    name = val_metric(task)
    return [
        hp.Metric("epoch_loss", group="train", display_name="last_epoch_loss"),
        hp.Metric("hparams/final_train_loss", display_name="final_train_loss"),
        hp.Metric("epoch_loss", group="validation", display_name="val_loss"),
        hp.Metric(
            f"epoch_{name.removeprefix('val_')}", group="validation", display_name=name
        ),
    ]


def log_hparams(root, label, pair, row):
    """Writes the session of one pair: its (η, M) and its final training loss.

    The validation columns and ``last_epoch_loss`` are the last points of the
    pair's epoch curves (Keras's TensorBoard callback, in ``root/label``).
    """
    if root is None:
        return
    import tensorflow as tf
    from tensorboard.plugins.hparams import api as hp

    with tf.summary.create_file_writer(str(root / label)).as_default():
        hp.hparams(
            {
                "learning_rate": float(pair["learning_rate"]),
                "batch_size": int(pair["batch_size"]),
            },
            trial_id=label,
        )
        if math.isfinite(row["final_train_loss"]):
            tf.summary.scalar(
                "hparams/final_train_loss", row["final_train_loss"], step=1
            )
