"""The checks of a ``tf.data`` dataset given to ``fit`` / ``evaluate``.

Before any graph runs, ``check_dataset_labels`` reads the element spec:
``(features, labels)`` batches, real dtypes, the model's width. Inside the
pipeline, ``checked_batches`` maps every batch through one reduction per
check (finite features; finite targets, or labels that are class indices
of the model), and ``reported_as_value_error`` turns a failed check into
its one-line ``ValueError`` naming the batch and row (or the file line of
a ``stream_csv`` stream, see ``data/pipeline_errors.py``).
"""

import tensorflow as tf

from nda_models.data.pipeline_errors import after_checks, batch_check, value_error_from
from nda_models.zoo.tasks import CLASSIFICATION

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
    """Raises unless the dataset yields ``(features, labels)`` pairs.

    Example:
        >>> features = tf.data.Dataset.from_tensor_slices(np.zeros((4, 2))).batch(2)
        >>> check_dataset_labels(features, 2)
        Traceback (most recent call last):
        ValueError: A dataset given to fit/evaluate must yield (features, labels) ...
        >>> pairs = tf.data.Dataset.from_tensor_slices((np.zeros((4, 2)), np.zeros(4)))
        >>> check_dataset_labels(pairs.batch(2), 2)  # fine: nothing raised
    """
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
