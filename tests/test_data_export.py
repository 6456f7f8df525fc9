"""``Dataset.to_frame`` and ``nda datasets NAME --export FILE.csv`` round trips."""

import numpy as np
import pandas as pd
import pytest

import nda_models
from nda_models.cli import main


@pytest.mark.parametrize("name", ["iris", "breast_cancer", "digits", "diabetes"])
def test_export_reads_back_through_csv_with_the_same_rows(name, tmp_path, capsys):
    ds = nda_models.load_dataset(name)
    path = tmp_path / f"{name}.csv"
    assert main(["datasets", name, "--export", str(path)]) == 0
    assert f"wrote {path}" in capsys.readouterr().out
    frame = pd.read_csv(path)
    x = np.concatenate([ds.x_train, ds.x_val, ds.x_test])
    y = np.concatenate([ds.y_train, ds.y_val, ds.y_test])
    assert list(frame.columns) == [*ds.feature_names, "target"]
    np.testing.assert_allclose(frame[list(ds.feature_names)].to_numpy(), x, rtol=1e-6)
    if ds.class_names is None:
        np.testing.assert_allclose(frame["target"].to_numpy(), y, rtol=1e-6)
    else:  # classes by name
        names = np.array(ds.class_names)
        assert list(frame["target"].astype(str)) == list(names[y])
    again = nda_models.load_dataset(f"csv:{path}", target="target")
    assert again.task == ds.task and again.input_dim == ds.input_dim
    assert len(again.y_train) + len(again.y_val) + len(again.y_test) == len(y)
    if ds.class_names is not None:
        assert sorted(again.class_names) == sorted(ds.class_names)


def test_to_frame_of_one_split():
    ds = nda_models.load_dataset("iris_setosa")
    frame = ds.to_frame("test")
    assert len(frame) == len(ds.y_test)
    np.testing.assert_array_equal(frame.iloc[:, :2].to_numpy(), ds.x_test)
    assert set(frame["target"]) == {"setosa", "not setosa"}


def test_to_frame_refuses_an_unknown_split():
    with pytest.raises(ValueError, match="Unknown split.*Received: split='validation'"):
        nda_models.load_dataset("iris").to_frame("validation")


def test_export_of_one_split_and_a_csv_dataset(tmp_path, capsys):
    path = tmp_path / "val.csv"
    assert main(["datasets", "linear_synthetic", "--export", str(path),
                 "--split", "val"]) == 0  # fmt: skip
    expected = nda_models.load_dataset("linear_synthetic").y_val
    assert len(pd.read_csv(path)) == len(expected)
    # A csv: dataset keeps its target column's name.
    frame = pd.DataFrame({"a": [1.0, 2, 3, 4, 5], "price": [1.0, 2, 3, 4, 5]})
    frame.to_csv(tmp_path / "in.csv", index=False)
    out = tmp_path / "out.csv"
    assert main(["datasets", f"csv:{tmp_path / 'in.csv'}", "--target", "price",
                 "--export", str(out)]) == 0  # fmt: skip
    assert list(pd.read_csv(out).columns) == ["a", "price"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["datasets", "--export", "x.csv"], "--export needs a dataset NAME"),
        (["datasets", "iris", "--export", "x.xlsx"], "--export must name a .csv"),
    ],
)
def test_bad_export_arguments(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_features_only_export_is_what_nda_predict_takes(tmp_path, capsys):
    import warnings

    ds = nda_models.load_dataset("digits")
    inputs = tmp_path / "inputs.csv"
    argv = ["datasets", "digits", "--export", str(inputs), "--split", "test"]
    assert main([*argv, "--features-only"]) == 0
    assert "features only (for nda predict)" in capsys.readouterr().out
    frame = pd.read_csv(inputs)
    assert list(frame.columns) == list(ds.feature_names)
    np.testing.assert_allclose(frame.to_numpy(), ds.x_test, rtol=1e-6)
    assert list(ds.to_frame("test", target=False).columns) == list(ds.feature_names)
    model = nda_models.build_model("softmax_classifier", input_dim=64, num_classes=10)
    bundle = nda_models.save_model(
        model, tmp_path / "bundle", feature_names=ds.feature_names,
        class_names=ds.class_names,
    )  # fmt: skip
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert main(["predict", str(bundle), "--input", str(inputs)]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == len(ds.y_test) + 1  # a header, one row each
    shown = [str(w.message) for w in caught if w.category is UserWarning]
    assert not shown and "Ignoring" not in err, (shown, err)


def test_features_only_needs_export(capsys):
    assert main(["datasets", "iris", "--features-only"]) == 2
    assert "--features-only says what --export writes" in capsys.readouterr().err
