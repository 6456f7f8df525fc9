"""model.onnx never makes the loader read a file it was not given (issue 21 S1).

A tensor stored as *external data* names a file that ONNX Runtime reads; the
attack of issue 21 hid one in a ``Constant`` node's ``sparse_value`` with the
relative path ``.aws/credentials`` and got the file's bytes back as
predictions. Three layers are tested here:

1. ``onnx_tensors.tensors`` finds a tensor in every place a ``ModelProto`` can
   hold one: checked against the protobuf descriptors themselves (every field
   through which a ``TensorProto`` is reachable is exercised by the test
   model) and against ``onnx.external_data_helper``;
2. ``load_model`` refuses a bundle with outside data in any of those places;
3. with the walker switched off, ONNX Runtime still reads nothing: a secret
   planted in the working directory, beside the bundle and at an absolute
   path is never read (a control shows that a plain session does read it).
"""

import json

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper
from support import rewrite_checksums

import nda_models as nda
from nda_models.cli import main
from nda_models.export.format import onnx_graph, onnx_tensors

SECRET = np.array([1234.5], np.float32)  # what the planted file holds
LOCATIONS = ["cwd", "absolute", "dotdot", "bundle"]


# --- building tensors in every place --------------------------------------


def _tensor(name, value=0.0):
    return helper.make_tensor(name, TensorProto.FLOAT, [1], [value])


def _external(name, location):
    """A one-float tensor whose data is the first 4 bytes of ``location``."""
    tensor = helper.make_tensor(name, TensorProto.FLOAT, [1], [0.0])
    tensor.ClearField("float_data")
    tensor.data_location = TensorProto.EXTERNAL
    for key, value in (("location", location), ("offset", "0"), ("length", "4")):
        entry = tensor.external_data.add()
        entry.key, entry.value = key, value
    return tensor


def _sparse(values, indices_name):
    indices = helper.make_tensor(indices_name, TensorProto.INT64, [1], [0])
    return helper.make_sparse_tensor(values, indices, [1])


def _constant_graph(name, tensor, output="c"):
    node = helper.make_node("Constant", [], [output], value=tensor)
    out = helper.make_tensor_value_info(output, TensorProto.FLOAT, [1])
    return helper.make_graph([node], name, [], [out])


def _every_place_model():
    """A model with one uniquely named tensor in every place a tensor can be.

    Returns:
        ``(model, names)``: the ModelProto and the names of all its tensors.
    """
    t = _tensor
    inner = _constant_graph("inner", t("if_in_if_value"))
    other = _constant_graph("other", t("if_in_if_else_value"))
    nested_if = helper.make_node(
        "If", ["flag"], ["c"], then_branch=inner, else_branch=other
    )
    outer = helper.make_graph(
        [nested_if],
        "outer",
        [],
        [helper.make_tensor_value_info("c", TensorProto.FLOAT, [1])],
        initializer=[t("subgraph_initializer")],
        sparse_initializer=[_sparse(t("subgraph_sparse_values"), "subgraph_sparse_i")],
    )
    node = helper.make_node("If", ["flag"], ["out"], then_branch=outer)
    node.attribute.extend(
        [
            helper.make_attribute("t", t("attr_t")),
            helper.make_attribute("ts", [t("attr_tensors_0"), t("attr_tensors_1")]),
            helper.make_attribute("sp", _sparse(t("attr_sparse_v"), "attr_sparse_i")),
            helper.make_attribute(
                "sps", [_sparse(t("attr_sparses_v"), "attr_sparses_i")]
            ),
            helper.make_attribute(
                "gs", [_constant_graph("listed", t("attr_graphs_value"))]
            ),
        ]
    )
    graph = helper.make_graph(
        [node],
        "main",
        [],
        [],
        initializer=[t("initializer")],
        sparse_initializer=[_sparse(t("sparse_init_values"), "sparse_init_indices")],
    )
    function = helper.make_function(
        "local.fn",
        "fn",
        [],
        ["y"],
        [helper.make_node("Constant", [], ["y"], value=t("function_node_value"))],
        [helper.make_opsetid("", 17)],
    )
    function.attribute_proto.append(
        helper.make_attribute("default", t("function_attribute_default"))
    )
    model = helper.make_model(graph, functions=[function])
    training = model.training_info.add()
    training.initialization.CopyFrom(
        _constant_graph("initialization", t("training_initialization"))
    )
    training.initialization.initializer.append(t("training_init_initializer"))
    training.algorithm.CopyFrom(_constant_graph("algorithm", t("training_algorithm")))
    names = {
        "if_in_if_value", "if_in_if_else_value", "subgraph_initializer",
        "subgraph_sparse_values", "subgraph_sparse_i", "attr_t", "attr_tensors_0",
        "attr_tensors_1",
        "attr_sparse_v", "attr_sparse_i", "attr_sparses_v", "attr_sparses_i",
        "attr_graphs_value", "initializer", "sparse_init_values",
        "sparse_init_indices", "function_node_value", "function_attribute_default",
        "training_initialization", "training_init_initializer", "training_algorithm",
    }  # fmt: skip
    return model, names


