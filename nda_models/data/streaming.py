"""``stream_csv``: a CSV file larger than memory as a ``tf.data`` pipeline.

Lines are read lazily (``tf.data.TextLineDataset``), shuffled in a bounded
buffer, cut into mini-batches and parsed a batch at a time with
``tf.io.decode_csv``, so memory depends on ``shuffle_buffer`` and
``batch_size``, not on the file size. Before any TensorFlow work the header
and the first ``check_rows`` rows are validated with pandas, exactly as
``load_dataset("csv:...")`` does, so a bad header or an early bad cell gets the
same clear ``ValueError``. Further down, each batch is checked in the
pipeline (one reduction per check): a NaN or inf feature or target, a
non-integer or negative class label, a binary label other than 0/1, or a
label missing from ``class_names`` stops iteration with an error naming the
file line (the ``Trainer`` reports it as a one-line ``ValueError``, see
``pipeline_errors.py``). A cell that is not a number at all still surfaces
as TensorFlow's ``InvalidArgumentError``. Cells must not contain line breaks
(one row per line).
"""

import numpy as np

from nda_models.constraints import POSITIVE_INT
from nda_models.data.csv_cells import numeric_column
from nda_models.data.csv_file import CSV_TASKS
from nda_models.data.csv_read import check_csv_path, read_cells
from nda_models.data.csv_schema import resolve_schema
from nda_models.data.csv_target import encode_target, infer_task
from nda_models.pipeline_errors import batch_check


def stream_csv(
    path,
    *,
    target=None,
    features=None,
    batch_size=32,
    task=None,
    class_names=None,
    shuffle=True,
    shuffle_buffer=10_000,
    seed=None,
    num_epochs=1,
    check_rows=1000,
):
    """Streams ``(x, y)`` mini-batches from a CSV file with bounded memory.

    Args:
        path: CSV file whose first line names the columns.
        target: Target column name (default: the last column).
        features: Feature column names (default: every other column).
        batch_size: Rows per batch.
        task: ``None`` (infer from the first rows), ``"regression"``,
            ``"classification"``, ``"binary"`` or ``"multiclass"``.
        class_names: The labels as written in the file, in class-index order.
            Required for text labels (a stream cannot see every label in
            advance); without it integer labels are used as class indices.
        shuffle: Shuffle lines in a buffer of ``shuffle_buffer`` lines.
        shuffle_buffer: Lines held for shuffling (bounds the memory).
        seed: Shuffle seed.
        num_epochs: Passes over the file; ``None`` repeats forever.
        check_rows: Rows validated with pandas before streaming.

    Returns:
        A ``tf.data.Dataset`` of ``(x, y)``: ``x`` float32 ``(batch, d)``,
        ``y`` float32 (regression) or int32 class indices, shape ``(batch,)``.

    Example:
        >>> stream = stream_csv("big.csv", target="y", batch_size=256)  # doctest: +SKIP
        >>> model.fit(stream, epochs=1)  # doctest: +SKIP
    """
    batch_size = POSITIVE_INT.check("batch_size", batch_size)
    CSV_TASKS.check("task", task)
    path = check_csv_path(path)
    header, rows = read_cells(path, nrows=check_rows)
    schema = resolve_schema(path, header, target=target, features=features)
    for name, index in zip(schema.features, schema.feature_indices, strict=True):
        numeric_column(path, name, rows[index])
    labels = rows[schema.target_index]
    task = infer_task(labels.str.strip()) if task is None else task
    encode_target(path, schema.target, labels, task, class_names)
    text_labels = task != "regression" and _has_text(labels)
    if text_labels and class_names is None:
        raise ValueError(
            f"CSV file '{path}', column '{schema.target}' holds text labels; to "
            "stream them pass class_names=[...] listing every label in class-index "
            f"order. Received: first labels {list(labels.iloc[:3])}"
        )
    return _pipeline(
        path,
        schema,
        task,
        class_names,
        batch_size,
        shuffle,
        shuffle_buffer,
        seed,
        num_epochs,
    )


def _has_text(labels):
    import pandas as pd

    return bool(pd.to_numeric(labels, errors="coerce").isna().any())


