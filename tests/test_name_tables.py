"""Each family of names is one table beside its implementation.

Losses, metrics, optimizers, schedules, samplings, activations, tasks and
autodiff modes: every name of a table builds what it says (checked against
Keras's classes and NumPy formulas), an unknown name raises a ValueError that
lists the names and suggests the closest (never a silent default), and the
names are listed without importing TensorFlow.
"""

import pathlib
import subprocess
import sys

import numpy as np
import pytest

import nda_models as nda
from nda_models.core.name_table import Lazy, NameTable

PACKAGE = pathlib.Path(nda.__file__).parent


def test_lazy_references_import_on_first_call_only():
    code = (
        "import sys; from nda_models.core.name_table import Lazy; "
        "f = Lazy('colorsys:rgb_to_hsv'); before = 'colorsys' in sys.modules; "
        "print(before, f(1.0, 0.0, 0.0), 'colorsys' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "(0.0,", "1.0,", "1.0)", "True"]
    assert Lazy("builtins:int", base=2)("101") == 5  # fixed keywords, as a partial
    with pytest.raises(ValueError, match=r"written 'module:attribute'.*'math\.pow'"):
        Lazy("math.pow")


def test_a_table_lists_checks_and_looks_up():
    table = NameTable({"one": 1, "two": 2}, noun="number")
    assert list(table) == ["one", "two"] and "two" in table and len(table) == 2
    assert table.lookup("n", "two") == 2
    with pytest.raises(
        ValueError,
        match=r"^Unknown number\. Did you mean 'two'\? Expected one of "
        r"\['one', 'two'\]\. Received: n='twoo'$",
    ):
        table.lookup("n", "twoo")
    with pytest.raises(TypeError, match=r"`n` must be one of .* of type int"):
        table.lookup("n", 2)


def test_every_loss_name_builds_its_loss_and_unknown_names_raise():
    from nda_models.zoo.losses import LOSSES, get_loss

    y, z = np.array([[1.0], [0.0]]), np.array([[2.0], [-1.0]])
    # NumPy oracles of each loss at (y, z), batch means (zoo/losses.py).
    sigmoid = 1 / (1 + np.exp(-z))
    expected = {
        "mean_squared_error": np.mean((y - z) ** 2),
        "half_squared_error": np.mean(0.5 * (y - z) ** 2),
        "binary_crossentropy": np.mean(
            -(y * np.log(sigmoid) + (1 - y) * np.log(1 - sigmoid))
        ),
        "perceptron_criterion": np.mean(((z > 0) - y) * z),
    }
    for name, value in expected.items():
        assert float(get_loss(name)(y, z)) == pytest.approx(value, rel=1e-6), name
    log_probs = np.log([[0.25, 0.75], [0.5, 0.5]])
    nll = get_loss("negative_log_likelihood")([1, 0], log_probs)
    assert float(nll) == pytest.approx(-np.mean([np.log(0.75), np.log(0.5)]))
    assert set(LOSSES) == {*expected, "negative_log_likelihood"}
    with pytest.raises(
        ValueError,
        match=r"Unknown loss\. Did you mean 'mean_squared_error'\? Expected one of "
        r"\['mean_squared_error', .*Received: loss='mean_sqared_error'",
    ):
        get_loss("mean_sqared_error")


def test_every_optimizer_name_builds_its_own_rule_never_a_default():
    """Before the table, a name the option list accepted but no branch
    implemented became Adam; now the table is the implementation."""
    import keras

    from nda_models.training.loop.optimizers import OPTIMIZERS, get_optimizer

    sgd = get_optimizer("sgd", 0.1, momentum=0.8)
    heavy_ball = get_optimizer("momentum", 0.1, momentum=0.8)
    adam = get_optimizer("adam", 0.1)
    assert type(sgd) is keras.optimizers.SGD and float(sgd.momentum) == 0.0
    assert type(heavy_ball) is keras.optimizers.SGD
    assert float(heavy_ball.momentum) == pytest.approx(0.8)
    assert type(adam) is keras.optimizers.Adam
    assert float(adam.learning_rate) == pytest.approx(0.1)
    assert list(OPTIMIZERS) == ["sgd", "momentum", "adam"]
    for unknown in ("adamw", "rmsprop", "Adam"):
        with pytest.raises(ValueError, match=r"^Unknown optimizer\..*Expected one"):
            get_optimizer(unknown, 0.1)
    with pytest.raises(ValueError, match=r"Did you mean 'adam'\?"):
        get_optimizer("adamw", 0.1)
    with pytest.raises(ValueError, match=r"`momentum` must be in \[0, 1\)"):
        get_optimizer("momentum", 0.1, momentum=1.0)


def test_every_schedule_name_builds_its_step_size():
    from nda_models.training.loop.schedules import SCHEDULES, get_schedule

    assert get_schedule(None, 0.1) == 0.1 and get_schedule("constant", 0.1) == 0.1
    decay = get_schedule("robbins_monro", 0.1, tau=50, power=1.0)
    assert float(decay(50)) == pytest.approx(0.05)  # η_0 / (1 + 50/50)
    assert list(SCHEDULES) == ["constant", "robbins_monro"]
    with pytest.raises(
        ValueError, match=r"Unknown schedule\. Did you mean 'robbins_monro'\?"
    ):
        get_schedule("robins_monro", 0.1)


def test_every_metric_name_sums_its_metric():
    import tensorflow as tf

    from nda_models.training.loop.metrics import METRICS, check_metrics, metric_sums

    y = tf.constant([0, 1, 1, 0])
    p = tf.constant([[0.2], [0.7], [0.4], [0.9]])
    sums = metric_sums(("accuracy", "mean_absolute_error"), y, p).numpy()
    labels, probs = np.array([0, 1, 1, 0]), np.array([0.2, 0.7, 0.4, 0.9])
    assert sums[0] == np.sum((probs > 0.5) == labels)
    assert sums[1] == pytest.approx(np.sum(np.abs(labels - probs)))
    assert list(METRICS) == ["accuracy", "mean_absolute_error"]
    with pytest.raises(ValueError, match=r"Unknown metric\. Did you mean 'accuracy'"):
        check_metrics(["acuracy"])


def test_every_sampling_name_makes_its_sampler():
    import tensorflow as tf

    from nda_models.training.loop import sampling
    from nda_models.training.loop.sampling_methods import SAMPLINGS

    generator = tf.random.Generator.from_seed(0)
    kinds = {name: type(sampling.make_sampler(name, generator)) for name in SAMPLINGS}
    assert kinds == {
        "permutation": sampling.PermutationSampler,
        "preshuffle": sampling.PreshuffleSampler,
        "uniform": sampling.UniformSampler,
    }
    with pytest.raises(
        ValueError,
        match=r"Unknown sampling\. Did you mean 'uniform'\?.*'permutation' "
        r"reshuffles each epoch.*Received: sampling='uniformm'",
    ):
        sampling.make_sampler("uniformm", generator)


def test_every_activation_name_is_its_formula():
    from nda_models.zoo.activations import ACTIVATIONS, get_activation

    z = np.linspace(-3, 3, 13).astype("float32")
    formulas = {
        "relu": np.maximum(z, 0),
        "tanh": np.tanh(z),
        "sigmoid": 1 / (1 + np.exp(-z)),
    }
    assert list(ACTIVATIONS) == list(formulas)
    for name, expected in formulas.items():
        got = np.asarray(get_activation(name)(z))
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)
    model = nda.build_model("mlp_regressor", input_dim=2, activation="tanh")
    assert model.get_layer("hidden_1").get_config()["activation"] == "tanh"
    with pytest.raises(ValueError, match=r"Unknown activation\. Did you mean 'relu'"):
        get_activation("rellu")


