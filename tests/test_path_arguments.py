"""A wrong path argument is refused naming the argument and what to pass,
not with os.fspath's "expected str, bytes or os.PathLike object"."""

import pathlib

import numpy as np
import pytest

import nda_models as nda
from nda_models.sklearn import NDARegressor, load_estimator

WRONG = [None, 3, b"saved_models/m", ["saved_models/m"]]


@pytest.mark.parametrize("value", WRONG)
def test_load_model_names_the_path_argument(value):
    with pytest.raises(TypeError) as error:
        nda.load_model(value)
    message = str(error.value)
    assert message.startswith("`path` must be a path (a str or a pathlib.Path)")
    assert f"Received: path={value!r} ({type(value).__name__})" in message


def test_load_estimator_names_the_path_argument():
    with pytest.raises(TypeError, match=r"`path` must be a path .* path=None"):
        load_estimator(None)


def test_save_model_refuses_a_wrong_path_before_any_work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    model = nda.build_model("linear_regressor", input_dim=2)
    with pytest.raises(TypeError, match=r"`path` must be a path .* path=3 \(int\)"):
        nda.save_model(model, 3)
    assert list(tmp_path.iterdir()) == []


def test_a_pathlib_path_and_a_str_both_load(tmp_path):
    est = NDARegressor(epochs=1, random_state=0).fit(
        np.arange(20.0).reshape(10, 2), np.arange(10.0)
    )
    folder = est.save(tmp_path / "b")
    x = [[1.0, 2.0]]
    as_str, as_path = nda.load_model(str(folder)), nda.load_model(pathlib.Path(folder))
    np.testing.assert_array_equal(as_str.predict(x), as_path.predict(x))


def _model():
    return nda.build_model("linear_regressor", input_dim=2)


def _train(**paths):
    from nda_models.workflows.train import train_model

    return train_model("perceptron", epochs=1, verbose=0, **paths)


def _tune(**paths):
    from nda_models.workflows.tune import tune

    return tune("perceptron", learning_rates=[0.1], batch_sizes=[4], **paths)


def _output_folder(path):
    from nda_models.lecture import output_folder

    return output_folder(path)


def _model_export(path):
    from nda_models.callbacks import ModelExport

    return ModelExport(path)


# Every public function that takes a folder: a wrong value is refused before
# any work by core.path_argument (was os.fspath's "expected str, bytes or
# os.PathLike object, not int", or "Can't mix strings and bytes").
TAKERS = [
    ("log_dir", "runs/my_run", lambda v: nda.Trainer(_model(), log_dir=v)),
    ("path", "saved_models/NAME", _model_export),
    ("out", "saved_models/NAME", lambda v: _train(out=v, logdir=None)),
    ("logdir", "runs", lambda v: _train(logdir=v)),
    ("checkpoint_dir", "checkpoints/NAME", lambda v: _train(checkpoint_dir=v)),
    ("results", "results", lambda v: _tune(results=v)),
    ("logdir", "runs", lambda v: _tune(logdir=v)),
    ("out", "saved_models/NAME", lambda v: _tune(out=v)),
    ("--out", "figures/NAME", _output_folder),
]


@pytest.mark.parametrize(("name", "example", "call"), TAKERS)
@pytest.mark.parametrize("value", [3, b"runs"])
def test_every_path_argument_is_checked_by_the_one_helper(
    name, example, call, value, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TypeError) as error:
        call(value)
    assert str(error.value) == (
        f"`{name}` must be a path (a str or a pathlib.Path), e.g. {example!r}. "
        f"Received: {name}={value!r} ({type(value).__name__})"
    )
    assert list(tmp_path.iterdir()) == []


EMPTY = [
    *TAKERS,
    ("path", "saved_models/NAME", nda.load_model),
    ("path", "saved_models/NAME", lambda v: nda.save_model(_model(), v)),
    ("checkpoint_dir", "checkpoints/NAME",
     lambda v: nda.Trainer(_model(), checkpoint_dir=v)),
]  # fmt: skip


@pytest.mark.parametrize(("name", "example", "call"), EMPTY)
def test_an_empty_path_is_refused_not_read_as_the_current_folder(
    name, example, call, tmp_path, monkeypatch
):
    """pathlib reads "" as ".": Trainer(checkpoint_dir="") wrote its
    checkpoints, and log_dir="" TensorBoard's files, among the user's own."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(
        ValueError,
        match=rf"^`{name}` is an empty string\. Pass a path, e\.g\. '{example}' "
        rf"\('\.' for the current folder\)\. Received: {name}=''$",
    ):
        call("")
    assert list(tmp_path.iterdir()) == []
