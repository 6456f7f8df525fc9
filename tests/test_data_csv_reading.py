"""One reading of a CSV file for every reader: ``load_dataset("csv:...")``,
``stream_csv`` and ``csv_normalization``.

Each defect of issue 21's data part has a test here that failed before the
fix: rows with too many or too few fields deep in a stream (W2), file names
with glob characters (W3), labels with spaces or written ``1.0`` (C2), a
non-UTF-8 byte past the first rows (C3), gzip files (C4), blank lines before
the header (C5), and the same file twice in a stream's list. Rows deep in a
file are past ``check_rows``, so the pipeline's own checks are what is tested.
"""

import bz2
import gzip
import io
import os
import re
import zipfile
import zlib

import hypothesis.strategies as st
import numpy as np
import pandas as pd
import pytest
import tensorflow as tf
from hypothesis import given, settings

import nda_models as nda
from nda_models.data.csv_labels import label_key_tensor, label_keys
from nda_models.data.pipeline_errors import value_error_from

ROWS = 60


def _lines(rows=ROWS, label=lambda i: str(i % 2)):
    """``a,b,y`` and ``rows`` rows; data row i (line i + 2) is ``i, i/10, label``."""
    return ["a,b,y"] + [f"{i},{i / 10},{label(i)}" for i in range(rows)]


def _write(path, lines, *, data=None):
    data = ("\n".join(lines) + "\n").encode() if data is None else data
    path.write_bytes(data)
    return path


def _with_line(line_number, text, rows=ROWS):
    """The rows of ``_lines`` with file line ``line_number`` replaced by ``text``."""
    lines = _lines(rows)
    lines[line_number - 1] = text
    return lines


def _stream(path, **options):
    options = {"shuffle": False, "check_rows": 5, "batch_size": 16, **options}
    return nda.stream_csv(path, **options)


def _collect(stream):
    xs, ys = zip(*[(x.numpy(), y.numpy()) for x, y in stream], strict=True)
    return np.concatenate(xs), np.concatenate(ys)


def _stream_error(stream):
    """The one-line ``ValueError`` that iterating ``stream`` stops with."""
    with pytest.raises(tf.errors.InvalidArgumentError) as caught:
        for _ in stream:
            pass
    found = value_error_from(caught.value)
    assert found is not None, caught.value  # never TensorFlow's raw message
    return str(found)


def _load(path, **options):
    return nda.load_dataset(f"csv:{path}", test_size=0.0, val_size=0.0, **options)


# W2: every row is checked for its field count -------------------------------


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("1,5,2.0,7", r"line 40 has too many fields: 4 where the header has 3"),
        ("1,5", r"line 40 has too few fields: 2 where the header has 3"),
        ("1,5,1,", r"line 40 has too many fields: 4 where the header has 3"),
        ("1", r"line 40 has too few fields: 1 where the header has 3"),
        ('1,"5,2",1,0', r"line 40 has too many fields: 4 where"),
    ],
)
def test_a_streamed_row_with_another_field_count_names_its_line(tmp_path, text, match):
    path = _write(tmp_path / "w2.csv", _with_line(40, text))
    message = _stream_error(_stream(path))
    assert f"CSV file '{path}'" in message
    assert re.search(match, message), message
    with pytest.raises(ValueError, match=r"row 39 \(line 40\) has too (many|few)"):
        _load(path)


def test_a_quoted_comma_is_one_field_and_an_unbalanced_quote_is_refused(tmp_path):
    path = _write(tmp_path / "q.csv", _with_line(30, '1,"5",1'))
    assert _collect(_stream(path))[0][28].tolist() == [1.0, 5.0]
    path = _write(tmp_path / "q2.csv", _with_line(30, '1,"5,1'))
    assert "line 30 has an unbalanced or misplaced quote" in _stream_error(
        _stream(path)
    )


def test_field_counts_are_checked_in_every_part_and_by_fit(tmp_path):
    first = _write(tmp_path / "p1.csv", _lines())
    second = _write(tmp_path / "p2.csv", _with_line(50, "1,5,2.0,7"))
    stream = _stream([first, second], task="binary")
    model = nda.build_model("logistic_neuron", input_dim=2)
    with pytest.raises(ValueError, match=r"p2\.csv', line 50 has too many fields"):
        nda.Trainer(model, seed=0).fit(stream)


def test_csv_normalization_refuses_rows_with_another_field_count(tmp_path):
    path = _write(tmp_path / "n.csv", _with_line(40, "1,5,2.0,7"))
    with pytest.raises(ValueError, match=r"row 39 \(line 40\) has too many fields"):
        nda.csv_normalization(path)


# W3: an existing path is read as itself, before any glob expansion ----------


