"""model.onnx: the bundle's serving signature as an ONNX graph for ONNX Runtime.

The graph computes exactly what the SavedModel's ``serving_default`` does
(see ``serving``): input ``features``, float32 (batch, input_dim), raw
features (the ``Normalization`` layer is inside); outputs ``predictions``, or
``probabilities`` / ``decision``, ``class_index`` (int32) and ``class_name``
(string). How it is made:

1. trace ``serving_outputs(model(features, training=False))`` as a
   ``tf.function`` (``training=False``: dropout is off, as in ``predict``);
2. freeze it: ``convert_variables_to_constants_v2`` turns the weights and the
   normalisation statistics into constants. Without this step tf2onnx (and
   Keras's own ``model.export(format="onnx")``) make the statistics extra
   graph inputs that a caller would have to feed;
3. convert the frozen GraphDef with tf2onnx at opset ``OPSET``;
4. check the file as the loader will (``onnx_graph``), then run it once with
   ONNX Runtime on probe rows and compare with the Keras model, so a bundle
   never carries a graph that disagrees with its model.keras.

Example:
    >>> import pathlib
    >>> model = nda.build_model("softmax_classifier", input_dim=4, num_classes=3)
    >>> folder = pathlib.Path("bundle")
    >>> folder.mkdir()
    >>> export_onnx(model, folder / "model.onnx", "multiclass_probability",
    ...             ["a", "b", "c"], 4)
    {'file': 'model.onnx', 'opset': 17, 'input': 'features', ...}
"""

import importlib.metadata

import numpy as np

from nda_models.core.lazy_module import lazy_module
from nda_models.export.format.bundle_layout import ONNX_FILE, SERVING_INPUT
from nda_models.export.format.onnx_graph import checked_onnx_graph
from nda_models.export.read.onnx_runner import OnnxRunner
from nda_models.export.write.model_facts import normalization_stats
from nda_models.export.write.serving import serving_output_names, serving_outputs

tf = lazy_module("tensorflow")
tf2onnx = lazy_module("tf2onnx")
convert_to_constants = lazy_module("tensorflow.python.framework.convert_to_constants")

# ONNX opset 17 (2022): run by every ONNX Runtime since 1.13 and by the other
# common runtimes; the zoo needs nothing newer.
OPSET = 17

# Probe rows compared at save time, and how close ONNX Runtime must come to
# Keras on them (float32 arithmetic in a different order).
_PROBE_ROWS = 8
_TOLERANCE = 1e-4


def export_onnx(model, file, kind, class_names, input_dim):
    """Writes ``model``'s serving signature to ``file`` as an ONNX graph.

    Args:
        model: The ``keras.Model``.
        file: Destination path (model.onnx inside the bundle being written).
        kind: The output kind (see ``model_facts``).
        class_names: Class names for classifiers (ignored for regression).
        input_dim: Number of input features.

    Returns:
        The ``onnx`` entry of metadata.json: file, opset, input, outputs and
        the exporter's version.

    Raises:
        ValueError: if tf2onnx cannot convert the model (an operation without
            an ONNX equivalent) or the graph disagrees with Keras on the
            probe rows; ``save_model(..., onnx=False)`` skips the export.
    """
    names = [str(name) for name in class_names or ()]
    data = _converted(model, kind, names, input_dim)
    folder = file.parent
    checked_onnx_graph(data, kind, input_dim, folder, len(names) or None)
    _compare_with_keras(model, OnnxRunner(data, folder), kind, input_dim)
    file.write_bytes(data)
    return {
        "file": ONNX_FILE,
        "opset": OPSET,
        "input": SERVING_INPUT,
        "outputs": serving_output_names(kind),
        "exporter": f"tf2onnx {importlib.metadata.version('tf2onnx')}",
    }


def _converted(model, kind, class_names, input_dim):
    """Steps 1-3 of the module docstring; returns the serialized ModelProto."""

    def serve(features):
        return serving_outputs(model(features, training=False), kind, class_names)

    spec = tf.TensorSpec((None, input_dim), tf.float32, name=SERVING_INPUT)
    traced = tf.function(serve, autograph=False).get_concrete_function(spec)
    logger = tf.get_logger()
    level = logger.level
    logger.setLevel("ERROR")  # tf2onnx calls TF1 APIs that log deprecations
    try:
        frozen = convert_to_constants.convert_variables_to_constants_v2(traced)
        key_of = {tensor.name: key for key, tensor in traced.structured_outputs.items()}
        rename = {frozen.inputs[0].name: SERVING_INPUT}
        for before, after in zip(traced.outputs, frozen.outputs, strict=True):
            rename[after.name] = key_of[before.name]
        proto, _ = tf2onnx.convert.from_graph_def(
            frozen.graph.as_graph_def(),
            name=model.name,
            input_names=[frozen.inputs[0].name],
            output_names=[tensor.name for tensor in frozen.outputs],
            opset=OPSET,
            tensors_to_rename=rename,
        )
    except (ValueError, TypeError, KeyError, RuntimeError) as error:
        raise ValueError(
            f"Could not convert the model {model.name!r} to ONNX: "
            f"{type(error).__name__}: {' '.join(str(error).split())[:300]}. An "
            "operation probably has no ONNX equivalent. Pass onnx=False to "
            "save_model to write the bundle without model.onnx (it is then "
            "served by Keras)."
        ) from None
    finally:
        logger.setLevel(level)
    _name_batch_dimension(proto)
    proto.doc_string = (
        f"nda_models bundle of {model.name!r}: raw features in, the outputs of "
        "the SavedModel's serving_default signature out."
    )
    return proto.SerializeToString()


def _name_batch_dimension(proto):
    """Calls the free first dimension of the input and outputs ``batch``."""
    for value in [*proto.graph.input, *proto.graph.output]:
        dims = value.type.tensor_type.shape.dim
        if dims and not dims[0].HasField("dim_value"):
            dims[0].dim_param = "batch"


def _compare_with_keras(model, runner, kind, input_dim):
    """Raises ValueError if ONNX Runtime and Keras disagree on probe rows."""
    values = _probe_rows(model, input_dim)
    expected = serving_outputs(model(values, training=False), kind, None)
    names = [name for name in serving_output_names(kind) if name != "class_name"]
    found = runner(values, names)
    for name in names:
        if name == "class_index":
            continue  # follows from the values compared; near-ties may differ
        want = np.asarray(expected[name], dtype=np.float64)
        gap = np.abs(found[name] - want)
        if not np.all(gap <= _TOLERANCE * np.maximum(1.0, np.abs(want))):
            raise ValueError(
                f"The ONNX export of {model.name!r} disagrees with the Keras model "
                f"on {name!r} (largest difference {float(gap.max()):.3g}); the "
                "converter does not reproduce one of its layers. Pass onnx=False "
                "to save_model to write the bundle without model.onnx."
            )


def _probe_rows(model, input_dim):
    """Rows spread like the training data (its normalisation), else N(0, 1)."""
    rows = np.random.default_rng(0).standard_normal((_PROBE_ROWS, input_dim))
    stats = normalization_stats(model)
    if stats is not None:
        rows = np.asarray(stats["mean"]) + np.sqrt(stats["variance"]) * rows
    return rows.astype(np.float32)
