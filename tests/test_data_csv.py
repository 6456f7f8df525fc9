"""``csv:PATH``: round trips through DataFrame.to_csv and every bad-input message."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from nda_models.data import list_datasets, load_dataset


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(path, **options):
    return load_dataset(f"csv:{path}", **options)


@pytest.mark.parametrize("name", list_datasets())
def test_to_csv_round_trip_gives_the_same_arrays(tmp_path, name):
    ds = load_dataset(name)
    frame = pd.DataFrame(ds.x_train, columns=list(ds.feature_names))
    frame["target"] = ds.y_train
    frame.to_csv(tmp_path / "out.csv", index=False)
    back = load(tmp_path / "out.csv", test_size=0.0, val_size=0.0)
    np.testing.assert_array_equal(back.x_train, ds.x_train)
    np.testing.assert_array_equal(back.y_train, ds.y_train)
    assert back.y_train.dtype == ds.y_train.dtype
    assert (back.task, back.feature_names) == (ds.task, ds.feature_names)
    # The same table split with the same seed gives the same splits.
    frame.to_csv(tmp_path / "split.csv", index=False)
    again = load(tmp_path / "split.csv", seed=4)
    direct = load(tmp_path / "split.csv", seed=4)
    np.testing.assert_array_equal(again.x_test, direct.x_test)


def test_text_labels_round_trip_with_class_names(tmp_path):
    ds = load_dataset("breast_cancer")
    frame = pd.DataFrame(ds.x_train, columns=list(ds.feature_names))
    frame.insert(0, "diagnosis", np.array(ds.class_names)[ds.y_train])
    frame.to_csv(tmp_path / "bc.csv", index=False)
    path = tmp_path / "bc.csv"
    kept = load(
        path,
        target="diagnosis",
        class_names=list(ds.class_names),
        test_size=0.0,
        val_size=0.0,
    )
    np.testing.assert_array_equal(kept.y_train, ds.y_train)
    assert kept.class_names == ("malignant", "benign")
    # Without class_names, labels are sorted as sklearn's LabelEncoder sorts them.
    encoded = load(path, target="diagnosis", test_size=0.0, val_size=0.0)
    assert encoded.class_names == ("benign", "malignant")
    np.testing.assert_array_equal(encoded.y_train, 1 - ds.y_train)
    assert encoded.task == "binary"


def test_default_to_csv_index_must_be_dropped_explicitly(tmp_path):
    ds = load_dataset("wine")
    frame = pd.DataFrame(ds.x_train, columns=list(ds.feature_names))
    frame["cultivar"] = ds.y_train
    frame.to_csv(tmp_path / "indexed.csv")  # index=True writes an unnamed column
    with pytest.raises(ValueError, match=r"column 1 has no name.*index_col=0"):
        load(tmp_path / "indexed.csv")
    back = load(tmp_path / "indexed.csv", index_col=0, test_size=0.0, val_size=0.0)
    np.testing.assert_array_equal(back.x_train, ds.x_train)
    np.testing.assert_array_equal(back.y_train, ds.y_train)


def test_target_and_feature_selection(tmp_path):
    path = write(tmp_path, "a,b,kind,c\n1,2,x,3\n4,5,y,6\n7,8,x,9\n1,1,y,1\n2,2,x,2\n")
    ds = load(path, target="kind", features=["c", "a"], test_size=0.0, val_size=0.0)
    assert ds.feature_names == ("c", "a")
    np.testing.assert_array_equal(ds.x_train[:, 0], [3, 6, 9, 1, 2])
    np.testing.assert_array_equal(ds.y_train, [0, 1, 0, 1, 0])
    assert ds.class_names == ("x", "y") and ds.info["target"] == "kind"


def test_task_inference_and_override(tmp_path):
    ints = write(tmp_path, "a,y\n1,0\n2,1\n3,2\n4,1\n5,0\n", "ints.csv")
    floats = write(tmp_path, "a,y\n1,0.5\n2,1.5\n3,2.0\n4,1\n5,0\n", "floats.csv")
    common = {"test_size": 0.0, "val_size": 0.0}
    assert load(ints, **common).task == "multiclass"
    assert load(ints, task="regression", **common).y_train.dtype == np.float32
    assert load(floats, **common).task == "regression"
    whole = write(tmp_path, "a,y\n1,0.0\n2,1.0\n3,0.0\n4,1.0\n5,1.0\n", "whole.csv")
    ds = load(whole, task="classification", **common)
    assert ds.task == "binary" and ds.class_names == ("0", "1")


def test_blank_lines_are_skipped_and_lines_still_reported(tmp_path):
    path = write(tmp_path, "a,b,y\n1,2,0\n\n3,x,1\n")
    with pytest.raises(ValueError, match=r"column 'b', row 2 \(line 4\)"):
        load(path)


# ---- every bad input of issue 4: a ValueError naming file, column, row, fix ----

BAD_FILES = {
    "header_only": ("a,b,y\n", r"data\.csv' has a header but no data rows\. Add"),
    "non_numeric": (
        "a,b,y\n1,2,0\n3,abc,1\n",
        r"data\.csv', column 'b', row 2 \(line 3\): the cell 'abc' is not a number\. "
        r"Write a plain number",
    ),
    "missing_cell": (
        "a,b,y\n1,2,0\n3,,1\n",
        r"data\.csv', column 'b', row 2 \(line 3\): missing value.*Fill the cell",
    ),
    "nan_cell": ("a,b,y\n1,NaN,0\n3,4,1\n", r"column 'b', row 1 \(line 2\): missing"),
    "inf": (
        "a,b,y\n1,2,0\n-inf,4,1\n",
        r"column 'a', row 2 \(line 3\): the cell '-inf' is infinite\. Replace",
    ),
    "too_large_for_float32": (
        "a,b,y\n1,2,0\n3,1e39,1\n",
        r"column 'b', row 2 \(line 3\): the value '1e39' is too large for float32.*"
        r"Rescale",
    ),
    "too_many_fields": (
        "a,b,y\n1,2,0\n3,4,1\n5,6,7,1\n",
        r"data\.csv', row 3 \(line 4\) has too many fields: 4 where the header has 3\."
        r" Give every row one value per column",
    ),
    "too_few_fields": (
        "a,b,y\n1,2,0\n3,4\n5,6,1\n",
        r"data\.csv', row 2 \(line 3\) has too few fields: 2 where the header has 3",
    ),
    "trailing_commas": (
        "a,b,y\n1,2,0,\n3,4,1,\n",
        r"row 1 \(line 2\): the rows end with a trailing comma.*Remove the trailing",
    ),
    "missing_target": (
        "a,b,labels\n1,2,0\n3,4,1\n",
        r"data\.csv' has no column 'label' .*Did you mean 'labels'\?",
        {"target": "label"},
    ),
    "continuous_target_as_class": (
        "a,y\n1,0\n2,1.5\n3,1\n",
        r"column 'y', row 2 \(line 3\): the target '1\.5' is not a whole number.*"
        r"Pass task='regression'",
        {"task": "binary"},
    ),
    "single_class": (
        "a,y\n1,yes\n2,yes\n3,yes\n",
        r"data\.csv', column 'y': the target has a single class 'yes'.*Add rows",
    ),
    "duplicate_columns": (
        "a,b,a,y\n1,2,3,0\n4,5,6,1\n",
        r"data\.csv' has duplicate column names: 'a' at columns \[1, 3\]\. Give",
    ),
    "unnamed_column": ("a,,y\n1,2,0\n3,4,1\n", r"column 2 has no name in the header"),
    "missing_target_cell": ("a,y\n1,0\n2,\n3,1\n", r"column 'y', row 2 \(line 3\)"),
    "binary_with_three_classes": (
        "a,y\n1,0\n2,1\n3,2\n",
        r"task='binary' needs exactly two classes.*Pass task='multiclass'",
        {"task": "binary"},
    ),
    "label_not_in_class_names": (
        "a,y\n1,no\n2,yes\n3,maybe\n",
        r"row 3 \(line 4\): the label 'maybe' is not in class_names",
        {"class_names": ["no", "yes"]},
    ),
    "unknown_feature": (
        "a,b,y\n1,2,0\n3,4,1\n",
        r"has no column 'c' \(asked for by features=\)",
        {"features": ["a", "c"]},
    ),
    "target_as_feature": (
        "a,b,y\n1,2,0\n3,4,1\n",
        r"the target column 'y' cannot also be a feature",
        {"features": ["a", "y"]},
    ),
    "blank_lines_only": ("\n\n\n", r"data\.csv' has no text"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_csv_is_a_clear_value_error(tmp_path, case):
    text, match, *options = BAD_FILES[case]
    path = write(tmp_path, text)
    with pytest.raises(ValueError, match=match):
        load(path, **(options[0] if options else {}))


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.csv"
    with pytest.raises(
        ValueError, match=r"nowhere\.csv' does not exist\. Check the path"
    ):
        load(path)
    with pytest.raises(FileNotFoundError):  # also what Python users catch
        load(path)


def test_empty_file_and_directory(tmp_path):
    write(tmp_path, "", "empty.csv")
    with pytest.raises(ValueError, match=r"empty\.csv' is empty\. Expected a header"):
        load(tmp_path / "empty.csv")
    with pytest.raises(ValueError, match="is a directory"):
        load(tmp_path)


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("name,y\n1,tea\n2,caf\u00e9\n3,th\u00e9\n".encode("latin-1"))
    with pytest.raises(
        ValueError,
        match=r"latin\.csv' is not utf-8 text at line 3 \(byte b'\\xe9'\)\. Re-save it "
        r"as UTF-8, or pass .*encoding='latin-1'",
    ):
        load(path)
    ds = load(path, encoding="latin-1", test_size=0.0, val_size=0.0, stratify=False)
    assert ds.class_names == ("café", "tea", "thé")


def test_bad_options():
    with pytest.raises(ValueError, match=r"Unknown option 'targt'.*'target'"):
        load_dataset("csv:x.csv", targt="y")
    with pytest.raises(ValueError, match=r"Unknown task.*Received: task="):
        load_dataset("csv:x.csv", task="ranking")


BAD_INPUTS_WITHOUT_TENSORFLOW = """
import sys, tempfile, pathlib
from nda_models.data import load_dataset
cases = {cases!r}
folder = pathlib.Path(tempfile.mkdtemp())
failures = 0
for name, (text, match, *options) in cases.items():
    path = folder / (name + ".csv")
    path.write_text(text)
    try:
        load_dataset("csv:" + str(path), **(options[0] if options else {{}}))
    except ValueError:
        failures += 1
print(failures, len(cases), "tensorflow" in sys.modules, "keras" in sys.modules)
"""


def test_no_bad_input_reaches_keras_or_tensorflow():
    code = BAD_INPUTS_WITHOUT_TENSORFLOW.format(cases=BAD_FILES)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == [str(len(BAD_FILES))] * 2 + ["False", "False"]
