"""What a runtime answers is checked before it becomes a prediction (issue 21
C6: a re-signed model.onnx with a float or out-of-range ``class_index``, or
outputs of another type or shape; ±3e38: NaN probabilities beside a class)."""

import shutil

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper
from support import rewrite_checksums

import nda_models as nda
from nda_models.cli import main

CORRUPT = "corrupt or incomplete bundle"
X = np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]], np.float32)


@pytest.fixture(scope="module")
def softmax(tmp_path_factory):
    model = nda.build_model("softmax_classifier", input_dim=3, num_classes=3)
    return nda.save_model(
        model, tmp_path_factory.mktemp("outputs") / "s", class_names=["a", "b", "c"]
    )


def _resigned(bundle, tmp_path, edit):
    """A copy whose model.onnx is edited and whose checksums are rewritten."""
    folder = shutil.copytree(bundle, tmp_path / "resigned")
    model = onnx.load_model_from_string((folder / "model.onnx").read_bytes())
    edit(model.graph)
    (folder / "model.onnx").write_bytes(model.SerializeToString())
    rewrite_checksums(folder)
    return folder


def _reroute(graph, name, make_nodes):
    """Renames the producer of output ``name`` to ``name_raw`` and appends the
    nodes ``make_nodes(raw, name)`` that compute ``name`` from it."""
    raw = f"{name}_raw"
    for node in graph.node:
        node.input[:] = [raw if value == name else value for value in node.input]
        node.output[:] = [raw if value == name else value for value in node.output]
    graph.node.extend(make_nodes(raw, name))


def _output(graph, name):
    return next(value for value in graph.output if value.name == name)


def _float_index(graph):
    _reroute(graph, "class_index", lambda raw, out: [
        helper.make_node("Cast", [raw], [out], to=TensorProto.FLOAT)])  # fmt: skip
    _output(graph, "class_index").type.tensor_type.elem_type = TensorProto.FLOAT


def _rank_one_probabilities(graph):
    shape = _output(graph, "probabilities").type.tensor_type.shape
    del shape.dim[1]


def _fixed_batch(graph):
    dim = _output(graph, "class_name").type.tensor_type.shape.dim[0]
    dim.dim_value = 1


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_float_index, r"output 'class_index' should be int32 of shape \(batch\), "
         r"found float of shape \(batch\)"),
        (_rank_one_probabilities, r"output 'probabilities' should be float of "
         r"shape \(batch, c\), found float of shape \(batch\)"),
        (_fixed_batch, r"output 'class_name' should be string of shape \(batch\), "
         r"found string of shape \(1\)"),
    ],
)  # fmt: skip
def test_outputs_of_another_type_or_shape_are_refused_at_load(
    softmax, tmp_path, edit, message
):
    folder = _resigned(softmax, tmp_path, edit)
    with pytest.raises(ValueError, match=rf"{CORRUPT}.*{message}"):
        nda.load_model(folder)


def _shift_index(graph):
    graph.initializer.append(helper.make_tensor("five", TensorProto.INT32, [], [5]))
    _reroute(graph, "class_index", lambda raw, out: [
        helper.make_node("Add", [raw, "five"], [out])])  # fmt: skip


def _index_as_column(graph):
    graph.initializer.append(helper.make_tensor("axis", TensorProto.INT64, [1], [1]))
    _reroute(graph, "class_index", lambda raw, out: [
        helper.make_node("Unsqueeze", [raw, "axis"], [out])])  # fmt: skip


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_shift_index, r"model.onnx gave the class index \d for row 0, outside the "
         r"3 classes 0..2"),
        (_index_as_column, r"model.onnx gave 'class_index' of int32 \(2, 1\), not "
         r"int32 \(2,\)"),
    ],
)  # fmt: skip
def test_answers_that_do_not_fit_are_a_corrupt_bundle_not_an_index_error(
    softmax, tmp_path, edit, message
):
    folder = _resigned(softmax, tmp_path, edit)
    bundle = nda.load_model(folder)  # the declared outputs look right
    for call in (bundle.predict, bundle.predict_frame):
        with pytest.raises(ValueError, match=rf"{CORRUPT}.*{message}"):
            call(X)


def test_nda_predict_reports_an_out_of_range_index(softmax, tmp_path, capsys):
    folder = _resigned(softmax, tmp_path, _shift_index)
    rows = tmp_path / "rows.csv"
    rows.write_text("f0,f1,f2\n0.5,-1.0,2.0\n")
    code = main(["predict", str(folder), "--input", str(rows)])
    err = capsys.readouterr().err
    assert code == 2 and "outside the 3 classes" in err and err.count("\n") == 1


# --- answers that are not finite: ±3e38 -------------------------------------


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    root = tmp_path_factory.mktemp("huge")
    classifier = nda.build_model("softmax_classifier", input_dim=3, num_classes=3,
                                 normalization=([0.0] * 3, [1.0] * 3))  # fmt: skip
    classifier.get_layer("logits").set_weights(
        [np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]], np.float32) * 4,
         np.zeros(3, np.float32)]
    )  # fmt: skip
    regressor = nda.build_model("linear_regressor", input_dim=3)
    regressor.set_weights([np.full((3, 1), 2.0, np.float32), np.zeros(1, np.float32)])
    return {
        "classifier": nda.save_model(classifier, root / "c", class_names=list("abc")),
        "regressor": nda.save_model(regressor, root / "r"),
    }


HUGE = np.array([[1.0, 2.0, 3.0], [3e38, -3e38, 3e38], [0.0, 0.0, 0.0]], np.float32)


@pytest.mark.parametrize("runtime", ["onnx", "keras"])
@pytest.mark.parametrize("name", ["classifier", "regressor"])
def test_huge_finite_inputs_are_refused_naming_the_rows(models, runtime, name):
    bundle = nda.load_model(models[name], runtime=runtime)
    # The oracle: in float32, 4 * 3e38 (or 2 * 3e38) overflows to infinity.
    with np.errstate(over="ignore"):
        assert not np.isfinite(np.float32(4) * HUGE[1, 0])
    calls = [bundle.predict, bundle.predict_frame]
    if name == "classifier":
        calls.append(bundle.predict_proba)
    for call in calls:
        with pytest.raises(
            ValueError,
            match=r"output is not finite \(NaN or infinity\) for 1 of 3 rows \(row "
            r"1\): .*outside the range the model was trained on.*3e\+38",
        ):
            call(HUGE)
    answers = bundle.predict(HUGE[[0, 2]])  # the other rows are answered
    assert len(answers) == 2


def test_nda_predict_refuses_huge_rows(models, tmp_path, capsys):
    rows = tmp_path / "huge.csv"
    rows.write_text("f0,f1,f2\n1,2,3\n3e38,-3e38,3e38\n")
    out = tmp_path / "out.csv"
    code = main(["predict", str(models["regressor"]), "--input", str(rows),
                 "--output", str(out)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "not finite" in err and "row 1" in err
    assert not out.exists()
