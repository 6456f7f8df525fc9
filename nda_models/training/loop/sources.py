"""Where the mini-batches come from: in-memory arrays or a ``tf.data.Dataset``.

Both sources run chunks of steps through the fused loops of ``step.py`` and
evaluate through ``evaluation.py``. Arrays stay in memory as tensors and are
sampled in-graph (no ``tf.data`` on that path); a dataset is read through an
iterator created once per epoch, an epoch ending at the end of the data.
Under a ``tf.distribute.Strategy`` both are distributed by ``tf.distribute``
(see ``distribute.py``); evaluation reads the whole, undistributed data.
A dataset's batches are checked in the pipeline (finite features, labels
that are class indices of the model) and an empty dataset is refused; see
``data/pipeline_errors.py``.
"""

import math

import numpy as np
import tensorflow as tf

from nda_models.data.pipeline_errors import after_checks, batch_check, value_error_from
from nda_models.training.run.distribute import input_pipelines, replica_shards
from nda_models.zoo.tasks import CLASSIFICATION

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


EMPTY_DATASET = (
    "The dataset yielded no batches, so there is nothing to train on or "
    "evaluate (a loss of 0.0 would be meaningless). Check the file or filter "
    "that feeds it. Received: an empty tf.data.Dataset"
)


class reported_as_value_error:
    """Context manager: a failed ``batch_check`` becomes its one-line ValueError."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if isinstance(error, tf.errors.InvalidArgumentError):
            found = value_error_from(error)
            if found is not None:
                raise found from None
        return False


def checked_batches(task, num_classes):
    """Returns ``map`` function ``(index, (x, y)) -> (x, y)``: float32 features
    checked finite; labels checked (class indices for a classifier) and cast.

    Each check is one reduction per batch; batch and row numbers in the
    messages count from 1.
    """
    classifier = task in CLASSIFICATION and num_classes is not None

    def checked(index, batch):
        x, y = batch
        x = tf.cast(x, tf.float32)

        def where(first):
            return [index + 1, first + 1]

        checks = [
            batch_check(
                tf.reduce_all(tf.math.is_finite(x), axis=1),
                "A feature in batch {}, row {} of the dataset is NaN or inf. Drop "
                "or impute those rows. Received: non-finite features",
                where,
            )
        ]
        if classifier:
            checks += _label_checks(y, num_classes, index)
        else:
            y = tf.cast(y, tf.float32)
            checks.append(
                batch_check(
                    tf.math.is_finite(y),
                    "A target in batch {}, row {} of the dataset is NaN or inf. "
                    "Drop or impute those rows. Received: non-finite targets",
                    where,
                )
            )
        return after_checks(checks, x, tf.cast(y, tf.int32) if classifier else y)

    return checked


def _label_checks(y, num_classes, index):
    """Labels must be whole numbers in 0..num_classes-1 (one check each)."""
    values = tf.cast(y, tf.float64)

    def where(first):
        return [tf.gather(values, first), index + 1, first + 1]

    checks = []
    if not y.dtype.is_integer:  # integer labels are whole by construction
        checks.append(
            batch_check(
                tf.equal(values, tf.round(values)),
                "Label {} in batch {}, row {} of the dataset is not a whole number: "
                f"a classifier takes class indices 0..{num_classes - 1}. Re-encode "
                "the labels. Received: a non-integer label",
                where,
            )
        )
    checks.append(
        batch_check(
            (values >= 0) & (values < num_classes),
            "Label {} in batch {}, row {} of the dataset is outside "
            f"0..{num_classes - 1}, the classes of this model "
            f"(num_classes={num_classes}). Re-encode the labels or build the "
            "model with more classes. Received: a label out of range",
            where,
        )
    )
    return checks


def check_dataset_labels(dataset, input_dim):
    """Raises unless the dataset yields ``(features, labels)`` pairs."""
    spec = dataset.element_spec
    if not (isinstance(spec, tuple) and len(spec) == 2):
        raise ValueError(
            "A dataset given to fit/evaluate must yield (features, labels) batches, "
            "e.g. tf.data.Dataset.from_tensor_slices((x, y)).batch(32). "
            f"Received: element_spec={spec!r}"
        )
    features, labels = spec
    for name, part in (("features", features), ("labels", labels)):
        if getattr(part, "dtype", None) is not None and part.dtype.is_complex:
            raise TypeError(
                f"Dataset {name} are complex numbers; the models take real "
                f"values. Map them to real ones first (e.g. tf.math.real or "
                f"tf.abs). Received: {name} dtype {part.dtype.name}"
            )
    if features.shape.rank != 2:
        raise ValueError(
            "Dataset features must be batches of shape (batch, n_features); call "
            f".batch(...) on the dataset. Received: features spec {features!r}"
        )
    if features.shape[1] is not None and features.shape[1] != input_dim:
        raise ValueError(
            f"Dataset features have {features.shape[1]} columns but the model "
            f"expects input_dim={input_dim}. Received: features spec {features!r}"
        )
