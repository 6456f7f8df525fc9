"""What a bundle's model.onnx must be before ONNX Runtime may open it.

An ONNX file is a protobuf message: a graph of operators named by
(domain, op type), with weights stored as tensors. ONNX Runtime runs only the
kernels it was built with, unless the caller registers a custom-operator
library, which this package never does. The checks here keep a bundle's graph
to what the exporter writes and nothing more:

- only the standard operator sets: the default domain (``""`` or
  ``"ai.onnx"``) and ``"ai.onnx.ml"``; no other domain (ONNX Runtime's own
  ``com.microsoft`` contrib operators included), no model-local functions;
- every weight stored inside the file: a tensor with *external data* would
  make ONNX Runtime read another file named by the graph;
- one input, ``features``: float32 of shape (batch, input_dim);
- the outputs of the bundle's serving signature (see ``serving``).

Example:
    >>> folder = nda.save_model(nda.build_model("logistic_neuron", input_dim=2), "b")
    >>> data = (folder / "model.onnx").read_bytes()
    >>> proto = checked_onnx_graph(data, "binary_probability", 2, folder)
    >>> sorted(output.name for output in proto.graph.output)
    ['class_index', 'class_name', 'probabilities']
    >>> checked_onnx_graph(data, "regression", 2, folder)
    Traceback (most recent call last):
    ...
    ValueError: corrupt or incomplete bundle at '...': model.onnx gives the outputs
    ['class_index', 'class_name', 'probabilities'], but a regression bundle has
    ['predictions']. ...
"""

from nda_models.core.lazy_module import lazy_module
from nda_models.export.format.bundle_layout import (
    METADATA_FILE,
    ONNX_FILE,
    SERVING_INPUT,
    corrupt_bundle,
)
from nda_models.export.format.onnx_tensors import (
    of_type,
    outside_data_problem,
    tensors,
    unknown_field_path,
)
from nda_models.export.write.serving import serving_output_names

onnx = lazy_module("onnx")
protobuf_message = lazy_module("google.protobuf.message")

STANDARD_DOMAINS = ("", "ai.onnx", "ai.onnx.ml")


def checked_onnx_graph(data, kind, input_dim, folder, num_classes=None):
    """Parses the bytes of model.onnx and checks them against the bundle.

    Args:
        data: The file's bytes.
        kind: The bundle's output kind (see ``model_facts``).
        input_dim: Number of input features the bundle declares.
        folder: The bundle directory, for messages.
        num_classes: Number of classes, to check the probabilities' width.

    Returns:
        The ``onnx.ModelProto``.

    Raises:
        ValueError: "corrupt or incomplete bundle" if the bytes are not an
            ONNX model or do not fit the bundle; a refusal naming the domain
            for non-standard operators.
    """
    try:
        proto = onnx.load_model_from_string(data)
    except (protobuf_message.DecodeError, ValueError, RuntimeError) as error:
        raise corrupt_bundle(
            folder, f"{ONNX_FILE} is not an ONNX model ({type(error).__name__})"
        ) from None
    if not proto.HasField("graph") or not proto.opset_import:
        raise corrupt_bundle(folder, f"{ONNX_FILE} holds no ONNX graph")
    _check_standard(proto, folder)
    _check_input(proto.graph, input_dim, folder)
    _check_outputs(proto.graph, kind, num_classes, folder)
    return proto


def _check_standard(proto, folder):
    """Refuses custom operator domains, local functions and outside data."""
    unknown = unknown_field_path(proto)
    if unknown is not None:
        raise corrupt_bundle(
            folder,
            f"{ONNX_FILE} holds fields this onnx package does not know (at "
            f"{unknown}); a bundle's graph is written with known fields only",
        )
    domains = {entry.domain for entry in of_type(proto, onnx.OperatorSetIdProto)}
    domains.update(node.domain for node in of_type(proto, onnx.NodeProto))
    custom = sorted(domains - set(STANDARD_DOMAINS))
    if custom or proto.functions:
        found = custom or sorted({f.domain + "." + f.name for f in proto.functions})
        raise ValueError(
            f"Refusing to load {str(folder / ONNX_FILE)!r}: its graph uses "
            f"operators outside the standard ONNX operator sets {found}. A bundle's "
            "graph holds only standard operators, which ONNX Runtime runs with its "
            "built-in kernels; custom operators need code from elsewhere. Save the "
            f"model again with nda.save_model. Received: domains {custom}, "
            f"{len(proto.functions)} local function(s)"
        )
    for path, tensor in tensors(proto):
        problem = outside_data_problem(tensor)
        if problem:
            raise corrupt_bundle(
                folder,
                f"{ONNX_FILE} stores the tensor {tensor.name!r} (at {path}) "
                f"{problem}; a bundle's graph keeps every weight inside "
                f"{ONNX_FILE}, and nda_models never reads another file for it",
            )


