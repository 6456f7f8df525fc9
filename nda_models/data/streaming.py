"""``stream_csv``: CSV files larger than memory as a ``tf.data`` pipeline.

One file or several parts with the same header (a list, or a glob such as
``"parts/*.csv"``). Lines are read lazily (``tf.data.TextLineDataset``),
shuffled in a bounded buffer, cut into mini-batches and parsed a batch at a time with
``tf.io.decode_csv``, so memory depends on ``shuffle_buffer`` and
``batch_size``, not on the file size. Before any TensorFlow work the header
and the first ``check_rows`` rows are validated with pandas, exactly as
``load_dataset("csv:...")`` does, so a bad header or an early bad cell gets the
same clear ``ValueError``. Further down, each batch is checked in the
pipeline (one reduction per check): a NaN or inf feature or target, a
non-integer or negative class label, a binary label other than 0/1, or a
label missing from ``class_names``, or a cell that is not a number at all,
stops iteration with an error naming the file and line (the ``Trainer``
reports it as a one-line ``ValueError``, see ``data/pipeline_errors.py``). A row
with too few fields still surfaces as TensorFlow's ``InvalidArgumentError``.
Cells must not contain line breaks (one row per line).

Under ``tf.distribute`` each input pipeline (one per worker) reads only its
share, as ``tf.data``'s auto-sharding would: the files ``i, i + k, ...`` of
``k`` pipelines when there are at least ``k`` files, else every ``k``-th
line, taken before shuffling so the shares are disjoint whatever the seed.
``Trainer.fit`` builds each worker's share through
``strategy.distribute_datasets_from_function`` with the stream's
``input_function``; Keras users pass ``input_context=`` themselves.
"""

import numpy as np

from nda_models.core.constraints import POSITIVE_INT
from nda_models.data.csv_cells import numeric_column
from nda_models.data.csv_file import CSV_TASKS
from nda_models.data.csv_paths import check_csv_paths
from nda_models.data.csv_read import read_cells
from nda_models.data.csv_schema import resolve_schema
from nda_models.data.csv_target import encode_target, infer_task
from nda_models.data.pipeline_errors import after_checks, batch_check
from nda_models.data.stream_identity import StreamIdentity


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
    input_context=None,
):
    """Streams ``(x, y)`` mini-batches from CSV files with bounded memory.

    Args:
        path: CSV file whose first line names the columns, a glob pattern
            (``"parts/*.csv"``, files in sorted order) or a list of files,
            all with the same header; their rows are read in file order.
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
        check_rows: Rows of each file validated with pandas before streaming.
        input_context: ``None`` (every row), or the ``tf.distribute.InputContext``
            given to a ``strategy.distribute_datasets_from_function`` function:
            then this pipeline's share of the rows, in per-replica batches of
            ``input_context.get_per_replica_batch_size(batch_size)``.

    Returns:
        A ``tf.data.Dataset`` of ``(x, y)``: ``x`` float32 ``(batch, d)``,
        ``y`` float32 (regression) or int32 class indices, shape ``(batch,)``.
        Its ``input_function(context)`` builds the same stream for an
        ``InputContext`` (what ``Trainer.fit`` distributes under a strategy),
        and its ``identity`` (a ``StreamIdentity``: files, their bytes and the
        reading settings) is what a checkpointed run records, so that resuming
        on other data is refused (see ``data/stream_identity.py``).

    Normalisation statistics of the same file, for the model's
    ``normalization=``, come from ``csv_normalization`` (one chunked pass).

    Example:
        >>> stream = stream_csv("big.csv", target="y", batch_size=256)  # doctest: +SKIP
        >>> model.fit(stream, epochs=1)  # doctest: +SKIP
    """
    batch_size = POSITIVE_INT.check("batch_size", batch_size)
    CSV_TASKS.check("task", task)
    files = check_csv_paths(path)
    schema, task = _check_files(files, target, features, task, class_names, check_rows)
    build = StreamBuilder(
        files, schema, task, class_names, batch_size, shuffle, shuffle_buffer, seed,
        num_epochs,
    )  # fmt: skip
    stream = build(input_context)
    if input_context is None:
        stream.input_function = build
    stream.identity = build.identity
    return stream