@pytest.mark.parametrize("name", ["run[1].csv", "run*.csv", "run?.csv", "[ab].csv"])
def test_a_file_whose_name_has_glob_characters_is_read_as_itself(tmp_path, name):
    own = _write(tmp_path / name, _lines(rows=8, label=lambda i: "1"))
    _write(tmp_path / "run1.csv", _lines(rows=4))
    _write(tmp_path / "a.csv", _lines(rows=4))
    y = _collect(_stream(str(own), task="regression"))[1]
    assert len(y) == 8 and (y == 1).all()
    y = _collect(_stream([str(own)], task="regression"))[1]
    assert len(y) == 8


def test_a_pattern_that_names_no_file_still_globs(tmp_path):
    for index in range(2):
        _write(tmp_path / f"part{index}.csv", _lines(rows=4))
    y = _collect(_stream(str(tmp_path / "part[01].csv"), task="regression"))[1]
    assert len(y) == 8


def test_a_pattern_globs_inside_a_folder_named_with_glob_characters(tmp_path):
    folder = tmp_path / "data[2024]"
    folder.mkdir()
    (tmp_path / "data2").mkdir()
    for index in range(2):
        _write(folder / f"part-{index}.csv", _lines(rows=4))
    _write(tmp_path / "data2" / "part-9.csv", _lines(rows=7))
    y = _collect(_stream(str(folder / "part-*.csv"), task="regression"))[1]
    assert len(y) == 8


# C2: one label normalisation for the pre-check and the pipeline -------------


def test_labels_after_spaces_or_written_as_floats_stream_as_they_load(tmp_path):
    spaced = _write(tmp_path / "s.csv", [line.replace(",", ", ") for line in _lines()])
    loaded = _load(spaced, target=" y", task="binary")
    for class_names in (None, ["0", "1"]):
        streamed = _stream(spaced, target=" y", task="binary", class_names=class_names)
        np.testing.assert_array_equal(_collect(streamed)[1], loaded.y_train)
    floats = _write(tmp_path / "f.csv", _lines(label=lambda i: f"{i % 2}.0"))
    loaded = _load(floats, class_names=["0", "1"])  # class names: a class task
    assert loaded.task == "binary"
    streamed = _collect(_stream(floats, class_names=["0", "1"]))[1]
    np.testing.assert_array_equal(streamed, loaded.y_train)
    np.testing.assert_array_equal(streamed, np.arange(ROWS) % 2)


def test_text_labels_after_spaces_stream_with_their_class_names(tmp_path):
    lines = _lines(label=lambda i: (" no", " yes ", "yes")[i % 3])
    path = _write(tmp_path / "t.csv", lines)
    loaded = _load(path, class_names=["no", "yes"])
    streamed = _collect(_stream(path, class_names=["no", "yes"]))[1]
    np.testing.assert_array_equal(streamed, loaded.y_train)
    np.testing.assert_array_equal(streamed, np.arange(ROWS) % 3 != 0)


@pytest.mark.parametrize(
    ("text", "key"),
    [(" 1", "1"), ("1.0", "1"), ("+1", "1"), ("01", "1"), ("1e1", "10"),
     ("-2.000", "-2"), ("-0", "0"), (" yes\t", "yes"), ("0.5", "0.5"),
     ("inf", "inf"), ("1e400", "1e400"), ("9007199254740993", "9007199254740993"),
     ("\u0661", "\u0661"), ("1_0", "1_0"), ("", "")],
)  # fmt: skip
def test_a_label_key_is_its_stripped_text_or_its_whole_number(text, key):
    assert label_keys(pd.Series([text]))[0] == key
    assert label_key_tensor(tf.constant([text]))[0].numpy().decode() == key


_label = st.text(alphabet=" \t+-.eE0123456789infatyINF\u0661x_", max_size=10)


@settings(max_examples=200, deadline=None)
@given(labels=st.lists(_label, min_size=1, max_size=20))
def test_pandas_and_the_pipeline_give_every_label_the_same_key(labels):
    streamed = label_key_tensor(tf.constant(labels, dtype=tf.string))
    assert [k.decode() for k in streamed.numpy()] == label_keys(pd.Series(labels))


# C3: a byte that is not UTF-8 names its file and line -------------------------


@pytest.mark.parametrize("column", [0, 1, 2])
def test_a_non_utf8_byte_past_the_first_rows_names_file_and_line(tmp_path, column):
    lines = [line.encode() for line in _lines(rows=1500)]
    fields = lines[1199].split(b",")
    fields[column] = b"\xff" + fields[column]
    lines[1199] = b",".join(fields)
    path = _write(tmp_path / "c3.csv", None, data=b"\n".join(lines) + b"\n")
    message = _stream_error(_stream(path))
    assert f"CSV file '{path}', line 1200" in message and "UTF-8" in message
    with pytest.raises(ValueError, match=r"c3\.csv' is not utf-8 text at line 1200"):
        _load(path)
    with pytest.raises(ValueError, match=r"c3\.csv' is not utf-8 text at line 1200"):
        nda.csv_normalization(path)