def _check_input(graph, input_dim, folder):
    weights = {tensor.name for tensor in graph.initializer}
    inputs = [value for value in graph.input if value.name not in weights]
    described = [f"{value.name} {_shape(value)}" for value in inputs]
    tensor = inputs[0].type.tensor_type if len(inputs) == 1 else None
    if (
        tensor is None
        or inputs[0].name != SERVING_INPUT
        or tensor.elem_type != onnx.TensorProto.FLOAT
        or _shape(inputs[0]) != [None, input_dim]
    ):
        raise corrupt_bundle(
            folder,
            f"{ONNX_FILE} does not take the bundle's input: expected one float32 "
            f"input {SERVING_INPUT!r} of shape (batch, {input_dim}), found "
            f"{described}",
        )


# Each output of the serving signature: element type and shape, where None is
# the free batch dimension, "k" any width and "c" the number of classes.
_OUTPUT_TYPES = {
    "predictions": ("FLOAT", ([None], [None, "k"])),
    "probabilities": ("FLOAT", ([None, "c"],)),
    "decision": ("FLOAT", ([None],)),
    "class_index": ("INT32", ([None],)),
    "class_name": ("STRING", ([None],)),
}


def _check_outputs(graph, kind, num_classes, folder):
    """The outputs must be the signature's: names, element types and shapes."""
    names = sorted(value.name for value in graph.output)
    expected = serving_output_names(kind)
    if names != expected:
        raise corrupt_bundle(
            folder,
            f"{ONNX_FILE} gives the outputs {names}, but a {kind} bundle has "
            f"{expected}",
        )
    classes = 2 if kind.startswith("binary") else num_classes
    for value in graph.output:
        _check_output_type(value, folder)
        if value.name == "probabilities" and classes is not None:
            width = _shape(value)[1:]
            if width != [classes]:
                found = width[0] if len(width) == 1 else width
                raise corrupt_bundle(
                    folder,
                    f"{METADATA_FILE} field 'class_names' has {classes} names "
                    f"but {ONNX_FILE} has {found} classes",
                )


def _check_output_type(value, folder):
    type_name, shapes = _OUTPUT_TYPES[value.name]
    tensor = value.type.tensor_type
    found_type = (
        onnx.TensorProto.DataType.Name(tensor.elem_type)
        if (tensor.elem_type in onnx.TensorProto.DataType.values())
        else str(tensor.elem_type)
    )
    shape = _shape(value) if tensor.HasField("shape") else None
    if found_type == type_name and any(_fits(shape, s) for s in shapes):
        return
    wanted = " or ".join(_shape_text(s) for s in shapes)
    raise corrupt_bundle(
        folder,
        f"{ONNX_FILE} output {value.name!r} should be {type_name.lower()} of shape "
        f"{wanted}, found {found_type.lower()} of shape "
        f"{'unknown' if shape is None else _shape_text(shape)}",
    )


def _fits(shape, pattern):
    if shape is None or len(shape) != len(pattern):
        return False
    return all(
        dim is None if want is None else isinstance(dim, int) and dim >= 1
        for dim, want in zip(shape, pattern, strict=True)
    )


def _shape_text(shape):
    return "(" + ", ".join("batch" if d is None else str(d) for d in shape) + ")"


def _shape(value):
    """Dimensions of a graph value: ints, or None for a named (free) dimension."""
    dims = value.type.tensor_type.shape.dim
    return [dim.dim_value if dim.HasField("dim_value") else None for dim in dims]
