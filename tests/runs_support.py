"""Hand-written TensorBoard event files with known contents (no TensorFlow).

The files are written record by record with TensorBoard's pure-Python
``RecordWriter`` (TFRecord framing, CRC32C) and protobufs built here, so the
expected tables are known exactly: TF1 ``simple_value`` scalars, TF2 tensor
scalars with the scalars plugin's metadata only on a tag's first value, a
histogram and a text summary that are not scalars, and an HParams session
with its end.
"""

import pathlib

import numpy as np
from tensorboard.compat.proto import event_pb2, summary_pb2
from tensorboard.plugins.hparams import api_pb2, plugin_data_pb2
from tensorboard.plugins.hparams import metadata as hparams_metadata
from tensorboard.plugins.scalar import metadata as scalar_metadata
from tensorboard.summary.writer.record_writer import RecordWriter
from tensorboard.util import tensor_util

# (run, tag, step, value, wall_time) of every scalar written by write_hand_runs.
EXPECTED_SCALARS = [
    (".", "top", 1, 7.0, 50.0),
    ("a", "accuracy", 1, 0.5, 101.0),
    ("a", "accuracy", 2, 0.75, 102.0),
    ("a", "old_style", 1, 0.25, 100.0),
    ("a", "old_style", 2, 0.125, 102.0),
    ("a/sub", "loss", 3, 2.5, 200.0),
]


def event(step, wall_time, *values):
    return event_pb2.Event(
        step=step, wall_time=wall_time, summary=summary_pb2.Summary(value=values)
    )


def simple(tag, number):
    """A TF1 scalar: ``simple_value``, no plugin metadata."""
    return summary_pb2.Summary.Value(tag=tag, simple_value=number)


def tensor_scalar(tag, number, *, first):
    """A TF2 scalar: a float32 tensor; metadata only with a tag's first value."""
    value = summary_pb2.Summary.Value(
        tag=tag, tensor=tensor_util.make_tensor_proto(np.float32(number))
    )
    if first:
        value.metadata.CopyFrom(scalar_metadata.create_summary_metadata("", ""))
        value.metadata.data_class = summary_pb2.DATA_CLASS_SCALAR
    return value


def hparams_value(tag, plugin_data):
    metadata = hparams_metadata.create_summary_metadata(plugin_data)
    return summary_pb2.Summary.Value(
        tag=tag, metadata=metadata, tensor=hparams_metadata.NULL_TENSOR
    )


def session_start(values):
    start = plugin_data_pb2.SessionStartInfo(group_name="trial")
    for name, value in values.items():
        if isinstance(value, str):
            start.hparams[name].string_value = value
        elif isinstance(value, bool):
            start.hparams[name].bool_value = value
        else:
            start.hparams[name].number_value = value
    data = plugin_data_pb2.HParamsPluginData(session_start_info=start)
    return hparams_value(hparams_metadata.SESSION_START_INFO_TAG, data)


def session_end():
    end = plugin_data_pb2.SessionEndInfo(status=api_pb2.STATUS_SUCCESS)
    data = plugin_data_pb2.HParamsPluginData(session_end_info=end)
    return hparams_value(hparams_metadata.SESSION_END_INFO_TAG, data)


def write(folder, *events, name="events.out.tfevents.1.hand"):
    """Writes ``events`` as one event file in ``folder``; returns its path."""
    path = pathlib.Path(folder, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = RecordWriter(open(path, "wb"))  # noqa: SIM115 - RecordWriter closes it
    for item in events:
        writer.write(item.SerializeToString())
    writer.close()
    return path


def write_hand_runs(logdir):
    """Writes runs ".", "a" (with HParams) and "a/sub"; returns "a"'s event file."""
    logdir = pathlib.Path(logdir)
    histogram = summary_pb2.Summary.Value(
        tag="weights", tensor=tensor_util.make_tensor_proto(np.ones((3, 3), "float64"))
    )
    histogram.metadata.plugin_data.plugin_name = "histograms"
    text = summary_pb2.Summary.Value(
        tag="note", tensor=tensor_util.make_tensor_proto(np.array([b"hello"]))
    )
    text.metadata.plugin_data.plugin_name = "text"
    path = write(
        logdir / "a",
        event(
            0,
            99.0,
            session_start({"lr": 0.1, "batch_size": 16.0, "opt": "sgd", "deep": True}),
        ),  # fmt: skip
        event(1, 100.0, simple("old_style", 0.25)),
        event(1, 101.0, tensor_scalar("accuracy", 0.5, first=True), histogram, text),
        event(
            2,
            102.0,
            tensor_scalar("accuracy", 0.75, first=False),
            simple("old_style", 0.125),
            histogram,
        ),  # fmt: skip
        event(3, 103.0, session_end()),
    )
    write(logdir / "a" / "sub", event(3, 200.0, tensor_scalar("loss", 2.5, first=True)))
    write(logdir, event(1, 50.0, simple("top", 7.0)))
    return path
