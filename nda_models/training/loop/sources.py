"""Where the mini-batches come from: in-memory arrays or a ``tf.data.Dataset``.

Both sources run chunks of steps through the fused loops of ``step.py`` and
evaluate through ``evaluation.py``. Arrays stay in memory as tensors and are
sampled in-graph (no ``tf.data`` on that path); a dataset is read through an
iterator created once per epoch, an epoch ending at the end of the data.
Under a ``tf.distribute.Strategy`` both are distributed by ``tf.distribute``
(see ``distribute.py``); evaluation reads the whole, undistributed data.
A dataset's batches are checked in the pipeline (finite features, labels
that are class indices of the model) and an empty dataset is refused; see
``dataset_checks.py``.
"""

import math

import numpy as np
import tensorflow as tf

from nda_models.training.loop.dataset_checks import (
    EMPTY_DATASET,
    check_dataset_labels,
    checked_batches,
    reported_as_value_error,
)
from nda_models.training.loop.evaluation import EVALUATION_BATCH_SIZE
from nda_models.training.loop.inputs import check_features, check_labels
from nda_models.training.run.distribute import input_pipelines, replica_shards

UNKNOWN_CHUNK = 1000  # steps per graph call when a dataset's length is unknown


def _numpy(totals):
    return {key: np.asarray(value) for key, value in totals.items()}


class ArraySource:
    """In-memory features and labels, sampled in-graph.

    The sampler draws mini-batches of row numbers of the whole set, the same
    on one device and under a strategy; with a ``strategy`` each replica
    holds only its rows (``distribute.replica_shards``) and trains on those
    of each mini-batch.

    Args:
        x: float32 (n, d) features.
        y: (n,) labels.
        batch_size: M, clamped to n (M = n is full-batch gradient descent).
        strategy: ``None``, or the ``tf.distribute.Strategy`` to train under.

    Example:
        >>> source = ArraySource(np.zeros((100, 2), "float32"), np.zeros(100), 32)
        >>> source.steps_per_epoch, source.batch_size  # the last batch has 4 rows
        (4, 32)
        >>> ArraySource(np.zeros((10, 2), "float32"), np.zeros(10), 64).batch_size
        10
    """

    def __init__(self, x, y, batch_size, strategy=None):
        self.arrays = (x, y)
        if strategy is None:
            self.x, self.y = tf.constant(x), tf.constant(y)
            self.sharding = "none"
        else:
            self.x, self.y = replica_shards(strategy, x), replica_shards(strategy, y)
            # The mini-batches do not depend on the number of replicas.
            self.sharding = "rows by replica"
        self.num_samples = int(x.shape[0])
        self.batch_size = min(batch_size, self.num_samples)
        self.steps_per_epoch = math.ceil(self.num_samples / self.batch_size)

    def begin_epoch(self, skip=0):
        """Nothing to do: the sampler reshuffles in-graph (and its order and
        batch index are restored with a checkpoint, so ``skip`` is unused)."""
        del skip

    def train(self, loops, num_steps, *, checked=False):
        """Runs ``num_steps`` steps in one graph call; returns NumPy totals.

        ``checked`` runs the loop that tests every step (see ``step.py``).
        """
        train_steps = loops.train_steps_checked if checked else loops.train_steps
        totals = train_steps(
            self.x,
            self.y,
            tf.constant(self.num_samples, tf.int64),
            tf.constant(self.batch_size, tf.int64),
            tf.constant(num_steps, tf.int64),
        )
        return _numpy(totals)

    def evaluate(self, loops, batch_size):
        """Returns the NumPy totals of the whole set and the number of batches."""
        batch_size = min(batch_size, self.num_samples)
        totals = loops.evaluate_batches(
            self.x, self.y, tf.constant(batch_size, tf.int64)
        )
        return _numpy(totals), math.ceil(self.num_samples / batch_size)