def test_a_non_utf8_text_label_names_its_line(tmp_path):
    lines = [line.encode() for line in _lines(label=lambda i: "yes" if i % 2 else "no")]
    lines[44] = lines[44][:-2] + b"\xe9s"
    path = _write(tmp_path / "c3.csv", None, data=b"\n".join(lines) + b"\n")
    message = _stream_error(_stream(path, class_names=["no", "yes"]))
    assert "line 45" in message and "UTF-8" in message


# C4: gzip files are read decompressed by every reader ------------------------


@pytest.mark.parametrize("name", ["g.csv.gz", "g.csv"])
def test_a_gzip_file_reads_as_its_text_in_every_reader(tmp_path, name):
    plain = _write(tmp_path / "plain.csv", _lines())
    packed = _write(tmp_path / name, None, data=gzip.compress(plain.read_bytes()))
    expected = _load(plain)
    np.testing.assert_array_equal(_load(packed).x_train, expected.x_train)
    x, y = _collect(_stream(packed))
    np.testing.assert_array_equal(y, expected.y_train)
    np.testing.assert_allclose(x, expected.x_train)
    np.testing.assert_allclose(
        nda.csv_normalization(packed), nda.csv_normalization(plain)
    )


def test_a_bad_cell_in_a_gzip_file_names_the_line_of_its_text(tmp_path):
    text = "\n".join(_with_line(45, "1,oops,0")) + "\n"
    packed = _write(tmp_path / "bad.csv.gz", None, data=gzip.compress(text.encode()))
    assert "line 45: the value in column 'b'" in _stream_error(_stream(packed))
    with pytest.raises(ValueError, match=r"column 'b', row 44 \(line 45\)"):
        _load(packed)
    with pytest.raises(ValueError, match=r"column 'b', row 44: .*\(line 45\)"):
        nda.csv_normalization(packed)


def test_a_truncated_gzip_file_is_refused_by_every_reader(tmp_path):
    # Cut at a flush point, where TensorFlow alone reads the first part silently.
    packer = zlib.compressobj(wbits=31)
    text = ("\n".join(_lines()) + "\n").encode()
    cut = packer.compress(text) + packer.flush(zlib.Z_FULL_FLUSH)
    path = _write(tmp_path / "cut.csv.gz", None, data=cut)
    for read in (_load, _stream, nda.csv_normalization):
        with pytest.raises(ValueError, match=r"cut\.csv\.gz' is a damaged gzip file"):
            read(path)


def test_other_compressions_are_read_whole_or_refused_clearly(tmp_path):
    text = ("\n".join(_lines()) + "\n").encode()
    expected = _load(_write(tmp_path / "plain.csv", None, data=text)).x_train
    packed = _write(tmp_path / "b.csv.bz2", None, data=bz2.compress(text))
    np.testing.assert_array_equal(_load(packed).x_train, expected)
    with pytest.raises(ValueError, match=r"b\.csv\.bz2' is bzip2-compressed.*gzip"):
        _stream(packed)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", text)
    zipped = _write(tmp_path / "z.csv.zip", None, data=buffer.getvalue())
    for read in (_load, _stream, nda.csv_normalization):
        with pytest.raises(ValueError, match=r"z\.csv\.zip' is a zip archive"):
            read(zipped)


# C5: blank lines before the header -------------------------------------------


@pytest.mark.parametrize("before", ["\n", "\n\n", "  \n\t\n", "\r\n", "\ufeff\n"])
def test_blank_lines_before_the_header_are_skipped_by_every_reader(tmp_path, before):
    text = before + "\n".join(_lines()) + "\n"
    path = _write(tmp_path / "c5.csv", None, data=text.encode())
    expected = _load(path)
    np.testing.assert_array_equal(_collect(_stream(path))[1], expected.y_train)
    np.testing.assert_allclose(
        nda.csv_normalization(path), (expected.x_train.mean(0), expected.x_train.var(0))
    )
    shift = before.count("\n")
    bad = before + "\n".join(_with_line(45, "1,oops,0")) + "\n"
    path = _write(tmp_path / "c5bad.csv", None, data=bad.encode())
    assert f"line {45 + shift}: the value" in _stream_error(_stream(path))
    with pytest.raises(ValueError, match=rf"row 44 \(line {45 + shift}\)"):
        _load(path)


# The same file twice in a stream's list ------------------------------------


def test_the_same_file_twice_under_other_names_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path / "a.csv", _lines(rows=4))
    os.link(path, tmp_path / "hard.csv")
    (tmp_path / "soft.csv").symlink_to(path)
    for twice in (["a.csv", "hard.csv"], ["soft.csv", "a.csv"], ["./a.csv", "a.csv"]):
        with pytest.raises(ValueError, match=r"may appear once in `path`.*a\.csv"):
            _stream(twice)
    same = r"may appear once in `path`.*'a\.csv' and 'hard\.csv' are the same file"
    with pytest.raises(ValueError, match=same):
        _stream("*.csv")
