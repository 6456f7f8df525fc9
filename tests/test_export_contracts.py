"""Export reads contracts, not layer names; its modules import without circles
(issue 23: output kind from the registry, hyper-parameters from build_model,
the Keras-bundle loader in its own module)."""

import ast
import pathlib

import numpy as np
import pytest

import nda_models as nda

EXPORT = pathlib.Path(nda.__file__).parent / "export"


def _imports_of(path):
    """Every nda_models.export module that ``path`` imports, at any depth."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(n for n in names if n.startswith("nda_models.export."))
    return found


def test_the_export_modules_import_without_a_circle():
    modules = {
        ".".join(p.relative_to(EXPORT.parent.parent).with_suffix("").parts): p
        for p in EXPORT.rglob("*.py")
        if p.name != "__init__.py"
    }
    graph = {
        name: {m for m in _imports_of(path) if m in modules and m != name}
        for name, path in modules.items()
    }
    state = {}

    def visit(name, trail):
        if state.get(name) == "done":
            return
        assert state.get(name) != "open", " -> ".join([*trail, name])
        state[name] = "open"
        for other in sorted(graph[name]):
            visit(other, [*trail, name])
        state[name] = "done"

    for name in sorted(graph):
        visit(name, [])
    assert "nda_models.export.read.keras_bundle" in graph
    assert (
        "nda_models.export.read.load"
        not in graph["nda_models.export.read.loaded_model"]
    )


def _sigmoid_model(layer_name="decision"):
    import keras

    inputs = keras.Input((2,), name="features")
    outputs = keras.layers.Dense(1, activation="sigmoid", name=layer_name)(inputs)
    return keras.Model(inputs, outputs, name="my_binary_net")


def test_an_unregistered_binary_model_must_declare_its_output_kind(tmp_path):
    # A layer called "decision" used to make it a perceptron-like bundle.
    with pytest.raises(
        ValueError,
        match=r"'my_binary_net' is not in the registry .* output_kind=.*"
        r"'binary_probability', 'binary_decision'",
    ):
        nda.save_model(_sigmoid_model(), tmp_path / "b", task="binary")
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize("kind", ["binary_probability", "binary_decision"])
def test_the_declared_output_kind_is_what_the_bundle_serves(tmp_path, kind):
    model = _sigmoid_model()
    model.get_layer("decision").set_weights(
        [np.array([[1.0], [-1.0]], np.float32), np.zeros(1, np.float32)]
    )
    path = nda.save_model(
        model, tmp_path / kind, task="binary", output_kind=kind, class_names=["n", "y"]
    )
    for runtime in ("onnx", "keras"):
        bundle = nda.load_model(path, runtime=runtime)
        assert bundle.metadata["output_kind"] == kind
        x = np.array([[2.0, 0.0], [0.0, 2.0]], np.float32)
        p = 1 / (1 + np.exp(-(x[:, 0] - x[:, 1])))  # NumPy oracle
        assert bundle.predict(x).tolist() == ["y", "n"]
        assert hasattr(bundle, "predict_proba") == (kind == "binary_probability")
        if kind == "binary_probability":
            np.testing.assert_allclose(bundle.predict_proba(x)[:, 1], p, rtol=1e-5)


def test_a_zoo_model_keeps_its_registered_kind(tmp_path):
    model = nda.build_model("logistic_neuron", input_dim=2)
    declared = r"registry declares the output kind 'binary_probability' for the"
    with pytest.raises(ValueError, match=rf"{declared} model 'logistic_neuron'"):
        nda.save_model(model, tmp_path / "b", output_kind="binary_decision")
    perceptron = nda.build_model("perceptron", input_dim=2)
    assert nda.describe_model("perceptron").output_kind == "binary_decision"
    path = nda.save_model(perceptron, tmp_path / "p")
    assert nda.load_model(path).metadata["output_kind"] == "binary_decision"


def test_a_declared_kind_must_fit_the_output_width(tmp_path):
    import keras

    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Dense(3)(inputs), name="three")
    with pytest.raises(ValueError, match=r"binary_decision model has one output "
                       r"column .* 'three' has 3"):  # fmt: skip
        nda.save_model(
            model, tmp_path / "b", task="binary", output_kind="binary_decision"
        )


def test_hyper_parameters_are_what_build_model_was_given(tmp_path):
    model = nda.build_model("mlp_classifier", input_dim=3, num_classes=2,
                            hidden_units=[5], dropout=0.25)  # fmt: skip
    path = nda.save_model(model, tmp_path / "m")
    assert nda.load_model(path).metadata["hparams"] == {
        "input_dim": 3, "num_classes": 2, "hidden_units": [5], "dropout": 0.25
    }  # fmt: skip
