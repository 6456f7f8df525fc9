"""ONNX Runtime runs the graph that was checked, never another one (attack on S1).

Given bytes, ONNX Runtime guesses their format: bytes 4-7 reading ``ORTM``
make it load an ORT-format (flatbuffer) model instead of the ONNX protobuf.
A file can be both: a valid ``ModelProto`` (the bundle's own graph, which
``onnx_graph`` checks) whose ``producer_name`` starts with ``ORTM`` and whose
``doc_string`` hides an ORT-format model at the offset bytes 0-3 point to.
Before the fix ONNX Runtime ran the hidden graph, unchecked (any operator
domain, any answer). The session is now told the format: ONNX, always.
"""

import shutil
import struct

import numpy as np
import onnx
import onnxruntime
import pytest
from google.protobuf.internal.encoder import _VarintBytes
from onnx import TensorProto, helper
from support import rewrite_checksums

import nda_models as nda

X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]], np.float32)


@pytest.fixture(scope="module")
def regressor(tmp_path_factory):
    model = nda.build_model("linear_regressor", input_dim=2)
    model.set_weights([np.array([[2.0], [-3.0]], np.float32), np.array([5.0])])
    return nda.save_model(model, tmp_path_factory.mktemp("format") / "reg")


def _with_header(model):
    """``model`` serialised with ``ir_version`` then ``producer_name`` 'ORTM...'
    first, so that its bytes 4-7 read ``ORTM``; returns (prefix, rest)."""
    head = onnx.ModelProto(ir_version=model.ir_version, producer_name="ORTM")
    rest = onnx.ModelProto()
    rest.CopyFrom(model)
    for field in ("ir_version", "producer_name", "doc_string"):
        rest.ClearField(field)
    return head.SerializeToString(), rest.SerializeToString()


def _hidden_ort_model(tmp_path):
    """An ORT-format model that ignores its input and answers 99, from an
    operator of ONNX Runtime's own ``com.microsoft`` domain."""
    nodes = [
        helper.make_node("Shape", ["features"], ["rows"], end=1),
        helper.make_node("Expand", ["answer"], ["wide"]),
        helper.make_node("Gelu", ["wide"], ["predictions"], domain="com.microsoft"),
    ]
    nodes[1].input.append("rows")
    graph = helper.make_graph(
        nodes,
        "hidden",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, [None, 2])],
        [helper.make_tensor_value_info("predictions", TensorProto.FLOAT, [None])],
        initializer=[helper.make_tensor("answer", TensorProto.FLOAT, [1], [99.0])],
    )
    model = helper.make_model(
        graph,
        opset_imports=[
            helper.make_opsetid("", 17),
            helper.make_opsetid("com.microsoft", 1),
        ],
        ir_version=8,
    )
    options = onnxruntime.SessionOptions()
    options.optimized_model_filepath = str(tmp_path / "hidden.ort")
    options.add_session_config_entry("session.save_model_format", "ORT")
    onnxruntime.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    return (tmp_path / "hidden.ort").read_bytes()


def _polyglot(checked, hidden):
    """Bytes that onnx parses as ``checked`` and that ONNX Runtime, guessing,
    opens as the ORT-format ``hidden`` (placed where bytes 0-3 point)."""
    prefix, rest = _with_header(checked)
    prefix += rest
    shift = struct.unpack("<I", prefix[:4])[0] - struct.unpack("<I", hidden[:4])[0]
    length = shift + len(hidden)
    for _ in range(3):  # the doc_string's length, whose varint takes room too
        start = len(prefix) + 1 + len(_VarintBytes(length))
        length = shift + len(hidden) - start
    payload = bytearray(length)
    payload[shift + 8 - start :] = hidden[8:]
    return prefix + b"\x32" + _VarintBytes(length) + bytes(payload)


def _bundle_with(regressor, tmp_path, data):
    folder = shutil.copytree(regressor, tmp_path / "b")
    (folder / "model.onnx").write_bytes(data)
    rewrite_checksums(folder)
    return folder


def test_a_graph_whose_bytes_4_to_7_read_ortm_is_still_read_as_onnx(
    regressor, tmp_path
):
    model = onnx.load_model_from_string((regressor / "model.onnx").read_bytes())
    data = b"".join(_with_header(model))
    assert data[4:8] == b"ORTM"
    bundle = nda.load_model(_bundle_with(regressor, tmp_path, data), runtime="onnx")
    np.testing.assert_allclose(bundle.predict(X), 5 + 2 * X[:, 0] - 3 * X[:, 1])


def test_onnx_runtime_never_runs_a_graph_hidden_behind_the_checked_one(
    regressor, tmp_path
):
    checked = onnx.load_model_from_string((regressor / "model.onnx").read_bytes())
    data = _polyglot(checked, _hidden_ort_model(tmp_path))
    assert len(onnx.load_model_from_string(data).graph.node) == len(
        checked.graph.node
    )  # onnx (and so the checks) see the bundle's own graph
    plain = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
    assert plain.run(None, {"features": X})[0][0] == pytest.approx(99.0)  # control
    bundle = nda.load_model(_bundle_with(regressor, tmp_path, data), runtime="onnx")
    np.testing.assert_allclose(bundle.predict(X), 5 + 2 * X[:, 0] - 3 * X[:, 1])