def _pipeline(
    path, schema, task, class_names, batch_size, shuffle, buffer, seed, num_epochs
):
    """Lines -> shuffle -> batch -> decode_csv -> (x, y) -> prefetch."""
    import tensorflow as tf

    columns = sorted((*schema.feature_indices, schema.target_index))
    where = {index: position for position, index in enumerate(columns)}
    label_dtype = tf.string if class_names is not None else tf.float32
    defaults = [
        tf.constant([], label_dtype if index == schema.target_index else tf.float32)
        for index in columns
    ]
    lookup = _label_lookup(tf, class_names)

    def decode(numbers, lines):
        # Blank lines are skipped, as pandas does; masked per batch, not per line.
        kept = tf.strings.length(tf.strings.strip(lines)) > 0
        lines, numbers = tf.boolean_mask(lines, kept), tf.boolean_mask(numbers, kept)
        fields = tf.io.decode_csv(lines, defaults, select_cols=columns)
        x = tf.stack([fields[where[i]] for i in schema.feature_indices], axis=1)
        y = fields[where[schema.target_index]]
        checks = [_finite_check(path, numbers, x, y, task)]
        if task != "regression" and lookup is None:
            checks.append(_label_check(path, numbers, y, task, schema.target))
            y = tf.cast(y, tf.int32)
        elif task != "regression":
            y = lookup.lookup(y)
            checks.append(
                _line_check(
                    y >= 0,
                    numbers,
                    f"CSV file '{path}', line {{}}: the label in column "
                    f"'{schema.target}' is not one of class_names. Add it to "
                    "class_names or fix the row. Received: an unknown label",
                )
            )
        with tf.control_dependencies(checks):
            return tf.identity(x), tf.identity(y)

    # Line numbers as an editor shows them: the header is line 1.
    lines = tf.data.TextLineDataset(str(path)).skip(1).enumerate(start=2)
    if shuffle:
        lines = lines.shuffle(buffer, seed=seed, reshuffle_each_iteration=True)
    if num_epochs != 1:
        lines = lines.repeat(num_epochs)
    stream = lines.batch(batch_size).map(decode, num_parallel_calls=tf.data.AUTOTUNE)
    return stream.prefetch(tf.data.AUTOTUNE)


def _line_check(ok, numbers, message):
    """One check per batch: ``message`` names the file line of the first bad row."""
    import tensorflow as tf

    first = tf.argmin(tf.cast(ok, tf.int32))
    return batch_check(tf.reduce_all(ok), message, tf.gather(numbers, first))


def _finite_check(path, numbers, x, y, task):
    """NaN/inf cells (``nan``, ``inf`` in the file) are refused with their line."""
    import tensorflow as tf

    ok = tf.reduce_all(tf.math.is_finite(x), axis=1)
    if task == "regression":
        ok = ok & tf.math.is_finite(y)
    return _line_check(
        ok,
        numbers,
        f"CSV file '{path}', line {{}}: a cell is NaN or inf. Drop or impute "
        "that row. Received: a non-finite number",
    )


def _label_check(path, numbers, y, task, target):
    """Integer class labels: whole numbers >= 0, and 0 or 1 for a binary task."""
    import tensorflow as tf

    ok = tf.math.is_finite(y) & tf.equal(y, tf.round(y)) & (y >= 0)
    expected = "a whole number >= 0 (a class index)"
    if task == "binary":
        ok = ok & (y <= 1)
        expected = "0 or 1 (a binary task)"
    return _line_check(
        ok,
        numbers,
        f"CSV file '{path}', line {{}}: the label in column '{target}' must be "
        f"{expected}. Fix the row or pass task=/class_names=. Received: an "
        "invalid label",
    )


def _label_lookup(tf, class_names):
    """A table from label text to class index, or ``None``."""
    if class_names is None:
        return None
    keys = tf.constant([str(name) for name in class_names])
    values = tf.constant(np.arange(len(class_names), dtype=np.int32))
    initializer = tf.lookup.KeyValueTensorInitializer(keys, values)
    return tf.lookup.StaticHashTable(initializer, default_value=-1)