def test_tasks_and_autodiff_modes_are_tables_too():
    from nda_models.autodiff import MODES, differentiate
    from nda_models.zoo.tasks import CLASSIFICATION, TASKS

    assert list(TASKS) == ["regression", "binary", "multiclass"]
    assert CLASSIFICATION == ("binary", "multiclass")
    with pytest.raises(ValueError, match=r"Unknown task\. Did you mean 'regression'"):
        TASKS.check("task", "regresion")
    assert list(MODES) == ["forward", "reverse"]
    forward = differentiate(lambda t: t[0] * t[1], (2.0, 3.0), mode="forward")
    assert forward.gradient == (3.0, 2.0)
    with pytest.raises(ValueError, match=r"Unknown autodiff mode.*'reverse'"):
        differentiate(lambda t: t[0], (1.0,), mode="revers")


def test_the_task_list_is_written_once():
    """No module spells out the three tasks except zoo/tasks.py."""
    copies = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if '"regression", "binary", "multiclass"' in path.read_text(encoding="utf-8")
    ]
    assert copies == []


def test_nda_help_lists_the_tables_without_tensorflow():
    code = (
        "import sys; from nda_models.cli import main\n"
        "try:\n    main(['train', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "sgd,momentum,adam" in out.stdout
    assert "permutation,preshuffle,uniform" in out.stdout
    assert out.stdout.split()[-2:] == ["False", "False"]


def test_the_guide_synopsis_lists_exactly_the_tables_names():
    import re

    from nda_models.autodiff import MODES
    from nda_models.training.loop.optimizers import OPTIMIZERS
    from nda_models.training.loop.sampling_methods import SAMPLINGS
    from nda_models.training.loop.schedules import SCHEDULES
    from nda_models.zoo.activations import ACTIVATIONS
    from nda_models.zoo.tasks import TASKS

    guide = PACKAGE.parent / "docs" / "guide" / "cli.md"
    synopsis = (
        guide.read_text(encoding="utf-8").split("# Command line")[1].split("```")[1]
    )
    tables = {
        "--optimizer": OPTIMIZERS, "--sampling": SAMPLINGS, "--schedule": SCHEDULES,
        "--activation": ACTIVATIONS, "--task": TASKS, "--mode": MODES,
    }  # fmt: skip
    for flag, table in tables.items():
        written = re.search(rf"\[{flag} ([\w|]+)\]", synopsis)
        assert written, f"no `{flag} a|b` in the guide's synopsis"
        assert set(written.group(1).split("|")) == set(table), flag