def _fields_reaching_tensors():
    """(message type, field) pairs through which a TensorProto is reachable,
    computed from the onnx descriptors alone (an oracle independent of the
    walker: a fixed point over the type graph)."""
    reaches = {TensorProto.DESCRIPTOR.full_name}
    types, stack = {}, [onnx.ModelProto.DESCRIPTOR]
    while stack:
        descriptor = stack.pop()
        if descriptor.full_name in types:
            continue
        types[descriptor.full_name] = descriptor
        stack.extend(f.message_type for f in descriptor.fields if f.message_type)
    changed = True
    while changed:
        changed = False
        for name, descriptor in types.items():
            if name not in reaches and any(
                f.message_type and f.message_type.full_name in reaches
                for f in descriptor.fields
            ):
                reaches.add(name)
                changed = True
    return {
        (name, f.name)
        for name, descriptor in types.items()
        for f in descriptor.fields
        if f.message_type and f.message_type.full_name in reaches
    }


def _fields_used(model):
    used = set()
    for _, message in onnx_tensors.walk(model):
        for field, _ in message.ListFields():
            if field.message_type is not None:
                used.add((message.DESCRIPTOR.full_name, field.name))
    return used


def test_the_walker_finds_a_tensor_in_every_place():
    model, names = _every_place_model()
    found = [tensor.name for _, tensor in onnx_tensors.tensors(model)]
    assert sorted(found) == sorted(names)
    # The test model exercises every field through which the ONNX descriptors
    # let a tensor be reached (so no place is left out of this test either).
    missing = _fields_reaching_tensors() - _fields_used(model)
    assert missing <= {("onnx.TensorProto", "segment")} | _no_tensor_fields(), missing


def _no_tensor_fields():
    """Fields the fixed point lists although only messages without tensors hang
    below them (none expected; kept explicit so a new one shows up here)."""
    return set()


def test_the_walker_finds_all_that_onnx_external_data_helper_finds():
    from onnx import external_data_helper

    model, _ = _every_place_model()
    theirs = {t.name for t in external_data_helper._get_all_tensors(model)}
    ours = {tensor.name for _, tensor in onnx_tensors.tensors(model)}
    assert theirs and theirs < ours  # theirs misses sparse tensors, functions...


def test_the_walker_reports_the_path_of_each_tensor():
    model, _ = _every_place_model()
    paths = dict((t.name, p) for p, t in onnx_tensors.tensors(model))
    sparse = "model.graph.node[0].attribute[3].sparse_tensor.values"
    assert paths["attr_sparse_v"] == sparse
    assert paths["training_algorithm"].startswith("model.training_info[0].algorithm.")


# --- hostile bundles --------------------------------------------------------


@pytest.fixture(scope="module")
def regressor(tmp_path_factory):
    model = nda.build_model("linear_regressor", input_dim=2)
    model.set_weights(
        [np.array([[2.0], [-3.0]], np.float32), np.array([5.0], np.float32)]
    )
    return nda.save_model(
        model, tmp_path_factory.mktemp("hostile") / "reg", feature_names=["a", "b"]
    )


@pytest.fixture
def planted(tmp_path, monkeypatch):
    """The user's working directory with a secret in .aws/credentials, a
    secret beside the bundle folder and one in the bundle's parent."""
    work = tmp_path / "work"
    (work / ".aws").mkdir(parents=True)
    SECRET.tofile(work / ".aws" / "credentials")
    monkeypatch.chdir(work)
    return work


def _location(kind, bundle, work):
    return {
        "cwd": ".aws/credentials",
        "absolute": str(work / ".aws" / "credentials"),
        "dotdot": f"../{work.name}/.aws/credentials",
        "bundle": "secret.bin",  # planted inside the bundle folder
    }[kind]


