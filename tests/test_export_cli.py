"""``nda predict BUNDLE --input FILE.csv [--output FILE.csv]``."""

import io

import numpy as np
import pandas as pd
import pytest

import nda_models
from nda_models.cli import main
from nda_models.export import save_model

FEATURES = ["width", "height"]


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    classifier = nda_models.build_model("logistic_neuron", input_dim=2)
    # p = sigmoid(2·width - height): NumPy oracle below.
    classifier.get_layer("logits").set_weights(
        [np.array([[2.0], [-1.0]], np.float32), np.zeros(1, np.float32)]
    )
    regressor = nda_models.build_model("linear_regressor", input_dim=2)
    regressor.set_weights(
        [np.array([[1.0], [10.0]], np.float32), np.ones(1, np.float32)]
    )
    return {
        "classifier": save_model(
            classifier,
            root / "saved_models" / "clf",
            feature_names=FEATURES,
            class_names=["low", "high"],
        ),
        "regressor": save_model(regressor, root / "reg", feature_names=FEATURES),
        "root": root,
    }


def _csv(tmp_path, frame, name="in.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return str(path)


ROWS = pd.DataFrame(
    {"label": ["a", "b", "c"], "height": [0.0, 5.0, 1.0], "width": [1.0, 1.0, 0.25]}
)


def test_classifier_writes_one_row_per_input_row_with_class_names(
    bundles, tmp_path, capsys
):
    code = main(
        ["predict", str(bundles["classifier"]), "--input", _csv(tmp_path, ROWS)]
    )
    captured = capsys.readouterr()
    assert code == 0
    out = pd.read_csv(io.StringIO(captured.out))
    z = 2.0 * ROWS["width"] - ROWS["height"]
    p = 1.0 / (1.0 + np.exp(-z))
    assert out["prediction"].tolist() == ["high", "low", "low"]
    np.testing.assert_allclose(out["probability_high"], p, rtol=1e-5)
    np.testing.assert_allclose(out["probability_low"], 1.0 - p, rtol=1e-5)
    assert "Ignoring DataFrame column(s) ['label']" in captured.err


def test_regressor_writes_to_an_output_file(bundles, tmp_path, capsys):
    target = tmp_path / "out.csv"
    code = main(
        [
            "predict",
            str(bundles["regressor"]),
            "--input",
            _csv(tmp_path, ROWS),
            "--output",
            str(target),
        ]
    )
    assert code == 0 and capsys.readouterr().out == ""
    out = pd.read_csv(target)
    np.testing.assert_allclose(
        out["prediction"], ROWS["width"] + 10.0 * ROWS["height"] + 1.0
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_a_bundle_name_is_looked_up_in_saved_models(
    bundles, tmp_path, monkeypatch, capsys
):
    csv = _csv(tmp_path, ROWS)
    monkeypatch.chdir(bundles["root"])
    assert main(["predict", "clf", "--input", csv]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1 + len(ROWS)


def test_missing_bundle_is_one_line_and_exit_2(tmp_path, capsys):
    code = main(["predict", str(tmp_path / "nope"), "--input", "x.csv"])
    assert code == 2
    assert "no bundle at" in capsys.readouterr().err


def test_missing_column_names_the_file_and_column(bundles, tmp_path, capsys):
    csv = _csv(tmp_path, ROWS.drop(columns="height"))
    code = main(["predict", str(bundles["classifier"]), "--input", csv])
    err = capsys.readouterr().err
    assert code == 2
    assert "in.csv" in err and "['height']" in err


def test_missing_value_names_the_row_and_column(bundles, tmp_path, capsys):
    frame = ROWS.copy()
    frame.loc[1, "width"] = np.nan
    code = main(
        ["predict", str(bundles["regressor"]), "--input", _csv(tmp_path, frame)]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "column 'width', row 2 (line 3): missing value (cell '')" in err


def test_missing_input_file(bundles, tmp_path, capsys):
    code = main(
        ["predict", str(bundles["regressor"]), "--input", str(tmp_path / "none.csv")]
    )
    assert code == 2
    assert "none.csv' does not exist" in capsys.readouterr().err


def test_empty_csv_gives_just_the_header(bundles, tmp_path, capsys):
    csv = _csv(tmp_path, ROWS.iloc[:0])
    assert main(["predict", str(bundles["regressor"]), "--input", csv]) == 0
    assert capsys.readouterr().out.strip() == "prediction"


def test_an_error_of_a_value_error_subclass_names_the_file(
    bundles, tmp_path, capsys, monkeypatch
):
    """A ValueError subclass whose constructor takes more than a message
    (UnicodeEncodeError, from pyarrow, took five) was re-raised as 'TypeError:
    function takes exactly 5 arguments (1 given)'."""
    from nda_models.export.read.loaded_model import LoadedModel

    def refuse(self, frame):
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setattr(LoadedModel, "predict_frame", refuse)
    csv = _csv(tmp_path, ROWS)
    assert main(["predict", str(bundles["regressor"]), "--input", csv]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"nda: error: {csv}: 'utf-8' codec can't encode character '\\ud800' in "
        "position 0: surrogates not allowed"
    )
