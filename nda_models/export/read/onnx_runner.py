"""Runs a bundle's model.onnx with ONNX Runtime: features in, named outputs out.

ONNX Runtime parses the graph once into a session and then runs it from C++
on each call, without TensorFlow; a one-row call costs a few microseconds.
The session is created with the CPU execution provider only and without any
custom-operator library, so it can run nothing but ONNX Runtime's built-in
kernels (see ``onnx_graph`` for the checks done before).

It can read no file either, even if a tensor stored as *external data* got
past ``onnx_tensors``: the graph is handed over as bytes, with no model path,
and the session option ``session.model_external_initializers_file_folder_path``
points at an empty private folder made for this session. ONNX Runtime (1.23
and later) resolves every external-data location inside that folder, refuses
absolute paths and paths that escape it with ``..``, and finds nothing there;
without the option it would resolve a relative location against the process's
working directory.

It runs the graph that was checked, too: given bytes, ONNX Runtime guesses
their format and opens an ORT-format (flatbuffer) model when bytes 4-7 read
``ORTM``, which a valid ONNX file can arrange (a ``producer_name`` starting
with them) while hiding another graph further on. The session option
``session.load_model_format`` says ONNX, so the protobuf that ``onnx_graph``
checked is the one ONNX Runtime parses.

Example:
    >>> import onnx
    >>> from onnx import helper, TensorProto
    >>> graph = helper.make_graph(
    ...     [helper.make_node("Identity", ["features"], ["probabilities"])], "g",
    ...     [helper.make_tensor_value_info("features", TensorProto.FLOAT, [None, 3])],
    ...     [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT,
    ...                                    [None, 3])])
    >>> data = helper.make_model(
    ...     graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8
    ... ).SerializeToString()
    >>> runner = OnnxRunner(data, "bundle")
    >>> runner(np.array([[0.2, 0.3, 0.5]], np.float32), ["probabilities"])
    {'probabilities': array([[0.2, 0.3, 0.5]], dtype=float32)}
"""

import tempfile

import numpy as np

from nda_models.core.lazy_module import lazy_module
from nda_models.export.format.bundle_layout import (
    ONNX_FILE,
    SERVING_INPUT,
    corrupt_bundle,
)

onnxruntime = lazy_module("onnxruntime")
# Where ONNX Runtime defines the errors of a graph it refuses.
state = lazy_module("onnxruntime.capi.onnxruntime_pybind11_state")

# Rows per session run. ONNX Runtime runs one operator at a time over the
# whole batch; in blocks of 1,024 rows the intermediate activations stay in
# the CPU cache (measured: 100,000 rows of the benchmark's MLP cost about 25 %
# less CPU time in blocks of 1,024 than in one run, and 1-row calls are as
# before).
BLOCK_ROWS = 1024

# Where ONNX Runtime looks for external data when the model comes as bytes.
EXTERNAL_DATA_FOLDER_KEY = "session.model_external_initializers_file_folder_path"

# The format ONNX Runtime must parse the bytes as (it guesses otherwise).
MODEL_FORMAT_KEY = "session.load_model_format"

# ONNX Runtime's exceptions derive from Exception only; these are the ones a
# session raises for a graph it cannot open.
_SESSION_ERRORS = (
    "Fail",
    "InvalidArgument",
    "InvalidGraph",
    "InvalidProtobuf",
    "NotImplemented",
    "RuntimeException",
)


class OnnxRunner:
    """An ONNX Runtime session over the bytes of a model.onnx.

    Args:
        data: The serialized ONNX model (checked by ``onnx_graph`` first).
        folder: The bundle directory, for messages.

    Raises:
        ValueError: "corrupt or incomplete bundle" if ONNX Runtime cannot
            open the graph.
    """

    def __init__(self, data, folder):
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 4  # a refused graph is reported by the error
        # An empty folder only this process may write: no external data to read.
        self._no_data = tempfile.TemporaryDirectory(prefix="nda-onnx-no-data-")
        options.add_session_config_entry(EXTERNAL_DATA_FOLDER_KEY, self._no_data.name)
        options.add_session_config_entry(MODEL_FORMAT_KEY, "ONNX")  # as checked
        errors = tuple(getattr(state, name) for name in _SESSION_ERRORS)
        try:
            self._session = onnxruntime.InferenceSession(
                data, sess_options=options, providers=["CPUExecutionProvider"]
            )
        except errors as error:
            detail = " ".join(str(error).split())
            if len(detail) > 300:  # the reason is at the end, after C++ frames
                detail = "..." + detail[-300:]
            raise corrupt_bundle(
                folder, f"ONNX Runtime cannot open {ONNX_FILE} ({detail})"
            ) from None

    def __call__(self, values, names):
        """Runs the graph on float32 ``values`` and returns the outputs ``names``.

        Args:
            values: C-contiguous float32 array of shape (n, input_dim).
            names: Output names to compute (only what they need is run).

        Returns:
            ``{name: NumPy array}``.
        """
        if len(values) <= BLOCK_ROWS:
            outputs = self._session.run(names, {SERVING_INPUT: values})
            return dict(zip(names, outputs, strict=True))
        blocks = [
            self._session.run(names, {SERVING_INPUT: values[i : i + BLOCK_ROWS]})
            for i in range(0, len(values), BLOCK_ROWS)
        ]
        return {
            name: np.concatenate([block[k] for block in blocks])
            for k, name in enumerate(names)
        }