def _hostile(bundle, tmp_path, place, location):
    """A copy of ``bundle`` whose graph adds an outside-data tensor to its
    prediction, hidden in ``place``; checksums rewritten as an attacker would."""
    import shutil

    folder = shutil.copytree(bundle, tmp_path / f"evil_{place}")
    SECRET.tofile(folder / "secret.bin")
    model = onnx.load_model_from_string((folder / "model.onnx").read_bytes())
    _hide(model, place, location)
    (folder / "model.onnx").write_bytes(model.SerializeToString())
    rewrite_checksums(folder)
    return folder


def _hide(model, place, location):
    graph = model.graph
    final = graph.output[0].name
    for node in graph.node:
        node.output[:] = ["pre" if name == final else name for name in node.output]
    value = _external("leak", location)

    def constant(**attribute):
        return helper.make_node("Constant", [], ["c"], **attribute)

    if place == "initializer":
        value.name = "c"
        graph.initializer.append(value)
    elif place == "sparse_initializer":
        value.name = "c"
        graph.sparse_initializer.append(_sparse(value, "i"))
    elif place == "constant_value":
        graph.node.append(constant(value=value))
    elif place == "constant_sparse_value":
        graph.node.append(constant(sparse_value=_sparse(value, "i")))
    elif place in ("if_branch", "if_in_if"):
        body = helper.make_graph(
            [constant(sparse_value=_sparse(value, "i"))],
            "branch",
            [],
            [helper.make_tensor_value_info("c", TensorProto.FLOAT, [1])],
        )
        if place == "if_in_if":
            inner = helper.make_node("If", ["flag"], ["c"], then_branch=body,
                                     else_branch=body)  # fmt: skip
            body = helper.make_graph(
                [inner], "outer", [],
                [helper.make_tensor_value_info("c", TensorProto.FLOAT, [1])],
            )  # fmt: skip
        graph.initializer.append(helper.make_tensor("flag", TensorProto.BOOL, [], [1]))
        graph.node.append(
            helper.make_node("If", ["flag"], ["c"], then_branch=body, else_branch=body)
        )
    elif place == "attribute_tensors":
        node = constant(value=_tensor("zero"))
        node.attribute.append(helper.make_attribute("extra", [value]))
        graph.node.append(node)
    elif place == "training_info":
        graph.node.append(constant(value=_tensor("zero")))
        model.training_info.add().initialization.CopyFrom(
            helper.make_graph([], "init", [], [], initializer=[value])
        )
    graph.node.append(helper.make_node("Add", ["pre", "c"], [final]))


PLACES = [
    "initializer", "sparse_initializer", "constant_value", "constant_sparse_value",
    "if_branch", "if_in_if", "attribute_tensors", "training_info",
]  # fmt: skip


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("kind", ["cwd", "absolute", "dotdot"])
def test_outside_data_anywhere_is_refused(regressor, tmp_path, planted, place, kind):
    folder = _hostile(regressor, tmp_path, place, _location(kind, regressor, planted))
    with pytest.raises(
        ValueError,
        match=r"corrupt or incomplete bundle.*stores the tensor '\w+' \(at model\."
        r".*\) in an external file",
    ):
        nda.load_model(folder)


def test_a_tensor_in_a_local_function_is_refused(regressor, tmp_path, planted):
    folder = _hostile(regressor, tmp_path, "constant_value", ".aws/credentials")
    model = onnx.load_model_from_string((folder / "model.onnx").read_bytes())
    model.functions.append(
        helper.make_function(
            "local", "leak", [], ["y"],
            [helper.make_node("Constant", [], ["y"], value=_external("f", "x"))],
            [helper.make_opsetid("", 17)],
        )
    )  # fmt: skip
    (folder / "model.onnx").write_bytes(model.SerializeToString())
    rewrite_checksums(folder)
    with pytest.raises(ValueError, match=r"Refusing to load.*1 local function"):
        nda.load_model(folder)


def _edit_first_weight(folder, edit):
    model = onnx.load_model_from_string((folder / "model.onnx").read_bytes())
    edit(model.graph.initializer[0])
    (folder / "model.onnx").write_bytes(model.SerializeToString())
    rewrite_checksums(folder)


