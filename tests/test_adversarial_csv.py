"""CSV cells under attack, loaded whole and streamed.

A bad cell deep in a streamed file used to stop training with TensorFlow's
"Field 1 in record 335 is not a valid float" (a position in a shuffled
batch); now it is a one-line ``ValueError`` naming the file's line and the
column. The property tests put arbitrary text in a cell: it is read as a
number or refused with a message, never another exception.
"""

import hypothesis.strategies as st
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import HealthCheck, given, settings

import nda_models as nda
from nda_models.data.pipeline_errors import value_error_from
from nda_models.training import Trainer


def _write(path, bad_line, cell, rows=400):
    """``a,b,y`` rows; data line ``bad_line`` (editor numbering) has ``b=cell``."""
    rng = np.random.default_rng(0)
    lines = ["a,b,y"]
    for number in range(2, rows + 2):
        b = cell if number == bad_line else f"{rng.normal():.4f}"
        lines.append(f"{rng.normal():.4f},{b},{number % 2}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_bad_cell_deep_in_a_streamed_file_names_its_line(tmp_path):
    path = _write(tmp_path / "big.csv", bad_line=337, cell="oops")
    stream = nda.stream_csv(path, target="y", batch_size=32, check_rows=50, seed=3)
    trainer = Trainer(nda.build_model("logistic_neuron", input_dim=2), seed=0)
    with pytest.raises(ValueError) as caught:
        trainer.fit(stream, epochs=1)
    message = str(caught.value)
    assert f"CSV file '{path}', line 337: the value in column 'b'" in message
    assert "Received: 'oops'" in message and "record" not in message


def _stream_error(path):
    stream = nda.stream_csv(
        path, target="y", batch_size=16, check_rows=5, shuffle=False, task="binary"
    )
    try:
        for _ in stream:
            pass
    except tf.errors.InvalidArgumentError as error:
        return error
    return None


_cell = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters='\n\r,"'),
    max_size=8,
) | st.sampled_from(["1e5", " 2.5 ", "-.5", "nan", "inf", "", "1,5", "0x10"])


@settings(
    max_examples=15, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)  # fmt: skip
@given(cell=_cell)
def test_any_streamed_cell_is_a_number_or_a_line_numbered_error(tmp_path, cell):
    path = _write(tmp_path / "cells.csv", bad_line=40, cell=cell, rows=60)
    error = _stream_error(path)
    if error is None:
        return  # read as a number (and finite, or the finite check would fail)
    found = value_error_from(error)
    assert found is not None, error  # never TensorFlow's raw message
    assert "line 40" in str(found), found


@settings(
    max_examples=25, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)  # fmt: skip
@given(cell=_cell)
def test_any_cell_in_a_loaded_csv_is_a_number_or_refused(tmp_path, cell):
    path = _write(tmp_path / "small.csv", bad_line=5, cell=cell, rows=30)
    try:
        ds = nda.load_dataset(f"csv:{path}", target="y", seed=0)
    except ValueError as error:
        assert "Received" in str(error) and str(path) in str(error), error
    else:
        assert np.isfinite(ds.x_train).all()
