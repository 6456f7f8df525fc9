"""Every tensor an ONNX model holds, found from the protobuf descriptors.

A ``TensorProto`` can sit in many places of a ``ModelProto``: graph
initializers, sparse initializers (their values and indices), node attributes
of every kind (``t``, ``tensors``, ``sparse_tensor``, ``sparse_tensors``), the
``g``/``graphs`` subgraphs of ``If``, ``Loop`` and ``Scan`` nodes at any depth,
model-local functions and their default attributes, training info (its
initialization and algorithm graphs)... and in whatever place a later ONNX
version adds. A hand-kept list of those places needs only one gap for a
tensor stored as *external data* to make ONNX Runtime read a file the user
never gave it. So ``walk`` keeps no list: it visits every message-typed field
of every message, recursively, as the protobuf descriptors declare them, and
``tensors`` picks out the ``TensorProto`` messages by type. A field that this
``onnx`` package does not know (an *unknown field*, which a newer ONNX Runtime
might read as a tensor) cannot be walked, so ``unknown_field_path`` finds it
and the loader refuses the file.

Example:
    >>> from onnx import helper, TensorProto
    >>> weight = helper.make_tensor("w", TensorProto.FLOAT, [1], [2.0])
    >>> body = helper.make_graph(
    ...     [helper.make_node("Constant", [], ["c"], value=weight)], "then", [],
    ...     [helper.make_tensor_value_info("c", TensorProto.FLOAT, [1])])
    >>> node = helper.make_node("If", ["flag"], ["c"], then_branch=body,
    ...                         else_branch=body)
    >>> graph = helper.make_graph([node], "g", [], [])
    >>> [path for path, _ in tensors(helper.make_model(graph))]
    ['model.graph.node[0].attribute[0].g.node[0].attribute[0].t',
     'model.graph.node[0].attribute[1].g.node[0].attribute[0].t']
"""

import functools
import math

from nda_models.core.lazy_module import lazy_module

onnx = lazy_module("onnx")
unknown_fields = lazy_module("google.protobuf.unknown_fields")

# Bytes per element of the fixed-size tensor types (onnx.TensorProto.DataType),
# to check that raw_data holds exactly the tensor's elements.
_ITEM_BYTES = {
    1: 4,  # FLOAT
    2: 1,  # UINT8
    3: 1,  # INT8
    4: 2,  # UINT16
    5: 2,  # INT16
    6: 4,  # INT32
    7: 8,  # INT64
    9: 1,  # BOOL
    10: 2,  # FLOAT16
    11: 8,  # DOUBLE
    12: 4,  # UINT32
    13: 8,  # UINT64
    14: 8,  # COMPLEX64
    15: 16,  # COMPLEX128
    16: 2,  # BFLOAT16
}


def walk(message, path="model"):
    """Yields ``(path, message)`` for ``message`` and every message inside it.

    Every field whose descriptor has a message type is followed, whether it
    holds one message or a repeated list, so no place can be forgotten.

    Args:
        message: A protobuf message (e.g. an ``onnx.ModelProto``).
        path: The name of ``message`` in the yielded paths.

    Yields:
        ``(path, message)``, e.g. ``("model.graph.initializer[0]", tensor)``.
    """
    stack = [(path, message)]
    while stack:
        where, current = stack.pop()
        yield where, current
        inner = []
        for name, repeated in _message_fields(current.DESCRIPTOR):
            if repeated:
                inner.extend(
                    (f"{where}.{name}[{index}]", item)
                    for index, item in enumerate(getattr(current, name))
                )
            elif current.HasField(name):
                inner.append((f"{where}.{name}", getattr(current, name)))
        stack.extend(reversed(inner))  # depth first, in field order


@functools.cache
def _message_fields(descriptor):
    """``(name, repeated)`` of each message-typed field, from the descriptor
    (scalar fields such as a tensor's ``raw_data`` are never read)."""
    return tuple(
        (field.name, _is_repeated(field))
        for field in descriptor.fields
        if field.message_type is not None
    )


def _is_repeated(field):
    repeated = getattr(field, "is_repeated", None)  # protobuf >= 5.28
    return field.label == field.LABEL_REPEATED if repeated is None else repeated


def tensors(model):
    """Yields ``(path, tensor)`` for every ``TensorProto`` in ``model``.

    The values and indices of sparse tensors are ``TensorProto`` messages
    too, so they are among them.
    """
    for path, message in walk(model):
        if isinstance(message, onnx.TensorProto):
            yield path, message


def of_type(model, message_type):
    """Yields every message of ``message_type`` (e.g. ``onnx.NodeProto``)."""
    for _, message in walk(model):
        if isinstance(message, message_type):
            yield message


def unknown_field_path(model):
    """The path of the first message holding fields unknown to ``onnx``, or None."""
    for path, message in walk(model):
        if len(unknown_fields.UnknownFieldSet(message)):
            return path
    return None


def outside_data_problem(tensor):
    """What lets ``tensor`` take its values from outside the file, or ``""``.

    Refused: the ``EXTERNAL`` data location, any ``external_data`` entry
    (ONNX Runtime reads ``location`` as a file name, or as a memory address
    for its ``*/_ORT_MEM_ADDR_/*`` tag), a ``segment`` (a part of a larger
    tensor) and ``raw_data`` whose length is not that of the tensor.
    """
    if tensor.data_location == tensor.EXTERNAL or len(tensor.external_data):
        where = {entry.key: entry.value for entry in tensor.external_data}
        location = where.get("location", "")
        return f"in an external file ({location[:80]!r})"
    if tensor.HasField("segment"):
        return "as a segment of a larger tensor"
    if any(dim < 0 for dim in tensor.dims):
        return f"with negative dimensions {list(tensor.dims)}"
    item = _ITEM_BYTES.get(tensor.data_type)
    if tensor.HasField("raw_data") and item is not None:
        expected = math.prod(tensor.dims) * item
        if len(tensor.raw_data) != expected:
            return (
                f"with {len(tensor.raw_data)} bytes of raw data for "
                f"{expected} bytes of elements"
            )
    return ""
