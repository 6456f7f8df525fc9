"""The names DESIGN.md fixes are importable from the package, lazily where needed."""

import subprocess
import sys

import nda_models as nda

DESIGN_NAMES = [
    "list_models",
    "describe_model",
    "build_model",
    "register_model",
    "load_dataset",
    "Trainer",
    "save_model",
    "load_model",
    "TrainingDivergedError",
]


def test_design_names_exist_and_every_export_resolves():
    assert set(DESIGN_NAMES) <= set(nda.__all__)
    for name in nda.__all__:
        assert getattr(nda, name) is not None, name


def test_training_diverged_error_is_a_runtime_error_without_tensorflow():
    code = (
        "import sys, nda_models as nda; e = nda.TrainingDivergedError('m', step=3, "
        "epoch=1, learning_rate=0.5); "
        "print(isinstance(e, RuntimeError), e.step, e.epoch, e.learning_rate, "
        "'tensorflow' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "3", "1", "0.5", "False"]


def test_unknown_attribute_is_an_attribute_error():
    try:
        nda.no_such_name  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("expected AttributeError")


def test_tensorflow_is_imported_only_on_first_use_of_trainer():
    code = (
        "import sys, nda_models as nda; a = 'tensorflow' in sys.modules; "
        "nda.Trainer; print(a, 'tensorflow' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "True"]