def _check_files(files, target, features, task, class_names, check_rows):
    """Validates the header and first rows of every file; returns the schema
    and the task (inferred from the first file's labels when ``None``)."""
    schema = None
    for path in files:
        header, rows = read_cells(path, nrows=check_rows)
        found = resolve_schema(path, header, target=target, features=features)
        if schema is not None and found.header != schema.header:
            raise ValueError(
                f"CSV file '{path}' has the columns {list(found.header)} but "
                f"'{files[0]}' has {list(schema.header)}; every part of a data set "
                f"needs the same header. Received: {len(files)} files"
            )
        schema = found
        for name, index in zip(schema.features, schema.feature_indices, strict=True):
            numeric_column(path, name, rows[index])
        labels = rows[schema.target_index]
        task = infer_task(labels.str.strip()) if task is None else task
        encode_target(path, schema.target, labels, task, class_names)
        text_labels = task != "regression" and _has_text(labels)
        if text_labels and class_names is None:
            raise ValueError(
                f"CSV file '{path}', column '{schema.target}' holds text labels; to "
                "stream them pass class_names=[...] listing every label in "
                f"class-index order. Received: first labels {list(labels.iloc[:3])}"
            )
    return schema, task


def _has_text(labels):
    import pandas as pd

    return bool(pd.to_numeric(labels, errors="coerce").isna().any())


class StreamBuilder:
    """Builds the stream of ``stream_csv`` for one ``tf.distribute.InputContext``.

    Attributes:
        files: The CSV files, in reading order.
        identity: The ``StreamIdentity`` of the stream (for run signatures).
    """

    def __init__(self, files, schema, task, class_names, batch_size, shuffle,
                 buffer, seed, num_epochs):  # fmt: skip
        self.files = files
        self.schema, self.task, self.class_names = schema, task, class_names
        self.batch_size, self.shuffle, self.buffer = batch_size, shuffle, buffer
        self.seed, self.num_epochs = seed, num_epochs
        self.identity = StreamIdentity(files, self._settings())

    def _settings(self):
        """The reading settings that a resumed run must share."""
        schema, names = self.schema, self.class_names
        return {
            "header": list(schema.header),
            "target": schema.target,
            "features": list(schema.features),
            "task": self.task,
            "class_names": None if names is None else [str(n) for n in names],
            "batch_size": self.batch_size,
            "num_epochs": self.num_epochs,
            "shuffle": {"buffer": self.buffer, "seed": self.seed}
            if self.shuffle
            else None,
        }

    def sharding(self, pipelines):
        """``"file"`` or ``"line"``: how ``pipelines`` input pipelines share."""
        return "file" if len(self.files) >= pipelines else "line"

    def __call__(self, context=None):
        """Lines -> share -> shuffle -> batch -> decode_csv -> (x, y) -> prefetch."""
        import tensorflow as tf

        batch_size = self.batch_size
        if context is not None:
            batch_size = _per_replica_batch_size(context, batch_size)
        lines = self._lines(tf, context)
        if self.shuffle:
            lines = lines.shuffle(
                self.buffer, seed=self.seed, reshuffle_each_iteration=True
            )
        if self.num_epochs != 1:
            lines = lines.repeat(self.num_epochs)
        decode = _decoder(tf, self.schema, self.task, self.class_names)
        stream = lines.batch(batch_size)
        stream = stream.map(decode, num_parallel_calls=tf.data.AUTOTUNE)
        return stream.prefetch(tf.data.AUTOTUNE)

    def _lines(self, tf, context):
        """``(file, line number, text)`` of the data lines (headers dropped) of
        this input pipeline's share."""
        files, pipelines = self.files, 1
        if context is not None:
            pipelines, index = context.num_input_pipelines, context.input_pipeline_id
        by_file = pipelines > 1 and self.sharding(pipelines) == "file"
        if by_file:
            files = files[index::pipelines]
        names = tf.data.Dataset.from_tensor_slices([str(path) for path in files])
        lines = names.flat_map(_numbered_lines)
        if pipelines > 1 and not by_file:
            lines = lines.shard(pipelines, index)
        return lines


def _numbered_lines(name):
    """A file's data lines as ``(file, line number, text)``; the numbers are
    those an editor shows (the header is line 1)."""
    import tensorflow as tf

    lines = tf.data.TextLineDataset(name).skip(1).enumerate(start=2)
    return lines.map(lambda number, line: (name, number, line))


def _per_replica_batch_size(context, batch_size):
    """``batch_size`` (the global batch) / replicas, which must divide it."""
    replicas = context.num_replicas_in_sync
    if batch_size % replicas:
        raise ValueError(
            f"Under tf.distribute, batch_size is the global batch and must be "
            f"divisible by the {replicas} replicas (each replica reads "
            f"batch_size / replicas rows per step). Received: batch_size={batch_size}"
        )
    return context.get_per_replica_batch_size(batch_size)


