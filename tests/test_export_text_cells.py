"""Text is a number for ``predict`` only as the CSV readers read it (attack on W4/W5).

NumPy converts text with Python's ``float()``, which reads ``'1_5'`` as 15,
``'١٢'`` as 12 and ``'３'`` as 3; ``load_dataset`` and ``stream_csv`` refuse
those cells. ``nda predict`` on a CSV with the typo ``1_5`` (for 1.5)
answered for 15, exit 0. Every container and the command line now refuse
such a cell, naming it; plain numbers written as text still work.
"""

import numpy as np
import pandas as pd
import pytest

import nda_models as nda
from nda_models.cli import main

MISREAD = ["1_5", "١٢", "３"]  # digit groups, Arabic-Indic, full-width


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    model = nda.build_model("linear_regressor", input_dim=2)
    model.set_weights([np.array([[2.0], [-3.0]], np.float32), np.array([5.0])])
    folder = tmp_path_factory.mktemp("text") / "lin"
    return nda.load_model(nda.save_model(model, folder, feature_names=["a", "b"]))


@pytest.mark.parametrize("text", MISREAD)
@pytest.mark.parametrize("container", ["array", "objects", "frame"])
def test_a_cell_python_misreads_is_refused(bundle, text, container):
    rows = [["1.5", "2"], [text, "3"]]
    x = {
        "array": lambda: np.array(rows),
        "objects": lambda: np.array(rows, dtype=object),
        "frame": lambda: pd.DataFrame(rows, columns=["a", "b"], index=[10, 11]),
    }[container]()
    where = "row with index 11, column 'a'" if container == "frame" else "row 1"
    with pytest.raises(
        ValueError,
        match=rf"value at {where}.* is not a plain number .*Write a plain number "
        rf"such as 1.5. Received: '{text}'",
    ):
        bundle.predict(x)


def test_nda_predict_refuses_the_typo_naming_it(bundle, tmp_path, capsys):
    data = tmp_path / "in.csv"
    data.write_text("a,b\n1.5,2\n1_5,3\n", encoding="utf-8")
    code = main(["predict", str(bundle.path), "--input", str(data)])
    err = capsys.readouterr().err
    assert code != 0 and err.startswith("nda: error: ")
    # The data package's reader: file, column, row and line, as load_dataset.
    assert f"CSV file '{data}', column 'a', row 2 (line 3): the cell '1_5' is " in err


def test_plain_numbers_written_as_text_still_predict(bundle):
    x = np.array([[" 1e0 ", "+2"], [".5", "-0"]])
    np.testing.assert_allclose(bundle.predict(x), [5 + 2 - 6, 5 + 1 - 0])
    frame = pd.DataFrame({"a": ["1", 2.0], "b": [2, "3"]})
    np.testing.assert_allclose(bundle.predict(frame), [5 + 2 - 6, 5 + 4 - 9])
