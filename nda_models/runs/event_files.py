"""TensorBoard event files: where they are, and their events, without TensorFlow.

A run is a folder holding ``events.out.tfevents.*`` files (TensorBoard's
rule), named by its path relative to the log directory. Each file is read
with TensorBoard's pure-Python, CRC-checked record reader
(``tensorboard.compat.tensorflow_stub``), and its events pass through the
same read-time compatibility layers as in TensorBoard's ``EventFileLoader``
(``data_compat``: TF1 ``simple_value`` scalars become tensors;
``dataclass_compat``: every summary gets its data class). TensorBoard's own
``EventFileLoader`` would import TensorFlow whenever it is installed (its
``tensorboard.compat.tf`` resolves to it), which these readers never do.

Example:
    >>> find_event_files(".")  # {"linear_regressor/2026.../train": [path], ...}
    {}
"""

import os
import pathlib
import warnings

from nda_models.core.lazy_module import lazy_module

data_compat = lazy_module("tensorboard.data_compat")
dataclass_compat = lazy_module("tensorboard.dataclass_compat")
errors = lazy_module("tensorboard.compat.tensorflow_stub.errors")
event_pb2 = lazy_module("tensorboard.compat.proto.event_pb2")
protobuf_message = lazy_module("google.protobuf.message")
pywrap_tensorflow = lazy_module("tensorboard.compat.tensorflow_stub.pywrap_tensorflow")

_MARK = "tfevents"  # TensorBoard: a file whose name contains it is an event file


def find_event_files(logdir):
    """Returns ``{run: [event file paths, oldest first]}`` for every run below logdir.

    Args:
        logdir: The log directory (an existing folder).

    Returns:
        A dict sorted by run name; the run of files directly in ``logdir``
        is ``"."``, as TensorBoard shows it. Only regular files are read (a
        FIFO named like an event file would block), and folders linked in
        by symbolic links are not followed (as ``os.walk``).
    """
    root = pathlib.Path(logdir)
    runs = {}
    for folder, _, files in os.walk(root):
        paths = sorted(
            pathlib.Path(folder, name)
            for name in files
            if _MARK in name and os.path.isfile(os.path.join(folder, name))
        )
        if paths:
            run = pathlib.Path(folder).relative_to(root).as_posix()
            runs[run] = paths
    return dict(sorted(runs.items()))


def read_events(path, initial_metadata):
    """Yields the events of one file, as TensorBoard's ``EventFileLoader`` would.

    Args:
        path: An event file.
        initial_metadata: Per-run state of ``dataclass_compat`` (pass the
            same dict for every file of one run, ``{}`` at first).

    Yields:
        ``tensorboard.compat.proto.event_pb2.Event`` messages.

    Warns:
        RuntimeWarning: once, at a record cut short (a run still being
            written) or damaged (CRC check failed); the events before it are
            yielded, as TensorBoard shows them.
    """
    reader = pywrap_tensorflow.PyRecordReader_New(os.fsencode(path), 0, None, None)
    # Bound once per file, not looked up through the proxies at every event.
    parse, migrate_data = event_pb2.Event.FromString, data_compat.migrate_event
    migrate_class = dataclass_compat.migrate_event
    end = errors.OutOfRangeError
    damaged = (errors.DataLossError, protobuf_message.DecodeError)
    count = 0
    try:
        while True:
            try:
                reader.GetNext()
                event = parse(reader.record())
            except end:
                return
            except damaged as error:
                warnings.warn(
                    f"{path}: stopped at {_damage(error)} after {count} event"
                    f"{'' if count == 1 else 's'}; the events before it are read "
                    "(a run still being written, or a damaged file).",
                    RuntimeWarning,
                    stacklevel=2,
                )
                return
            count += 1
            yield from migrate_class(migrate_data(event), initial_metadata)
    finally:
        reader.file_handle.close()


def _damage(error):
    """What is wrong with the record, in words (the reader's text names the file)."""
    text = str(error)
    if "truncated" in text:
        return "a record cut short"
    if "crc32" in text:
        return "a record that fails its CRC check"
    return "a record that is not an event"
