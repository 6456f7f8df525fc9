"""Registry behaviour and its error messages (no TensorFlow needed)."""

import subprocess
import sys
import textwrap
import warnings

import pytest

import nda_models as nda

ZOO = [
    "linear_regressor",
    "logistic_neuron",
    "mlp_classifier",
    "mlp_regressor",
    "perceptron",
    "softmax_classifier",
]


def test_list_models_is_sorted_and_complete():
    assert nda.list_models() == ZOO


def test_list_models_pattern_and_task():
    assert nda.list_models("mlp_*") == ["mlp_classifier", "mlp_regressor"]
    assert nda.list_models(task="binary") == ["logistic_neuron", "perceptron"]
    assert nda.list_models("*_classifier", task="multiclass") == [
        "mlp_classifier",
        "softmax_classifier",
    ]
    assert nda.list_models("nothing*") == []


def test_list_models_unknown_task():
    with pytest.raises(ValueError, match=r"Unknown task\. Did you mean 'binary'"):
        nda.list_models(task="binay")


def test_describe_model_reads_signature():
    spec = nda.describe_model("mlp_classifier")
    assert spec.name == "mlp_classifier"
    assert spec.task == "multiclass"
    assert spec.loss == "negative_log_likelihood"
    assert spec.metrics == ("accuracy",)
    assert spec.required == ("input_dim", "num_classes")
    assert spec.defaults["hidden_units"] == (64, 64)
    assert spec.defaults["activation"] == "relu"
    assert spec.summary.startswith("Multi-layer perceptron classifier")


def test_spec_is_frozen():
    spec = nda.describe_model("perceptron")
    with pytest.raises(AttributeError):
        spec.task = "regression"
    with pytest.raises(TypeError):
        spec.defaults["normalization"] = 1


@pytest.mark.parametrize(
    ("name", "task", "loss"),
    [
        ("linear_regressor", "regression", "mean_squared_error"),
        ("logistic_neuron", "binary", "binary_crossentropy"),
        ("perceptron", "binary", "perceptron_criterion"),
        ("softmax_classifier", "multiclass", "negative_log_likelihood"),
        ("mlp_regressor", "regression", "mean_squared_error"),
        ("mlp_classifier", "multiclass", "negative_log_likelihood"),
    ],
)
def test_zoo_tasks_and_losses(name, task, loss):
    spec = nda.describe_model(name)
    assert (spec.task, spec.loss) == (task, loss)


def test_unknown_model_suggests_closest():
    with pytest.raises(
        ValueError, match=r"Did you mean 'perceptron'\?.*Received: 'perceptorn'"
    ):
        nda.describe_model("perceptorn")
    with pytest.raises(ValueError, match=r"Expected one of \['linear_regressor'"):
        nda.build_model("resnet50", input_dim=3)


def test_unknown_hparam_suggests_closest():
    with pytest.raises(
        ValueError,
        match=r"Unknown hyper-parameter.*Did you mean 'hidden_units'\?"
        r".*hiden_units=\(8,\)",
    ):
        nda.build_model("mlp_regressor", input_dim=3, hiden_units=(8,))


def test_missing_required_hparam():
    with pytest.raises(
        ValueError, match=r"requires the hyper-parameter\(s\) \['num_classes'\]"
    ):
        nda.build_model("softmax_classifier", input_dim=3)


def test_register_same_name_different_function_raises(isolated_registry):
    @nda.register_model(
        task="regression", loss="mean_squared_error", output_kind="regression"
    )
    def my_model(*, input_dim):
        """Mine."""

    def other(*, input_dim):
        """Another with the same name."""

    other.__name__ = "my_model"
    other.__qualname__ = "elsewhere.my_model"
    with pytest.raises(ValueError, match=r"'my_model' is already registered by"):
        nda.register_model(
            task="regression", loss="mean_squared_error", output_kind="regression"
        )(other)


def test_register_same_function_again_is_fine(isolated_registry):
    source = textwrap.dedent(
        '''
        def twice(*, input_dim, units=3):
            """Registered twice, as a module imported again would."""
        '''
    )
    for _ in range(2):
        namespace = {"__name__": "plugin_module"}
        exec(source, namespace)  # noqa: S102 - simulates re-importing a module
        nda.register_model(
            task="binary",
            loss="binary_crossentropy",
            output_kind="binary_probability",
        )(namespace["twice"])
    spec = nda.describe_model("twice")
    assert spec.defaults == {"units": 3}
    assert spec.summary == "Registered twice, as a module imported again would."


def test_register_unknown_task(isolated_registry):
    with pytest.raises(ValueError, match=r"Unknown task.*Received: task='ranking'"):
        nda.register_model(task="ranking", loss="mean_squared_error")


# What each zoo model's output holds, from its builder's docstring and the
# lecture (not from the registry): the contract the registry must declare.
OUTPUT_KINDS = {
    "linear_regressor": "regression",
    "logistic_neuron": "binary_probability",
    "mlp_classifier": "multiclass_probability",
    "mlp_regressor": "regression",
    "perceptron": "binary_decision",
    "softmax_classifier": "multiclass_probability",
}


@pytest.mark.parametrize("name", nda.list_models())
def test_every_model_declares_an_output_kind_of_its_task(name):
    from nda_models.zoo.output_kinds import OUTPUT_KINDS as KINDS
    from nda_models.zoo.output_kinds import output_kinds_of

    spec = nda.describe_model(name)
    assert spec.output_kind in output_kinds_of(spec.task)
    assert KINDS.lookup("output_kind", spec.output_kind).task == spec.task
    assert spec.output_kind == OUTPUT_KINDS[name]


