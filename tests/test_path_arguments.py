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
