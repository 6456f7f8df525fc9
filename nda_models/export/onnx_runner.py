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

from nda_models.export.bundle_layout import ONNX_FILE, SERVING_INPUT, corrupt_bundle

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
        outputs = self._session.run(names, {SERVING_INPUT: values})
        return dict(zip(names, outputs, strict=True))
