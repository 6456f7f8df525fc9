"""``nda evaluate BUNDLE --input FILE.csv --target COL [--plot FILE.png]``."""

import numpy as np
import pandas as pd
import pytest

import nda_models
from nda_models.cli import main
from nda_models.export import save_model

FEATURES = ["width", "height"]


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    root = tmp_path_factory.mktemp("evaluate")
    classifier = nda_models.build_model("logistic_neuron", input_dim=2)
    # p(high) = sigmoid(2·width - height): the NumPy oracle below.
    classifier.get_layer("logits").set_weights(
        [np.array([[2.0], [-1.0]], np.float32), np.zeros(1, np.float32)]
    )
    regressor = nda_models.build_model("linear_regressor", input_dim=2)
    # y = width + 10·height + 1.
    regressor.set_weights(
        [np.array([[1.0], [10.0]], np.float32), np.ones(1, np.float32)]
    )
    return {
        "classifier": save_model(
            classifier,
            root / "clf",
            feature_names=FEATURES,
            class_names=["low", "high"],
        ),
        "regressor": save_model(regressor, root / "reg", feature_names=FEATURES),
    }


def _table(seed=0, n=40):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {"height": rng.normal(size=n), "width": rng.normal(size=n)}
    ).astype(np.float32)


def test_classifier_metrics_report_and_confusion_match_numpy(bundles, tmp_path, capsys):
    frame = _table()
    rng = np.random.default_rng(1)
    truth = rng.integers(0, 2, size=len(frame))
    frame["label"] = np.array(["low", "high"])[truth]
    path = tmp_path / "labelled.csv"
    frame.to_csv(path, index=False)
    plot = tmp_path / "confusion.png"
    code = main(["evaluate", str(bundles["classifier"]), "--input", str(path),
                 "--target", "label", "--plot", str(plot)])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    # Oracle: the logistic neuron by hand.
    z = 2.0 * frame["width"].to_numpy(np.float64) - frame["height"].to_numpy(np.float64)
    p_high = 1.0 / (1.0 + np.exp(-z))
    predicted = (p_high > 0.5).astype(int)
    accuracy = np.mean(predicted == truth)
    p_true = np.where(truth == 1, p_high, 1.0 - p_high)
    loss = -np.mean(np.log(p_true))
    assert f"accuracy             {accuracy:.4f}" in out
    assert f"loss                 {loss:.4f}" in out
    assert "precision" in out and "recall" in out and "f1-score" in out
    matrix = np.zeros((2, 2), int)
    for t, p in zip(truth, predicted, strict=True):
        matrix[t, p] += 1
    table = out.split("columns: predicted class):\n")[1].splitlines()
    assert table[0].split() == ["low", "high"]
    assert [int(v) for v in table[1].split()[1:]] == list(matrix[0])
    assert [int(v) for v in table[2].split()[1:]] == list(matrix[1])
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_regressor_metrics_match_numpy(bundles, tmp_path, capsys):
    frame = _table(seed=2)
    y_true = frame["width"] + 10 * frame["height"] + 1 + np.linspace(-1, 1, len(frame))
    frame["y"] = y_true
    path = tmp_path / "reg.csv"
    frame.to_csv(path, index=False)
    assert main(["evaluate", str(bundles["regressor"]), "--input", str(path),
                 "--target", "y"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    y_pred = frame["width"] + 10 * frame["height"] + 1
    error = (y_true - y_pred).to_numpy(np.float64)
    mse, mae = np.mean(error**2), np.mean(np.abs(error))
    r2 = 1 - np.sum(error**2) / np.sum((y_true - y_true.mean()) ** 2)
    assert f"loss                 {mse:.4f}" in out
    assert f"mean_absolute_error  {mae:.4f}" in out
    assert f"r2                   {r2:.4f}" in out
    assert "classification report" not in out


def test_exported_builtin_dataset_evaluates_with_integer_class_names(
    bundles, tmp_path, capsys
):
    # digits' classes are "0".."9": written as integers, matched as names.
    from nda_models.workflows.evaluate import _class_indices

    names = tuple(str(k) for k in range(10))
    labels = pd.Series([3, 0, 9])
    assert list(_class_indices(labels, names, "f.csv", "target")) == [3, 0, 9]
    assert list(_class_indices(pd.Series([3.0]), names, "f", "t")) == [3]


def test_unknown_class_names_the_row_and_the_known_classes(bundles, tmp_path, capsys):
    frame = _table(n=3)
    frame["label"] = ["low", "medium", "high"]
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    code = main(["evaluate", str(bundles["classifier"]), "--input", str(path),
                 "--target", "label"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "data row 2: unknown class 'medium'" in err
    assert "['low', 'high']" in err


def test_missing_target_column_lists_the_columns(bundles, tmp_path, capsys):
    path = tmp_path / "x.csv"
    _table(n=2).to_csv(path, index=False)
    code = main(["evaluate", str(bundles["regressor"]), "--input", str(path),
                 "--target", "price"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "has no target column 'price'" in err and "'height'" in err


def test_non_numeric_regression_target_is_refused(bundles, tmp_path, capsys):
    frame = _table(n=2)
    frame["y"] = ["1.5", "cheap"]
    path = tmp_path / "x.csv"
    frame.to_csv(path, index=False)
    code = main(["evaluate", str(bundles["regressor"]), "--input", str(path),
                 "--target", "y"])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err  # the data package's reader, as load_dataset
    assert "column 'y', row 2 (line 3): the cell 'cheap' is not a number" in err


def test_evaluate_function_refuses_a_missing_target():
    from nda_models.workflows.evaluate import evaluate_bundle

    with pytest.raises(ValueError, match="has no target column 'y'"):
        evaluate_bundle(None, _table(n=1), "y")


def test_plot_must_be_png(bundles, tmp_path, capsys):
    path = tmp_path / "x.csv"
    _table(n=2).assign(y=1.0).to_csv(path, index=False)
    code = main(["evaluate", str(bundles["regressor"]), "--input", str(path),
                 "--target", "y", "--plot", str(tmp_path / "m.jpg")])  # fmt: skip
    assert code == 2
    assert "--plot must name a .png file" in capsys.readouterr().err


def test_input_and_target_are_required(capsys):
    with pytest.raises(SystemExit):
        main(["evaluate", "somewhere"])
    assert "the following arguments are required: --input, --target" in (
        capsys.readouterr().err
    )


@pytest.fixture(scope="module")
def digit_bundle(tmp_path_factory):
    model = nda_models.build_model("logistic_neuron", input_dim=2)
    # p(class "1") = sigmoid(width - height).
    model.get_layer("logits").set_weights(
        [np.array([[1.0], [-1.0]], np.float32), np.zeros(1, np.float32)]
    )
    folder = tmp_path_factory.mktemp("digits") / "clf"
    return save_model(model, folder, feature_names=FEATURES, class_names=["0", "1"])


def test_labels_are_matched_by_their_keys_as_load_dataset_reads_them(
    digit_bundle, tmp_path, capsys
):
    # The target is read as text; "1.0", "+1", " 01 " are the class "1" for
    # load_dataset (data.csv_labels), and so for nda evaluate.
    frame = _table(n=4)
    frame["label"] = ["1.0", "+1", " 01 ", "0e0"]
    path = tmp_path / "written.csv"
    frame.to_csv(path, index=False)
    code = main(["evaluate", str(digit_bundle), "--input", str(path),
                 "--target", "label"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    truth = np.array([1, 1, 1, 0])
    predicted = (frame["width"] - frame["height"]).to_numpy() > 0  # NumPy oracle
    accuracy = float(np.mean(predicted.astype(int) == truth))
    assert f"accuracy             {accuracy:.4f}" in out
    table = nda_models.load_dataset(
        f"csv:{path}", target="label", task="classification", stratify=False
    )
    assert table.class_names == ("0", "1")  # load_dataset reads the same classes


@pytest.mark.parametrize("cell", ["", " NA "])
def test_an_empty_label_is_refused_as_load_dataset_refuses_it(
    bundles, tmp_path, capsys, cell
):
    """Was 'x.csv: column 'label', data row 2: unknown class ''', without the
    line, where load_dataset says 'missing target value' at row and line."""
    path = tmp_path / "labels.csv"
    path.write_text(f"width,height,label\n\n1,0,high\n0,1,{cell}\n")
    assert main(["evaluate", str(bundles["classifier"]), "--input", str(path),
                 "--target", "label"]) == 2  # fmt: skip
    expected = (
        f"CSV file '{path}', column 'label', row 2 (line 4): missing target value "
        f"(cell {cell!r}). Fill the target of every row or drop the rows without "
        f"one. Received: {cell!r}"
    )
    assert capsys.readouterr().err.strip() == f"nda: error: {expected}"
    with pytest.raises(ValueError) as error:
        nda_models.load_dataset(f"csv:{path}", target="label")
    assert str(error.value) == expected
