"""Runs a bundle's model.onnx with ONNX Runtime: features in, named outputs out.

ONNX Runtime parses the graph once into a session and then runs it from C++
on each call, without TensorFlow; a one-row call costs a few microseconds.
The session is created with the CPU execution provider only and without any
custom-operator library, so it can run nothing but ONNX Runtime's built-in
kernels (see ``onnx_graph`` for the checks done before).

Example:
    >>> runner = OnnxRunner(data)
    >>> runner(np.zeros((1, 4), np.float32), ["probabilities"])
    {'probabilities': array([[0.2, 0.3, 0.5]], dtype=float32)}
"""

import numpy as np

from nda_models.export.format.bundle_layout import (
    ONNX_FILE,
    SERVING_INPUT,
    corrupt_bundle,
)

# Rows per session run. ONNX Runtime runs one operator at a time over the
# whole batch; in blocks of 1,024 rows the intermediate activations stay in
# the CPU cache (measured: 100,000 rows of the benchmark's MLP cost about 25 %
# less CPU time in blocks of 1,024 than in one run, and 1-row calls are as
# before).
BLOCK_ROWS = 1024

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
        import onnxruntime
        from onnxruntime.capi import onnxruntime_pybind11_state as state

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # errors only: no notices on the terminal
        errors = tuple(getattr(state, name) for name in _SESSION_ERRORS)
        try:
            self._session = onnxruntime.InferenceSession(
                data, sess_options=options, providers=["CPUExecutionProvider"]
            )
        except errors as error:
            detail = " ".join(str(error).split())[:300]
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
