"""The command line explains itself: --version, defaults in help, the recipe."""

import argparse
import inspect
import subprocess
import sys

import pytest

import nda_models
from nda_models.cli import main
from nda_models.cli.main import COMMANDS, build_parser
from nda_models.workflows.recipes import RECIPES, TRAINER_DEFAULTS, training_defaults


def _subparsers():
    parser = build_parser()
    action = next(
        a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    )
    return action.choices


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"nda {nda_models.__version__}"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_option_with_a_default_says_it(command):
    """Options that take a value and have a default name it in their help."""
    sub = _subparsers()[command]
    missing = []
    for action in sub._actions:
        if not action.option_strings or action.nargs == 0 or action.required:
            continue
        if "default" not in (action.help or "") and "%(default)" not in (
            action.help or ""
        ):
            missing.append(action.option_strings[-1])
    assert missing == []


@pytest.mark.parametrize("command", ["predict", "evaluate"])
def test_required_options_are_listed_as_required(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    assert "required options:" in out
    assert "--input FILE.csv" in out.split("required options:")[1]


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_train_name_help_shows_the_recipe(name, capsys):
    with pytest.raises(SystemExit):
        main(["train", name, "--help"])
    out = " ".join(capsys.readouterr().out.split())
    recipe = RECIPES[name]
    assert f"--epochs N passes over the data (default: {recipe['epochs']})" in out
    assert f"--batch-size M mini-batch size M (default: {recipe['batch_size']})" in out
    assert f"(default: {recipe['learning_rate']})" in out
    assert f"update rule (default: {recipe['optimizer']})" in out
    assert f"(default: {recipe['dataset']})" in out
    assert "for robbins_monro (default: constant)" in out


def test_tune_name_help_shows_the_recipe_and_the_grid(capsys):
    with pytest.raises(SystemExit):
        main(["tune", "mlp_regressor", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "passes over the data (default: 60)" in out
    assert "(default: 0.001,0.01,0.1)" in out and "(default: 1,16,128)" in out
    assert "--batch-size M" not in out  # the grid searches it


def test_help_without_a_name_points_at_the_recipe(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "(default: the model's recipe; `nda train NAME --help` shows it)" in out


def test_mlp_help_shows_builder_defaults_others_say_unused(capsys):
    with pytest.raises(SystemExit):
        main(["train", "mlp_classifier", "--help"])
    spec = nda_models.describe_model("mlp_classifier")
    hidden = ",".join(str(u) for u in spec.defaults["hidden_units"])
    assert f"(default: {hidden})" in " ".join(capsys.readouterr().out.split())
    with pytest.raises(SystemExit):
        main(["train", "perceptron", "--help"])
    assert "(default: not used by perceptron)" in " ".join(
        capsys.readouterr().out.split()
    )


def test_trainer_defaults_match_what_the_trainer_uses():
    from nda_models.training import Trainer
    from nda_models.training.defaults import TRAINER_DEFAULTS as DEFAULTS

    signature = inspect.signature(Trainer).parameters
    assert TRAINER_DEFAULTS["sampling"] == signature["sampling"].default
    assert signature["schedule"].default in (None, "constant")
    assert TRAINER_DEFAULTS["schedule"] == "constant"
    assert TRAINER_DEFAULTS["momentum"] == DEFAULTS["momentum"]
    assert TRAINER_DEFAULTS["tau"] == DEFAULTS["tau"]
    assert TRAINER_DEFAULTS["power"] == DEFAULTS["power"]
    for name in ("optimizer", "batch_size", "sampling", "divergence_factor"):
        assert signature[name].default == DEFAULTS[name], name


def test_options_not_given_take_the_documented_defaults(tmp_path):
    """The defaults table is what a Trainer really uses (read from the objects)."""
    import numpy as np

    import nda_models as nda
    from nda_models.training import Trainer

    model = nda.build_model("linear_regressor", input_dim=2)
    momentum = Trainer(model, optimizer="momentum", log_dir=tmp_path)
    assert np.isclose(momentum.learning_rate, 0.01)
    assert np.isclose(float(momentum.optimizer.momentum), 0.9)
    assert momentum.summaries.log_every == 10
    decaying = Trainer(model, schedule="robbins_monro")
    rate = decaying.optimizer._learning_rate
    assert (rate.tau, rate.power) == (100.0, 1.0)


def test_describe_shows_the_recipe(capsys):
    assert main(["describe", "softmax_classifier"]) == 0
    out = capsys.readouterr().out
    recipe = training_defaults("softmax_classifier")
    for key in ("dataset", "epochs", "batch_size", "learning_rate", "optimizer",
                "schedule"):  # fmt: skip
        assert f"  {key} = {recipe[key]!r}" in out


def test_describe_build_with_num_classes(capsys):
    assert main(["describe", "softmax_classifier", "--build", "5",
                 "--num-classes", "7"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    # Dense(5 -> 7): 5·7 weights + 7 biases, plus the Normalization layer's none.
    assert "(None, 7)" in out and "42" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["describe", "perceptron", "--build", "2", "--num-classes", "3"],
         "--num-classes applies to multiclass models"),
        (["describe", "softmax_classifier", "--num-classes", "3"],
         "--num-classes needs --build INPUT_DIM"),
        (["train", "linear_regressor", "--momentum", "0.5"],
         "--momentum applies only with --optimizer momentum"),
        (["train", "linear_regressor", "--tau", "10"],
         "--tau applies only with --schedule robbins_monro"),
        (["tune", "linear_regressor", "--power", "0.7"],
         "--power applies only with --schedule robbins_monro"),
    ],
)  # fmt: skip
def test_options_that_need_another_are_refused(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["train", "linear_regressor", "--val-size", "1.5"], "expected a fraction"),
        (["train", "linear_regressor", "--tau", "0"], "expected a number > 0"),
        (["describe", "perceptron", "--build", "0"], "expected an integer >= 1"),
    ],
)
def test_bad_values_are_refused_by_the_parser(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_guide_synopsis_lists_every_option():
    import pathlib

    guide = pathlib.Path(__file__).parents[1] / "docs" / "guide" / "cli.md"
    synopsis = (
        guide.read_text(encoding="utf-8").split("# Command line")[1].split("```")[1]
    )
    missing = []
    for command, sub in _subparsers().items():
        line = [s for s in synopsis.split("\nnda ") if s.startswith(command)]
        assert line, f"no `nda {command}` in the guide's synopsis"
        for action in sub._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    if flag not in line[0]:
                        missing.append(f"nda {command} {flag}")
    assert missing == []


def test_new_knobs_reach_the_trainer_and_the_split(tmp_path):
    """--momentum/--tau/--power/--val-size/--test-size end up where they belong."""
    code = subprocess.run(
        [sys.executable, "-m", "nda_models.cli.main", "train", "linear_regressor",
         "--epochs", "1", "--optimizer", "momentum", "--momentum", "0.5",
         "--schedule", "robbins_monro", "--tau", "7", "--power", "0.75",
         "--val-size", "0.1", "--test-size", "0.3", "--quiet",
         "--out", str(tmp_path / "b"), "--logdir", str(tmp_path / "runs")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert code.returncode == 0, code.stderr
    metadata = nda_models.load_model(tmp_path / "b").metadata
    training = metadata["training"]
    assert training["optimizer"] == "momentum"
    assert (training["momentum"], training["tau"], training["power"]) == (0.5, 7, 0.75)
    # The split the loader makes for these fractions (1000 rows: ~600/100/300).
    expected = nda_models.load_dataset("linear_synthetic", val_size=0.1, test_size=0.3)
    sizes = metadata["dataset"]
    assert (sizes["n_train"], sizes["n_val"], sizes["n_test"]) == (
        len(expected.y_train),
        len(expected.y_val),
        len(expected.y_test),
    )
    assert sizes["n_test"] == 300


def test_progress_is_a_bar_on_a_terminal_one_line_per_epoch_otherwise(monkeypatch):
    from nda_models.cli.train import progress_verbosity

    assert progress_verbosity(True) == 0
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)
    assert progress_verbosity(False) == 2
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert progress_verbosity(False) == 1
