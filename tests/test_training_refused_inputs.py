"""Inputs the training loop refuses, each with a one-line error naming what
was wrong and where: complex numbers, empty datasets, labels that are not
class indices of the model, NaN cells deep in a streamed CSV."""

import numpy as np
import pytest
import tensorflow as tf

import nda_models as nda
from nda_models.training import Trainer

RNG = np.random.default_rng(0)
X = RNG.normal(size=(100, 2)).astype(np.float32)
BINARY = (X[:, 0] > 0).astype(np.int32)


def trainer(name="softmax_classifier", **options):
    extra = {"num_classes": 2} if name == "softmax_classifier" else {}
    return Trainer(nda.build_model(name, input_dim=2, **extra), seed=0, **options)


def one_line(error):
    message = str(error.value)
    assert "\n" not in message, message
    return message


def test_complex_features_and_labels_are_refused():
    with pytest.raises(TypeError, match=r"`x` holds complex numbers.*x\.real"):
        trainer().fit(X + 1j, BINARY)
    with pytest.raises(TypeError, match="`y` holds complex numbers"):
        trainer().fit(X, BINARY + 0j)
    with pytest.raises(TypeError, match="`x_val` holds complex numbers"):
        trainer().fit(X, BINARY, validation_data=(X + 1j, BINARY))
    dataset = tf.data.Dataset.from_tensor_slices((X.astype(np.complex64), BINARY))
    with pytest.raises(TypeError, match="Dataset features are complex.*complex64"):
        trainer().fit(dataset.batch(10))
    with pytest.raises(TypeError, match="x_train holds complex numbers"):
        nda.Dataset("c", "binary", X + 1j, BINARY, X, BINARY, X, BINARY,
                    ("a", "b"), ("no", "yes"))  # fmt: skip


def test_empty_dataset_is_refused_not_a_loss_of_zero():
    batches = tf.data.Dataset.from_tensor_slices((X, BINARY)).batch(10)
    with pytest.raises(ValueError, match="yielded no batches") as error:
        trainer().fit(batches.take(0))
    one_line(error)
    # Unknown length (a filter): found when the first epoch ends empty.
    empty = batches.filter(lambda x, y: tf.reduce_all(y > 5))
    assert int(empty.cardinality()) == tf.data.UNKNOWN_CARDINALITY
    with pytest.raises(ValueError, match="yielded no batches"):
        trainer().fit(empty)
    with pytest.raises(ValueError, match="yielded no batches"):
        trainer().fit(X, BINARY, validation_data=empty)
    with pytest.raises(ValueError, match="yielded no batches"):
        trainer().evaluate(empty)


@pytest.mark.parametrize(
    ("name", "labels", "match"),
    [
        ("softmax_classifier", np.where(BINARY == 1, 5, 0), r"Label 5 in batch 1, row"),
        ("softmax_classifier", np.full(100, 1.7), r"Label 1\.7 .* not a whole number"),
        ("logistic_neuron", np.full(100, 2), r"Label 2 in batch 1, row 1 .*0\.\.1"),
        ("softmax_classifier", np.full(100, -1), r"Label -1 .*outside 0\.\.1"),
    ],
)
def test_labels_from_tf_data_must_be_class_indices(name, labels, match):
    batches = tf.data.Dataset.from_tensor_slices((X, labels)).batch(16)
    with pytest.raises(ValueError, match=match) as error:
        trainer(name).fit(batches)
    one_line(error)


def test_nan_features_from_tf_data_are_not_reported_as_divergence():
    x = X.copy()
    x[37, 1] = np.nan
    batches = tf.data.Dataset.from_tensor_slices((x, BINARY)).batch(16)
    with pytest.raises(ValueError, match=r"batch 3, row 6 .* NaN or inf") as error:
        trainer().fit(batches)
    assert "diverged" not in one_line(error)


def test_good_tf_data_labels_still_train_as_integers():
    labels = BINARY.astype(np.float64)  # whole floats are fine, as with arrays
    batches = tf.data.Dataset.from_tensor_slices((X, labels)).batch(16)
    history = trainer().fit(batches, epochs=3)
    assert np.isfinite(history.history["loss"]).all()


def write_csv(path, bad_line=None, cell=None, column=0):
    """100 rows of (a, b, label); the row on file line ``bad_line`` (the
    header is line 1) gets ``cell`` in ``column``."""
    lines = ["a,b,label"]
    for row, label in zip(X, BINARY, strict=True):
        cells = [f"{row[0]:.6f}", f"{row[1]:.6f}", str(label)]
        if len(lines) + 1 == bad_line:
            cells[column] = cell
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("cell", "column", "task", "match"),
    [
        ("nan", 0, None, r"line 59: a cell is NaN or inf"),
        ("inf", 1, None, r"line 59: a cell is NaN or inf"),
        ("1.7", 2, None, r"line 59: the label in column 'label' must be a whole"),
        ("-1", 2, None, r"line 59: the label .* must be a whole number >= 0"),
        ("2", 2, "binary", r"line 59: the label .* must be 0 or 1"),
    ],
)
def test_bad_cell_deep_in_a_streamed_csv_names_its_line(
    tmp_path, cell, column, task, match
):
    path = write_csv(tmp_path / "s.csv", 59, cell, column)
    stream = nda.stream_csv(path, batch_size=16, seed=0, check_rows=10, task=task)
    with pytest.raises(ValueError, match=match) as error:
        trainer("logistic_neuron").fit(stream)
    message = one_line(error)
    assert "diverged" not in message and str(path) in message


def test_streamed_label_beyond_the_model_classes_is_refused(tmp_path):
    path = write_csv(tmp_path / "s.csv", 59, "5", 2)
    stream = nda.stream_csv(path, batch_size=16, seed=0, check_rows=10)
    with pytest.raises(ValueError, match=r"Label 5 in batch \d+, row \d+ .*0\.\.1"):
        trainer("logistic_neuron").fit(stream)
