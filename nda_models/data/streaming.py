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
reports it as a one-line ``ValueError``, see ``data/pipeline_errors.py``), as
does a row with too many or too few fields, an unbalanced quote or bytes that
are not UTF-8 (``data/stream_decode.py``). Cells must not contain line breaks
(one row per line). Blank lines are skipped, also before the header (the
first line that is not blank); gzip files are streamed decompressed, whatever
their name (``data/csv_compression.py``).

Under ``tf.distribute`` each input pipeline (one per worker) reads only its
share, as ``tf.data``'s auto-sharding would: the files ``i, i + k, ...`` of
``k`` pipelines when there are at least ``k`` files, else every ``k``-th
line, taken before shuffling so the shares are disjoint whatever the seed.
``Trainer.fit`` builds each worker's share through
``strategy.distribute_datasets_from_function`` with the stream's
``input_function``; Keras users pass ``input_context=`` themselves.
"""

from nda_models.core.constraints import POSITIVE_INT
from nda_models.core.lazy_module import lazy_module
from nda_models.data.csv_cells import numeric_column
from nda_models.data.csv_compression import check_whole, compression_of
from nda_models.data.csv_file import CSV_TASKS
from nda_models.data.csv_labels import NUMBER, WHITESPACE
from nda_models.data.csv_paths import check_csv_paths
from nda_models.data.csv_read import check_row_widths, header_line, read_cells
from nda_models.data.csv_schema import resolve_schema
from nda_models.data.csv_target import encode_target, resolve_task
from nda_models.data.shown_names import shown_list
from nda_models.data.stream_decode import decoder
from nda_models.data.stream_identity import StreamIdentity

tf = lazy_module("tensorflow")


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
        >>> import pathlib
        >>> rows = "".join(f"{i},{i % 2}\\n" for i in range(5))
        >>> _ = pathlib.Path("big.csv").write_text("x,y\\n" + rows)
        >>> stream = stream_csv("big.csv", target="y", batch_size=2, shuffle=False)
        >>> [y.numpy().tolist() for _, y in stream]
        [[0, 1], [0, 1], [0]]
        >>> history = nda.Trainer(nda.build_model("logistic_neuron", input_dim=1),
        ...                       seed=0).fit(stream, epochs=1)
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
        compression_of(path, streamed=True)
        check_whole(path)
        header, rows = read_cells(path, nrows=check_rows)
        check_row_widths(path, rows, len(header), until_row=len(rows))
        found = resolve_schema(path, header, target=target, features=features)
        if schema is not None and found.header != schema.header:
            raise ValueError(
                f"CSV file '{path}' has the columns {shown_list(found.header)} but "
                f"'{files[0]}' has {shown_list(schema.header)}; every part of a data "
                f"set needs the same header. Received: {len(files)} files"
            )
        schema = found
        for name, index in zip(schema.features, schema.feature_indices, strict=True):
            numeric_column(path, name, rows[index])
        labels = rows[schema.target_index]
        task = resolve_task(labels.str.strip(WHITESPACE), task, class_names)
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
    """Whether a label is not a number (so it needs ``class_names``)."""
    return not labels.str.strip(WHITESPACE).str.fullmatch(NUMBER).all()


class StreamBuilder:
    """Builds the stream of ``stream_csv`` for one ``tf.distribute.InputContext``.

    Attributes:
        files: The CSV files, in reading order.
        identity: The ``StreamIdentity`` of the stream (for run signatures).
    """

    def __init__(self, files, schema, task, class_names, batch_size, shuffle,
                 buffer, seed, num_epochs):  # fmt: skip
        self.files = files
        # Per file: how TextLineDataset decompresses it, and its header line.
        self.compressions = ["GZIP" if compression_of(f) else "" for f in files]
        self.header_lines = [header_line(path) for path in files]
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
        batch_size = self.batch_size
        if context is not None:
            batch_size = _per_replica_batch_size(context, batch_size)
        lines = self._lines(context)
        if self.shuffle:
            lines = lines.shuffle(
                self.buffer, seed=self.seed, reshuffle_each_iteration=True
            )
        if self.num_epochs != 1:
            lines = lines.repeat(self.num_epochs)
        decode = decoder(self.schema, self.task, self.class_names)
        stream = lines.batch(batch_size)
        stream = stream.map(decode, num_parallel_calls=tf.data.AUTOTUNE)
        return stream.prefetch(tf.data.AUTOTUNE)

    def _lines(self, context):
        """``(file, line number, text)`` of the data lines (headers dropped) of
        this input pipeline's share."""
        files, pipelines = self.files, 1
        if context is not None:
            pipelines, index = context.num_input_pipelines, context.input_pipeline_id
        parts = ([str(f) for f in files], self.compressions, self.header_lines)
        by_file = pipelines > 1 and self.sharding(pipelines) == "file"
        if by_file:
            parts = tuple(part[index::pipelines] for part in parts)
        lines = tf.data.Dataset.from_tensor_slices(parts).flat_map(_numbered_lines)
        if pipelines > 1 and not by_file:
            lines = lines.shard(pipelines, index)
        return lines


def _numbered_lines(name, compression, header):
    """A file's data lines as ``(file, line number, text)``: those after its
    header line, numbered as an editor shows them (the first line is 1)."""
    lines = tf.data.TextLineDataset(name, compression_type=compression)
    lines = lines.skip(tf.cast(header, tf.int64))
    lines = lines.enumerate(start=tf.cast(header, tf.int64) + 1)
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