def _decoder(tf, schema, task, class_names):
    """Returns ``decode(files, numbers, lines) -> (x, y)`` for a batch of lines."""
    columns = sorted((*schema.feature_indices, schema.target_index))
    where = {index: position for position, index in enumerate(columns)}
    # Cells are read as text and checked to be numbers here, so a bad cell is
    # reported with its file, line and column (decode_csv's own float parsing
    # would only say "record N", a position in the batch).
    defaults = [tf.constant([""]) for _ in columns]
    numeric = [*schema.features] + ([schema.target] if class_names is None else [])
    lookup = _label_lookup(tf, class_names)

    def decode(files, numbers, lines):
        # Blank lines are skipped, as pandas does; masked per batch, not per line.
        kept = tf.strings.length(tf.strings.strip(lines)) > 0
        lines, numbers = tf.boolean_mask(lines, kept), tf.boolean_mask(numbers, kept)
        files = tf.boolean_mask(files, kept)
        fields = tf.io.decode_csv(lines, defaults, select_cols=columns)
        cells = [fields[where[i]] for i in schema.feature_indices]
        if class_names is None:
            cells.append(fields[where[schema.target_index]])
        values = _numbers(tf, cells, numeric, files, numbers)
        x = values[:, : len(schema.feature_indices)]
        y = values[:, -1]
        if class_names is not None:
            y = fields[where[schema.target_index]]
        checks = [_finite_check(files, numbers, x, y, task)]
        if task != "regression" and lookup is None:
            checks.append(_label_check(files, numbers, y, task, schema.target))
            y = tf.cast(y, tf.int32)
        elif task != "regression":
            y = lookup.lookup(y)
            checks.append(
                _line_check(
                    y >= 0,
                    files,
                    numbers,
                    "CSV file '{}', line {}: the label in column "
                    f"'{schema.target}' is not one of class_names. Add it to "
                    "class_names or fix the row. Received: an unknown label",
                )
            )
        return after_checks(checks, x, y)

    return decode


def _line_check(ok, files, numbers, message):
    """One check per batch: ``message`` names the file and line of the first
    bad row."""
    import tensorflow as tf

    def where(first):
        return [tf.gather(files, first), tf.gather(numbers, first)]

    return batch_check(ok, message, where)


# What TensorFlow's float parsing (safe_strtof) reads: decimals with an
# optional exponent, nan and inf, with spaces around.
_NUMBER = r"\s*[-+]?((\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|(?i:nan|inf|infinity))\s*"


def _numbers(tf, cells, names, files, numbers):
    """Text cells (one tensor per column) -> float32 (batch, k), each checked
    to be a number; the first that is not is reported with file, line, column."""
    cells = tf.stack(cells, axis=1)
    ok = tf.strings.regex_full_match(cells, _NUMBER)
    shown = tf.constant([str(name).replace("[", "(").replace("]", ")")
                         for name in names])  # fmt: skip

    def details(first):  # runs only when a row is bad
        column = tf.argmin(tf.cast(ok[first], tf.int32))
        cell = tf.strings.regex_replace(cells[first, column], r"[\[\]{}]", "?")
        return [files[first], numbers[first], shown[column], cell]

    check = batch_check(
        tf.reduce_all(ok, axis=1),
        "CSV file '{}', line {}: the value in column '{}' is not a number; fix "
        "or remove that row. Received: '{}'",
        details,
    )
    (checked,) = after_checks([check], cells)
    return tf.strings.to_number(checked, tf.float32)


def _finite_check(files, numbers, x, y, task):
    """NaN/inf cells (``nan``, ``inf`` in the file) are refused with their line."""
    import tensorflow as tf

    ok = tf.reduce_all(tf.math.is_finite(x), axis=1)
    if task == "regression":
        ok = ok & tf.math.is_finite(y)
    return _line_check(
        ok,
        files,
        numbers,
        "CSV file '{}', line {}: a cell is NaN or inf. Drop or impute "
        "that row. Received: a non-finite number",
    )


def _label_check(files, numbers, y, task, target):
    """Integer class labels: whole numbers >= 0, and 0 or 1 for a binary task."""
    import tensorflow as tf

    ok = tf.math.is_finite(y) & tf.equal(y, tf.round(y)) & (y >= 0)
    expected = "a whole number >= 0 (a class index)"
    if task == "binary":
        ok = ok & (y <= 1)
        expected = "0 or 1 (a binary task)"
    return _line_check(
        ok,
        files,
        numbers,
        f"CSV file '{{}}', line {{}}: the label in column '{target}' must be "
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