def test_hparams_are_the_builder_keywords_build_model_accepts():
    spec = nda.describe_model("mlp_classifier")
    assert spec.hparams == (
        "input_dim", "num_classes", "hidden_units", "activation", "dropout",
        "l2", "seed", "normalization",
    )  # fmt: skip
    assert nda.describe_model("perceptron").hparams == ("input_dim", "normalization")
    assert set(spec.hparams) == set(spec.required) | set(spec.defaults)
    with pytest.raises(ValueError, match=r"Expected one of \['activation', "):
        nda.build_model("mlp_classifier", input_dim=2, num_classes=3, units=4)


def test_register_without_output_kind_is_refused(isolated_registry):
    register = nda.register_model(task="binary", loss="binary_crossentropy")
    with pytest.raises(
        TypeError,
        match=r"^Model 'silent' does not declare what its output holds\. Pass "
        r"output_kind= to register_model, one of the binary kinds "
        r"\['binary_probability', 'binary_decision'\].*Received: output_kind=None",
    ):

        @register
        def silent(*, input_dim):
            """No output kind."""

    assert "silent" not in nda.list_models()


def test_register_refuses_an_output_kind_of_another_task(isolated_registry):
    with pytest.raises(
        ValueError,
        match=r"A regression model cannot have the output kind "
        r"'multiclass_probability'.*Expected one of \['regression'\]",
    ):
        nda.register_model(
            task="regression",
            loss="mean_squared_error",
            output_kind="multiclass_probability",
        )
    with pytest.raises(
        ValueError, match=r"Unknown output kind\. Did you mean 'binary_decision'"
    ):
        nda.register_model(
            task="binary", loss="binary_crossentropy", output_kind="binary_decisoin"
        )


def test_register_refuses_an_unknown_loss(isolated_registry):
    with pytest.raises(
        ValueError, match=r"Unknown loss\. Did you mean 'mean_squared_error'"
    ):
        nda.register_model(
            task="regression", loss="mean_squared_eror", output_kind="regression"
        )


def test_register_refuses_a_builder_without_input_dim(isolated_registry):
    register = nda.register_model(
        task="regression", loss="mean_squared_error", output_kind="regression"
    )
    with pytest.raises(TypeError, match=r"takes the keyword `input_dim`.*\['units'\]"):

        @register
        def no_inputs(*, units=3):
            """Forgot input_dim."""


def _install_plugin(tmp_path, module_source, entry_value):
    (tmp_path / "fake_plugin.py").write_text(textwrap.dedent(module_source))
    dist = tmp_path / "fake_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: fake-plugin\nVersion: 1.0\n"
    )
    (dist / "entry_points.txt").write_text(
        f"[nda_models.models]\nfake = {entry_value}\n"
    )


def test_plugin_entry_point_registers_lazily(tmp_path, monkeypatch, isolated_registry):
    _install_plugin(
        tmp_path,
        '''
        from nda_models import register_model

        @register_model(
            task="regression", loss="mean_squared_error", output_kind="regression"
        )
        def plugin_regressor(*, input_dim):
            """A third-party regressor."""
        ''',
        "fake_plugin",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    isolated_registry._plugins_loaded = False
    assert "fake_plugin" not in sys.modules
    assert "plugin_regressor" in nda.list_models()
    assert nda.describe_model("plugin_regressor").summary == "A third-party regressor."


def test_broken_plugin_is_a_warning(tmp_path, monkeypatch, isolated_registry):
    _install_plugin(tmp_path, "raise ImportError('boom')\n", "fake_plugin")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "fake_plugin", raising=False)
    isolated_registry._plugins_loaded = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        names = nda.list_models()
    assert names == ZOO
    messages = [str(w.message) for w in caught]
    assert any(
        "Could not load the nda_models plugin 'fake'" in m and "boom" in m
        for m in messages
    )


def test_import_and_list_do_not_import_tensorflow():
    code = (
        "import sys, nda_models; nda_models.list_models(); "
        "nda_models.describe_model('mlp_classifier'); "
        "print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False False"


def test_cli_list_does_not_import_tensorflow():
    code = (
        "import sys; from nda_models.cli import main; main(['list']); "
        "main(['describe', 'perceptron']); print('tensorflow' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "perceptron" in out.stdout
    assert out.stdout.strip().endswith("False")


def test_cli_list_and_describe(capsys):
    from nda_models.cli import main

    assert main(["list", "--task", "multiclass"]) == 0
    out = capsys.readouterr().out
    assert "mlp_classifier" in out and "softmax_classifier" in out
    assert "logistic_neuron" not in out
    assert main(["describe", "perceptron"]) == 0
    assert "perceptron_criterion" in capsys.readouterr().out
    assert main(["describe", "linear_regressor"]) == 0
    out = capsys.readouterr().out
    assert "J = (1/M) Σ (y − ŷ)², the batch mean, no ½" in out


def test_describe_model_states_the_loss_convention():
    spec = nda.describe_model("linear_regressor")
    assert spec.loss == "mean_squared_error"
    assert "batch mean" in spec.loss_definition and "no ½" in spec.loss_definition
    assert "(y − ŷ)x" in nda.describe_model("perceptron").loss_definition


def test_cli_unknown_model_is_one_line_exit_2(capsys):
    from nda_models.cli import main

    assert main(["describe", "preceptron"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "Did you mean 'perceptron'?" in err


def test_cli_describe_shows_the_declared_output_kind(capsys):
    from nda_models.cli import main

    assert main(["describe", "perceptron"]) == 0
    assert "output:   binary_decision (the decision 0 or 1" in capsys.readouterr().out
    assert main(["describe", "mlp_classifier"]) == 0
    assert "output:   multiclass_probability (class probabilities" in (
        capsys.readouterr().out
    )
