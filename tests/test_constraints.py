"""The declarative argument checks (nda_models.core.constraints) and the name
tables they check against."""

import ast
import math
import numbers
import pathlib
import re
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


@pytest.mark.parametrize(
    ("kind", "low", "high", "closed", "empty"),
    [
        (numbers.Integral, 5, 1, "both", "[5, 1]"),
        (numbers.Integral, 1, 2, "neither", "(1, 2)"),  # no integer in between
        (numbers.Integral, 1, 1, "left", "[1, 1)"),
        (numbers.Real, 2.5, 1, "both", "[2.5, 1]"),
        (numbers.Real, 1, 1, "neither", "(1, 1)"),
        (numbers.Real, 0, 0, "right", "(0, 0]"),
    ],
)
def test_an_interval_that_admits_nothing_is_refused_when_declared(
    kind, low, high, closed, empty
):
    with pytest.raises(
        ValueError,
        match=rf"^This interval admits no value: in {re.escape(empty)} is empty.*"
        rf"Received: low={low!r}, high={high!r}, closed={closed!r}$",
    ):
        Interval(kind, low, high, closed=closed)


def test_the_narrowest_intervals_that_admit_something_are_kept():
    two = Interval(numbers.Integral, 1, 3, closed="neither")
    assert two.check("k", 2) == 2
    for outside in (1, 3):
        with pytest.raises(ValueError, match=r"in \(1, 3\)"):
            two.check("k", outside)
    assert Interval(numbers.Real, 1, 1).check("x", 1) == 1.0
    assert Interval(numbers.Integral, 4, 4).check("n", 4) == 4


@pytest.mark.parametrize(
    ("bound", "error", "match"),
    [
        (math.nan, ValueError, r"`low` must be finite.*NaN.*Received: low=nan"),
        (math.inf, ValueError, r"`low` must be finite; use None for no bound"),
        (True, TypeError, r"`low` of an interval of numbers must be None or a real"),
        ("0", TypeError, r"must be None or a real number\. Received: low='0'"),
    ],
)
def test_bounds_must_be_finite_numbers(bound, error, match):
    with pytest.raises(error, match=match):
        Interval(numbers.Real, bound)


def test_integer_bounds_for_integer_intervals():
    with pytest.raises(TypeError, match=r"interval of integers must be None or an int"):
        Interval(numbers.Integral, 0.5)


def test_real_intervals_refuse_ints_too_large_for_a_float():
    """10**400 overflowed math.isfinite (OverflowError) instead of a ValueError."""
    with pytest.raises(ValueError, match=r"must be a finite number >= 0"):
        Interval(numbers.Real, 0).check("x", 10**400)
    assert Interval(numbers.Integral, 0).check("n", 10**400) == 10**400


def test_options_compare_type_as_well_as_value():
    from nda_models.zoo.hparams import BOOLEAN

    with pytest.raises(TypeError, match=r"`use_bias` must be one of \[True, False\]"):
        BOOLEAN.check("use_bias", 1)
    with pytest.raises(TypeError, match=r"Received: use_bias=0\.0 of type float"):
        BOOLEAN.check("use_bias", 0.0)
    with pytest.raises(TypeError, match=r"Received: verbose=1\.0 of type float"):
        VERBOSITIES.check("verbose", 1.0)
    assert 1 not in BOOLEAN and True not in VERBOSITIES and 1.0 not in VERBOSITIES
    assert 1 in VERBOSITIES and True in BOOLEAN


def test_numpy_scalars_count_as_the_python_values_they_stand_for():
    """Decided: np.True_ is True and np.int64(2) is 2 (a grid read from an
    array passes NumPy scalars); check returns the Python option itself."""
    import numpy as np

    from nda_models.zoo.hparams import BOOLEAN

    assert BOOLEAN.check("use_bias", np.True_) is True
    assert BOOLEAN.check("use_bias", np.False_) is False
    level = VERBOSITIES.check("verbose", np.int64(2))
    assert level == 2 and type(level) is int
    assert OPTIMIZERS.check("optimizer", np.str_("adam")) == "adam"
    with pytest.raises(TypeError, match=r"verbose=np\.float64\(1\.0\) of type"):
        VERBOSITIES.check("verbose", np.float64(1.0))
    with pytest.raises(TypeError, match=r"use_bias=np\.int64\(1\) of type int64"):
        BOOLEAN.check("use_bias", np.int64(1))
    with pytest.raises(TypeError, match=r"`batch_size` must be an integer >= 1"):
        Interval(numbers.Integral, 1).check("batch_size", np.True_)


def test_a_number_spelled_as_a_string_is_named_as_such():
    with pytest.raises(
        TypeError,
        match=r"must be one of \[0, 1, 2, 'auto'\]: the int 1, not the string '1'\. "
        r"Received: verbose='1'$",
    ):
        VERBOSITIES.check("verbose", "1")
    with pytest.raises(TypeError, match=r"`batch_size` must be an integer >= 1\."):
        Interval(numbers.Integral, 1).check("batch_size", "32")
    with pytest.raises(
        ValueError, match=r"^Unknown verbose level\. Did you mean 'auto'"
    ):
        VERBOSITIES.check("verbose", "aut")


def test_options_that_no_value_can_equal_are_refused():
    from nda_models.core.constraints import Options

    for values in ((), (math.nan,), ("sgd", float("nan"))):
        with pytest.raises(ValueError, match=r"Options must list values that a value"):
            Options(values)


def test_the_builders_and_the_trainer_take_the_type_aware_checks():
    import nda_models as nda

    with pytest.raises(TypeError, match=r"`use_bias` must be one of \[True, False\]"):
        nda.build_model("linear_regressor", input_dim=2, use_bias=1)
    model = nda.build_model("linear_regressor", input_dim=2)
    with pytest.raises(TypeError, match=r"Received: verbose=1\.0 of type float"):
        nda.Trainer(model).fit([[0.0, 1.0]], [1.0], verbose=1.0)
