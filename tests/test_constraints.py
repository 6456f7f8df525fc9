"""The declarative argument checks (nda_models.core.constraints) and the name
tables they check against."""

import ast
import math
import numbers
import pathlib
import subprocess
import sys

import pytest

from nda_models.callbacks.progress import VERBOSITIES
from nda_models.core.constraints import Interval, is_integer, is_number
from nda_models.training.loop.optimizers import OPTIMIZERS
from nda_models.training.loop.sampling_methods import SAMPLINGS
from nda_models.training.loop.schedules import SCHEDULES
from nda_models.zoo import registry
from nda_models.zoo.activations import ACTIVATIONS

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "nda_models"


@pytest.mark.parametrize(
    ("constraint", "inside", "outside"),
    [
        (Interval(numbers.Integral, 1), [1, 7, 10**12], [0, -3]),
        (Interval(numbers.Real, 0, 1, closed="left"), [0, 0.5, 0.999], [1, -1e-9]),
        (Interval(numbers.Real, 0.5, 1, closed="right"), [0.51, 1], [0.5, 1.01]),
        (Interval(numbers.Real, 0, closed="neither"), [1e-12, 1e300], [0, -1]),
        (Interval(numbers.Real, None, 3), [-1e9, 3], [3.5]),
    ],
)
def test_interval_bounds(constraint, inside, outside):
    for value in inside:
        assert constraint.check("a", value) == value
    for value in outside:
        with pytest.raises(ValueError, match=rf"Received: a={value!r}"):
            constraint.check("a", value)


def test_real_intervals_refuse_nan_and_infinity():
    rate = Interval(numbers.Real, 0, closed="neither")
    for value in (math.inf, math.nan, -math.inf):
        with pytest.raises(ValueError, match="must be a finite number > 0"):
            rate.check("learning_rate", value)


def test_bools_are_neither_integers_nor_numbers():
    assert not is_integer(True) and not is_number(False)
    assert is_integer(3) and is_number(3) and is_number(2.5) and not is_integer(2.5)
    with pytest.raises(TypeError, match=r"`batch_size` must be an integer >= 1\. "):
        Interval(numbers.Integral, 1).check("batch_size", True)


def test_messages_say_what_is_expected_and_what_was_received():
    momentum = Interval(numbers.Real, 0, 1, closed="left", reason=" (0.9 is usual)")
    with pytest.raises(
        TypeError, match=r"^`momentum` must be a number in \[0, 1\)\. Received: "
    ):
        momentum.check("momentum", "0.9")
    with pytest.raises(
        ValueError,
        match=r"^`momentum` must be in \[0, 1\) \(0\.9 is usual\)\. Received: "
        r"momentum=1\.0$",
    ):
        momentum.check("momentum", 1.0)
    seed = Interval(numbers.Integral, 0, allow_none=True)
    assert seed.check("seed", None) is None
    with pytest.raises(TypeError, match=r"must be None or an integer >= 0"):
        seed.check("seed", 1.5)
    with pytest.raises(ValueError, match=r"must be an integer >= 0 or None"):
        seed.check("seed", -1)


def test_checked_values_come_back_as_python_numbers():
    import numpy as np

    value = Interval(numbers.Integral, 1).check("n", np.int64(4))
    assert value == 4 and type(value) is int
    assert type(Interval(numbers.Real, 0).check("x", np.float32(0.5))) is float


def test_bad_declarations_are_refused():
    with pytest.raises(TypeError, match="numbers.Integral or numbers.Real"):
        Interval(int, 0)
    with pytest.raises(ValueError, match="`closed` must be one of"):
        Interval(numbers.Real, 0, 1, closed="open")


def test_options_suggest_the_closest_name():
    with pytest.raises(
        ValueError,
        match=r"^Unknown optimizer\. Did you mean 'adam'\? Expected one of "
        r"\['sgd', 'momentum', 'adam'\] or a keras\.optimizers\.Optimizer\. "
        r"Received: optimizer='adma'$",
    ):
        OPTIMIZERS.check("optimizer", "adma")
    with pytest.raises(TypeError, match=r"`optimizer` must be one of .* of type int"):
        OPTIMIZERS.check("optimizer", 3)
    assert SCHEDULES.check("schedule", None) is None


def test_integer_options_do_not_take_bools():
    assert VERBOSITIES.check("verbose", 2) == 2
    assert VERBOSITIES.check("verbose", "auto") == "auto"
    with pytest.raises(TypeError, match="verbose"):
        VERBOSITIES.check("verbose", True)
    with pytest.raises(ValueError, match=r"Unknown verbose level.*Received: verbose=3"):
        VERBOSITIES.check("verbose", 3)


def test_the_command_line_offers_exactly_the_options():
    import argparse

    from nda_models.cli.arguments import add_training

    parser = argparse.ArgumentParser()
    add_training(parser)
    choices = {a.dest: a.choices for a in parser._actions if a.choices}
    assert list(choices["optimizer"]) == list(OPTIMIZERS)
    assert list(choices["sampling"]) == list(SAMPLINGS)
    assert list(choices["schedule"]) == list(SCHEDULES)
    assert list(choices["activation"]) == list(ACTIVATIONS)
    assert parser.parse_args(["--optimizer", "adam"]).optimizer == "adam"
    with pytest.raises(SystemExit):
        parser.parse_args(["--optimizer", "adma"])


def test_importing_the_checks_imports_no_tensorflow():
    code = (
        "import sys, nda_models.core.constraints, nda_models.core.name_table, "
        "nda_models.training.loop.optimizers, nda_models.training.loop.schedules, "
        "nda_models.training.loop.sampling_methods, nda_models.zoo.activations, "
        "nda_models.zoo.losses, nda_models.zoo.tasks; "
        "print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


def test_registry_lookups_are_public():
    assert registry.get_spec("perceptron").task == "binary"
    assert registry.get_spec("no_such_model") is None
    assert registry.get_spec(3) is None
    assert registry.is_model("mlp_classifier") and not registry.is_model("mlp")


def _private_imports(path):
    """(line, name) of private names this file takes from another module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found += [
                (node.lineno, alias.name)
                for alias in node.names
                if alias.name.startswith("_") and not alias.name.startswith("__")
            ]
    return found


def test_no_module_imports_another_modules_private_names():
    offenders = {
        str(path.relative_to(PACKAGE)): names
        for path in sorted(PACKAGE.rglob("*.py"))
        if (names := _private_imports(path))
    }
    assert offenders == {}


def test_every_recipe_uses_the_declared_options():
    from nda_models.workflows.recipes import RECIPES

    for recipe in RECIPES.values():
        assert recipe["optimizer"] in OPTIMIZERS
