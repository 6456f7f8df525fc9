"""``tune``'s grid is checked before anything trains (issue 21 C1).

``tune(..., learning_rates=[0.05, 0.05])`` used to train every pair and then
crash in the heat-map's reshape, leaving neither table nor bundle.
"""

import math

import numpy as np
import pytest

from nda_models.cli import main
from nda_models.workflows import tune
from nda_models.workflows.tuning_grid import check_grid, parse_grid

OK_RATES, OK_SIZES = [0.01], [32]


@pytest.mark.parametrize(
    ("learning_rates", "batch_sizes", "error", "match"),
    [
        ([0.05, 0.05], OK_SIZES, ValueError, r"`learning_rates` lists 0\.05 more "
         r"than once.*Remove the repeats\. Received: learning_rates=\[0\.05, 0\.05\]"),
        (OK_RATES, [16, 8, 16], ValueError, r"`batch_sizes` lists 16 more than once"),
        ([0.1, math.nan], OK_SIZES, ValueError,
         r"`learning_rates\[1\]` must be a finite number > 0.*Received: "
         r"learning_rates\[1\]=nan"),
        ([math.inf], OK_SIZES, ValueError, r"`learning_rates\[0\]` must be a finite"),
        ([-0.1], OK_SIZES, ValueError, r"`learning_rates\[0\]` must be a finite "
         r"number > 0.*Received: learning_rates\[0\]=-0\.1"),
        ([0.0], OK_SIZES, ValueError, r"learning_rates\[0\]=0\.0"),
        (OK_RATES, [0], ValueError, r"`batch_sizes\[0\]` must be an integer >= 1"),
        (OK_RATES, [-4], ValueError, r"`batch_sizes\[0\]` must be an integer >= 1"),
        (["0.1"], OK_SIZES, TypeError, r"`learning_rates\[0\]` must be a number"),
        ([None], OK_SIZES, TypeError, r"`learning_rates\[0\]` must be a number"),
        ([True], OK_SIZES, TypeError, r"learning_rates\[0\]=True"),
        (OK_RATES, [16.5], TypeError, r"`batch_sizes\[0\]` must be an integer"),
        (OK_RATES, ["16"], TypeError, r"`batch_sizes\[0\]` must be an integer"),
        ([], OK_SIZES, ValueError, r"`learning_rates` must list at least one value"),
        (OK_RATES, [], ValueError, r"`batch_sizes` must list at least one value"),
        (0.1, OK_SIZES, TypeError, r"`learning_rates` must be a list of numbers"),
        ("0.1,0.01", OK_SIZES, TypeError, r"must be a list of numbers.*Received: "
         r"learning_rates='0\.1,0\.01'"),
        (OK_RATES, None, TypeError, r"`batch_sizes` must be a list"),
    ],
)  # fmt: skip
def test_a_bad_grid_is_refused_before_training(
    learning_rates, batch_sizes, error, match, tmp_path
):
    with pytest.raises(error, match=match):
        tune("linear_regressor", learning_rates=learning_rates,
             batch_sizes=batch_sizes, epochs=1, logdir=tmp_path / "runs",
             results=tmp_path / "tuning", out=tmp_path / "bundle")  # fmt: skip
    assert list(tmp_path.iterdir()) == []  # nothing trained, nothing written


def test_values_that_print_alike_are_repeats():
    """0.1 and np.float32(0.1) would share the run folder ``lr=0.1,M=32``."""
    with pytest.raises(ValueError, match=r"lists 0\.1 more than once.*6 significant"):
        check_grid([0.1, np.float32(0.1)], "learning_rates")
    with pytest.raises(ValueError, match=r"lists 0\.001 more than once"):
        check_grid([0.001, 0.0010000001], "learning_rates")
    assert check_grid([0.001, 0.00101], "learning_rates") == [0.001, 0.00101]


def test_numpy_values_are_fine_and_sorted():
    assert check_grid(np.array([0.1, 0.001]), "learning_rates") == [0.001, 0.1]
    assert check_grid(np.array([128, 1]), "batch_sizes") == [1, 128]
    assert all(type(v) is int for v in check_grid(np.array([8, 2]), "batch_sizes"))


@pytest.mark.parametrize(
    ("text", "name", "match"),
    [
        ("0.05,0.05", "learning_rates", r"lists 0\.05 more than once.*from '0\.05"),
        ("0.1,abc", "learning_rates", "comma-separated list of numbers"),
        ("16,8.5", "batch_sizes", "comma-separated list of integers"),
        (",", "batch_sizes", "must list at least one value"),
        ("0.1,nan", "learning_rates", r"learning_rates\[1\]` must be a finite"),
        ("0,16", "batch_sizes", r"batch_sizes\[0\]` must be an integer >= 1"),
    ],
)
def test_the_command_line_text_follows_the_same_rules(text, name, match):
    with pytest.raises(ValueError, match=match):
        parse_grid(text, name)


def test_nda_tune_refuses_a_repeated_value(tmp_path, capsys):
    argv = ["tune", "linear_regressor", "--learning-rates", "0.05,0.05",
            "--results", str(tmp_path / "t"), "--logdir", str(tmp_path / "r"),
            "--out", str(tmp_path / "b")]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("nda: error: `learning_rates` lists 0.05 more than once")
    assert list(tmp_path.iterdir()) == []