class DatasetSource:
    """A ``tf.data.Dataset`` of ``(features, labels)`` batches.

    Under a ``strategy`` the dataset's batches are global batches, and
    ``tf.distribute`` splits them: a stream that can build itself for an
    ``InputContext`` (``nda.stream_csv``) through
    ``strategy.distribute_datasets_from_function``, any other dataset
    through ``strategy.experimental_distribute_dataset`` (auto-sharded
    across workers by file, else by record, and rebatched per replica).

    Args:
        dataset: Batched dataset; its length (``cardinality``) may be unknown.
        input_dim: Features per example the model expects.
        strategy: ``None``, or the ``tf.distribute.Strategy`` to train under.
        task: The model's task (``"regression"``, ``"binary"``,
            ``"multiclass"`` or ``None``), for the label checks.
        num_classes: Classes of a classifier: labels must be 0..num_classes-1.
    """

    arrays = None  # no in-memory copy: callbacks needing data take `data=`

    def __init__(self, dataset, input_dim, strategy=None, task=None, num_classes=None):
        check_dataset_labels(dataset, input_dim)
        self.input_function = getattr(dataset, "input_function", None)
        self.strategy = strategy
        self.checked = checked_batches(task, num_classes)
        self.dataset = dataset.enumerate().map(
            self.checked, num_parallel_calls=tf.data.AUTOTUNE
        )
        cardinality = int(dataset.cardinality())
        if cardinality == tf.data.INFINITE_CARDINALITY:
            raise ValueError(
                "The dataset is infinite, so an epoch never ends. Use "
                "dataset.take(steps) or drop .repeat(). Received: an infinite dataset"
            )
        if cardinality == 0:
            raise ValueError(EMPTY_DATASET)
        self.steps_per_epoch = cardinality if cardinality >= 0 else None
        self.sharding = self._sharding()
        self.iterator = None
        self.steps_this_epoch = 0

    def _sharding(self):
        """How the workers share the data (recorded in the run signature)."""
        if self.strategy is None:
            return "none"
        pipelines = input_pipelines(self.strategy)
        if self.input_function is None:  # tf.data's AUTO policy
            return f"auto-shard over {pipelines} workers"
        files = len(self.input_function.files)
        by = self.input_function.sharding(pipelines)
        return f"by {by} over {pipelines} workers, {files} files"

    def begin_epoch(self, skip=0):
        """Starts a pass over the data, skipping ``skip`` batches (a resumed epoch)."""
        self.iterator = iter(self._distributed(skip))
        self.steps_this_epoch = skip

    def _distributed(self, skip):
        strategy = self.strategy
        if strategy is None:
            return self.dataset.skip(skip) if skip else self.dataset
        if self.input_function is None:
            dataset = self.dataset.skip(skip) if skip else self.dataset
            return strategy.experimental_distribute_dataset(dataset)

        def local_batches(context):
            dataset = self.input_function(context).enumerate().map(self.checked)
            # A step takes one batch per replica of this worker.
            local = context.num_replicas_in_sync // context.num_input_pipelines
            return dataset.skip(skip * local) if skip else dataset

        return strategy.distribute_datasets_from_function(local_batches)

    def train(self, loops, num_steps, *, checked=True):
        """Runs up to ``num_steps`` steps; fewer when the data ends. Every
        step is checked: an iterator cannot replay a call."""
        del checked
        with reported_as_value_error():
            totals = loops.train_steps_from_iterator(
                self.iterator, tf.constant(num_steps, tf.int64)
            )
        totals = _numpy(totals)
        self.steps_this_epoch += int(totals["steps"])
        if self.steps_this_epoch == 0:
            raise ValueError(EMPTY_DATASET)
        return totals

    def evaluate(self, loops, batch_size):
        """Evaluates one full pass; ``batch_size`` is the dataset's own."""
        del batch_size
        with reported_as_value_error():
            totals = loops.evaluate_iterator(
                iter(self.dataset), tf.constant(np.iinfo(np.int64).max, tf.int64)
            )
        totals = _numpy(totals)
        if int(totals["steps"]) == 0:
            raise ValueError(EMPTY_DATASET)
        return totals, int(totals["steps"])


def as_source(x, y, info, *, batch_size, strategy=None, names=("x", "y")):
    """Returns the data as a source, checked for the model ``info`` describes.

    Args:
        x: Features (n, d), or a ``tf.data.Dataset`` of ``(x, y)`` batches.
        y: Labels (n,), or ``None`` with a dataset.
        info: ``ModelInfo`` (input_dim, task, num_classes).
        batch_size: M for arrays (a dataset comes batched).
        strategy: Distribute over its replicas (training data), or ``None``
            (evaluation reads the whole data).
        names: The names of ``x`` and ``y`` in error messages.

    Raises:
        ValueError, TypeError: for data the model cannot take.
    """
    x_name, y_name = names
    if isinstance(x, tf.data.Dataset):
        if y is not None:
            raise ValueError(
                f"`{y_name}` must be None when `{x_name}` is a tf.data.Dataset "
                f"(the dataset yields the labels). Received: {y_name} of type "
                f"{type(y).__name__}"
            )
        return DatasetSource(x, info.input_dim, strategy, info.task, info.num_classes)
    x = check_features(x, info.input_dim, x_name)
    y = check_labels(y, x.shape[0], info.task, info.num_classes, y_name)
    return ArraySource(x, y, batch_size, strategy)


def as_validation_source(validation_data, info, batch_size=EVALUATION_BATCH_SIZE):
    """``validation_data`` (a pair ``(x_val, y_val)``, a dataset or ``None``)
    as a source of ``batch_size`` rows per batch, or ``None``."""
    if validation_data is None:
        return None
    if isinstance(validation_data, tf.data.Dataset):
        names = ("validation_data", "y_val")
        return as_source(validation_data, None, info, batch_size=1, names=names)
    if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):
        raise ValueError(
            "`validation_data` must be a pair (x_val, y_val) or a tf.data.Dataset."
            f" Received: validation_data of type {type(validation_data).__name__}"
        )
    x_val, y_val = validation_data
    return as_source(
        x_val, y_val, info, batch_size=batch_size, names=("x_val", "y_val")
    )