def _copy(bundle, tmp_path):
    import shutil

    return shutil.copytree(bundle, tmp_path / "copy")


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda t: setattr(t, "data_location", TensorProto.EXTERNAL), "external file"),
        (  # an external_data entry without the EXTERNAL flag
            lambda t: t.external_data.add(key="location", value="x"),
            r"external file \('x'\)",
        ),
        (  # ONNX Runtime's tag for "read this memory address"
            lambda t: t.external_data.add(key="location", value="*/_ORT_MEM_ADDR_/*"),
            "external file",
        ),
        (lambda t: t.segment.SetInParent(), "as a segment of a larger tensor"),
        (
            lambda t: setattr(t, "raw_data", t.raw_data + b"\0" * 4),
            r"with 12 bytes of raw data for 8 bytes",
        ),
        (lambda t: t.dims.__setitem__(0, -2), r"negative dimensions \[-2, 1\]"),
    ],
)
def test_every_outside_data_trick_is_refused(regressor, tmp_path, edit, words):
    folder = _copy(regressor, tmp_path)
    _edit_first_weight(folder, edit)
    with pytest.raises(ValueError, match=rf"corrupt or incomplete bundle.*{words}"):
        nda.load_model(folder)


def test_fields_unknown_to_onnx_are_refused(regressor, tmp_path):
    folder = _copy(regressor, tmp_path)
    data = (folder / "model.onnx").read_bytes()
    (folder / "model.onnx").write_bytes(data + bytes([0xA8, 0x1F, 0x01]))  # field 501
    rewrite_checksums(folder)
    with pytest.raises(ValueError, match=r"fields this onnx package does not know"):
        nda.load_model(folder)


# --- defence in depth: the walker switched off ------------------------------


def _plain_session_reads(data):
    """Control: ONNX Runtime without our options, as a careless loader opens it."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4
    session = onnxruntime.InferenceSession(
        data, options, providers=["CPUExecutionProvider"]
    )
    return session.run(None, {"features": np.zeros((1, 2), np.float32)})[0]


@pytest.mark.parametrize("place", ["constant_sparse_value", "if_branch", "initializer"])
@pytest.mark.parametrize("kind", LOCATIONS)
def test_onnx_runtime_reads_no_outside_file_even_without_the_walker(
    regressor, tmp_path, planted, monkeypatch, place, kind
):
    folder = _hostile(regressor, tmp_path, place, _location(kind, regressor, planted))
    if (place, kind) == ("constant_sparse_value", "cwd"):  # the attack of issue 21
        leaked = _plain_session_reads((folder / "model.onnx").read_bytes())
        assert leaked[0] == pytest.approx(5.0 + SECRET[0])  # the control: it works
    monkeypatch.setattr(onnx_graph, "outside_data_problem", lambda tensor: "")
    with pytest.raises(
        ValueError, match=r"corrupt or incomplete bundle.*ONNX Runtime cannot open"
    ) as caught:
        nda.load_model(folder)
    assert re_search(r"does not exist|escapes|Absolute path|not allowed", caught.value)


def re_search(pattern, error):
    import re

    return re.search(pattern, str(error)) is not None


def test_nda_predict_never_prints_the_secret(regressor, tmp_path, planted, capsys):
    folder = _hostile(regressor, tmp_path, "if_branch", ".aws/credentials")
    (planted / "rows.csv").write_text("a,b\n0,0\n1,1\n")
    out = planted / "predictions.csv"
    code = main(["predict", str(folder), "--input", "rows.csv", "--output", str(out)])
    captured = capsys.readouterr()
    assert code != 0 and not out.exists()
    assert "1234.5" not in captured.out + captured.err
    assert "stores the tensor 'leak'" in captured.err


def test_nda_predict_without_the_walker_still_reads_nothing(
    regressor, tmp_path, planted, capsys, monkeypatch
):
    folder = _hostile(regressor, tmp_path, "constant_sparse_value", ".aws/credentials")
    monkeypatch.setattr(onnx_graph, "outside_data_problem", lambda tensor: "")
    (planted / "rows.csv").write_text("a,b\n0,0\n")
    code = main(["predict", str(folder), "--input", "rows.csv"])
    captured = capsys.readouterr()
    assert code != 0
    assert "1234.5" not in captured.out + captured.err
    assert "ONNX Runtime cannot open model.onnx" in captured.err


def test_a_clean_bundle_still_predicts_with_the_options(regressor):
    bundle = nda.load_model(regressor)
    x = np.array([[1.0, 2.0], [0.0, -1.0]], np.float32)
    np.testing.assert_allclose(bundle.predict(x), 5 + 2 * x[:, 0] - 3 * x[:, 1])
    assert bundle.runtime == "onnx"
    assert json.loads((regressor / "metadata.json").read_text())["onnx"]
