"""Inputs that used to shift or disguise features are refused (issue 21 W4, W5).

W4: a CSV row with one field more than the header made pandas use the first
column as the index, so every feature shifted (prediction 8.90 instead of
0.86, exit 0). W5: dates and durations became nanosecond counts (~1e15).
"""

import datetime
import re

import numpy as np
import pandas as pd
import pytest

import nda_models as nda
from nda_models.cli import main
from nda_models.export.read.input_checks import features_array

NAMES = ["a", "b"]


@pytest.fixture(scope="module")
def regressor(tmp_path_factory):
    model = nda.build_model("linear_regressor", input_dim=2)
    model.set_weights([np.array([[2.0], [-3.0]], np.float32), np.ones(1, np.float32)])
    return nda.save_model(
        model, tmp_path_factory.mktemp("shapes") / "r", feature_names=NAMES
    )


def _fails(argv, capsys):
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("nda: error: ") and err.count("\n") == 1, err
    return err


@pytest.mark.parametrize(
    ("text", "line", "count", "more"),
    [
        ("a,b\n1,2\n0.5,0.1,7\n", 3, 3, "more"),  # one field more: shifted before
        ("a,b\n1,2,3\n", 2, 3, "more"),
        ("a,b\n1,2\n\n0.5\n", 4, 1, "fewer"),  # the blank line is skipped
        ('a,b\n"x,\ny",2\n1,2,3\n', 4, 3, "more"),  # a quoted field spans lines
    ],
)
def test_rows_with_another_field_count_are_refused_naming_the_line(
    regressor, tmp_path, capsys, text, line, count, more
):
    path = tmp_path / "rows.csv"
    path.write_text(text)
    err = _fails(["predict", str(regressor), "--input", str(path)], capsys)
    many = "too many" if more == "more" else "too few"
    assert f"(line {line}) has {many} fields: {count} where the header has 2" in err


def test_evaluate_refuses_them_too(regressor, tmp_path, capsys):
    path = tmp_path / "labelled.csv"
    path.write_text("a,b,y\n1,2,-3\n0.5,0.1,0.9,7\n")
    argv = ["evaluate", str(regressor), "--input", str(path), "--target", "y"]
    err = _fails(argv, capsys)
    assert "labelled.csv', row 2 (line 3) has too many fields: 4 where the " in err


def test_the_shifted_prediction_of_issue_21_is_refused(regressor, tmp_path, capsys):
    path = tmp_path / "shift.csv"
    path.write_text("a,b\n0.5,0.1,7\n")
    err = _fails(["predict", str(regressor), "--input", str(path)], capsys)
    assert "row 1 (line 2) has too many fields: 3 where the header has 2" in err
    path.write_text("a,b\n0.5,0.1\n")  # the same row, well formed
    assert main(["predict", str(regressor), "--input", str(path)]) == 0
    value = float(capsys.readouterr().out.splitlines()[1])
    assert value == pytest.approx(1 + 2 * 0.5 - 3 * 0.1, rel=1e-6)  # NumPy oracle


def _frames():
    stamps = pd.to_datetime(["2020-01-01", "2020-01-02"])
    return {
        "datetime64": pd.DataFrame({"a": stamps, "b": [1.0, 2.0]}),
        "tz-aware": pd.DataFrame({"a": stamps.tz_localize("UTC"), "b": [1.0, 2.0]}),
        "timedelta64": pd.DataFrame(
            {"a": pd.to_timedelta([1, 2], unit="D"), "b": [1.0, 2.0]}
        ),
        "period": pd.DataFrame(
            {"a": pd.period_range("2020-01", periods=2, freq="M"), "b": [1.0, 2.0]}
        ),
    }


@pytest.mark.parametrize("kind", list(_frames()))
def test_date_and_duration_columns_are_refused_naming_the_column(kind):
    with pytest.raises(TypeError, match=r"column 'a' holds dates, times or durations"):
        features_array(_frames()[kind], NAMES)


@pytest.mark.parametrize(
    "value",
    [
        pd.Timestamp("2020-01-01"),
        pd.Timestamp("2020-01-01", tz="Europe/Berlin"),
        pd.Timedelta(1, "D"),
        datetime.datetime(2020, 1, 1),
        datetime.date(2020, 1, 1),
        datetime.timedelta(seconds=5),
        np.datetime64("2020-01-01"),
        np.timedelta64(5, "s"),
    ],
)
@pytest.mark.parametrize("container", ["object column", "object array", "list"])
def test_date_objects_are_refused_in_every_container(value, container):
    if container == "object column":
        x = pd.DataFrame({"a": pd.Series([value, value], dtype=object), "b": [1, 2]})
    elif container == "object array":
        x = np.array([[value, 1.0]], dtype=object)
    else:
        x = [[value, 1.0]]
    with pytest.raises(TypeError, match=r"column 'a' is a \w+ \(a date, time or"):
        features_array(x, NAMES)


@pytest.mark.parametrize("dtype", ["datetime64[D]", "timedelta64[s]"])
def test_numpy_date_arrays_are_refused(dtype):
    x = np.zeros((2, 2), dtype=dtype)
    expected = rf"must be numbers, but the column 'a' holds dates.*{re.escape(dtype)}"
    with pytest.raises(TypeError, match=expected):
        features_array(x, NAMES)


def test_predict_refuses_a_date_column(regressor):
    bundle = nda.load_model(regressor)
    with pytest.raises(TypeError, match="column 'a' holds dates"):
        bundle.predict(_frames()["datetime64"])
