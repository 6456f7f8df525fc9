"""One CSV reader for ``load_dataset``, ``nda predict`` and ``nda evaluate``.

Before, predict and evaluate read their input with their own code beside the
data package's readers, and the two disagreed. Each difference is a test
here, through both commands and the library, on the same file: a
whitespace-only line (refused by predict, skipped by ``load_dataset``),
compression told by the file name instead of its bytes, a column of
``True``/``False`` read as 1/0, an unnamed column, and messages that named
neither the file nor the line (``row with index 0``). The oracle is the
model's formula in NumPy, y = 5 + 2·a − 3·b.
"""

import bz2
import gzip
import re

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import nda_models as nda
from nda_models.cli import main
from nda_models.data.csv_columns import (
    _parsed_numbers,
    read_columns,
    read_header,
    read_text_columns,
)

ROWS = np.array([[1.0, 2.0], [3.0, -1.5], [0.5, 0.25], [-2.0, 4.0], [7.0, 1.0]])
Y = 5 + 2 * ROWS[:, 0] - 3 * ROWS[:, 1]  # the model's formula, by hand
LINES = [f"{a},{b},{y}" for (a, b), y in zip(ROWS, Y + 1.0, strict=True)]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    model = nda.build_model("linear_regressor", input_dim=2)
    model.set_weights([np.array([[2.0], [-3.0]], np.float32), np.array([5.0])])
    folder = tmp_path_factory.mktemp("one_reader") / "lin"
    return nda.save_model(model, folder, feature_names=["a", "b"])


def _predict(bundle, path, capsys):
    code = main(["predict", str(bundle), "--input", str(path)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _evaluate(bundle, path, capsys):
    argv = ["evaluate", str(bundle), "--input", str(path), "--target", "y"]
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _loaded(path):
    return nda.load_dataset(f"csv:{path}", target="y", test_size=0, val_size=0)


def _check_accepted(bundle, path, capsys):
    """predict gives the formula, evaluate its MSE (every y is off by 1), and
    load_dataset reads the same rows."""
    code, out, err = _predict(bundle, path, capsys)
    assert code == 0, err
    predicted = np.array([float(v) for v in out.splitlines()[1:]])
    np.testing.assert_allclose(predicted, Y, rtol=1e-5)
    code, out, err = _evaluate(bundle, path, capsys)
    assert code == 0, err
    assert re.search(r"loss\s+1\.0000", out), out
    x = _loaded(path).x_train
    np.testing.assert_allclose(x[np.argsort(x[:, 0])], ROWS[np.argsort(ROWS[:, 0])])


def _text(before="", between=""):
    return before + "a,b,y\n" + LINES[0] + "\n" + between + "\n".join(LINES[1:]) + "\n"


@pytest.mark.parametrize(
    ("before", "between"),
    [("", "   \n"), ("", "\t\n"), ("  \n", ""), ("\n\n", " \t \n")],
    ids=["spaces", "tab", "before-header", "both"],
)
def test_a_whitespace_only_line_is_skipped_everywhere(
    bundle, tmp_path, capsys, before, between
):
    path = tmp_path / "blank.csv"
    path.write_text(_text(before, between))
    _check_accepted(bundle, path, capsys)


@pytest.mark.parametrize(
    ("name", "pack"),
    [
        ("packed.csv", gzip.compress),  # gzip, named as plain text
        ("plain.csv.gz", bytes),  # plain text, named as gzip
        ("packed_bz2.csv", bz2.compress),  # bzip2 under a .csv name
    ],
)
def test_compression_is_told_by_the_bytes_not_the_name(
    bundle, tmp_path, capsys, name, pack
):
    path = tmp_path / name
    path.write_bytes(pack(_text().encode()))
    _check_accepted(bundle, path, capsys)


# The file's bytes, and the message every reader gives after "CSV file '<path>'".
CELL = r", column '{}', row {} \(line {}\): "
REFUSED = [
    (b"a,b,y\nTrue,2,0\nFalse,3,1\n", CELL.format("a", 1, 2) + "the cell 'True' is"),
    (b",a,b,y\n0,1,2,0\n1,3,4,1\n", r": column 1 has no name in the header\. Name"),
    (b"a,b,y\n1,2,0\n3,,1\n", CELL.format("b", 2, 3) + r"missing value \(cell ''\)"),
    (b"a,b,y\n1,2,0\n\nnan,4,1\n", CELL.format("a", 2, 4) + "missing value"),
    (b"a,b,y\n1,inf,0\n", CELL.format("b", 1, 2) + "the cell 'inf' is infinite"),
    (b"a,b,y\n1,2,0\n1e39,2,0\n", CELL.format("a", 2, 3) + "the value '1e39' is too"),
    (b"a,b,y\n1\x00,2,0\n", CELL.format("a", 1, 2) + r"the cell '1\\x00' is not a"),
    (b"a,b,y\n1_5,2,0\n", CELL.format("a", 1, 2) + "the cell '1_5' is not a number"),
    (b"a,b,y\n1,2,0\n3,4,\xe9\n", r" is not utf-8 text at line 3 \(byte b'\\xe9'\)"),
]
NAMES = ["True", "unnamed", "empty", "nan", "inf", "1e39", "NUL", "1_5", "latin-1"]


@pytest.mark.parametrize(("data", "message"), REFUSED, ids=NAMES)
def test_a_bad_file_gets_one_message_from_every_reader(
    bundle, tmp_path, capsys, data, message
):
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    expected = re.escape(f"CSV file '{path}'") + message
    with pytest.raises(ValueError, match=expected):
        _loaded(path)
    for run in (_predict, _evaluate):
        code, _, err = run(bundle, path, capsys)
        assert code == 2 and err.count("\n") == 1, err
        assert re.match("nda: error: " + expected, err), err


def test_a_gzip_file_cut_short_is_refused_as_damaged(bundle, tmp_path, capsys):
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(gzip.compress((_text() * 40).encode())[:-12])
    expected = re.escape(f"CSV file '{path}' is a damaged gzip file")
    with pytest.raises(ValueError, match=expected):
        _loaded(path)
    for run in (_predict, _evaluate):
        assert re.match("nda: error: " + expected, run(bundle, path, capsys)[2])


def test_a_header_only_file_predicts_nothing_and_cannot_be_scored(
    bundle, tmp_path, capsys
):
    path = tmp_path / "header.csv"
    path.write_text("a,b,y\n")
    expected = re.escape(f"CSV file '{path}' has a header but no data rows")
    with pytest.raises(ValueError, match=expected):
        _loaded(path)
    code, _, err = _evaluate(bundle, path, capsys)
    assert code == 2 and re.match("nda: error: " + expected, err), err
    code, out, _ = _predict(bundle, path, capsys)  # no rows in, none out
    assert code == 0 and out.strip() == "prediction"


def test_pandas_number_parser_gives_the_values_of_the_text_cells(tmp_path):
    # The reader's first try, pandas' own number parser (csv_columns), must give
    # what the text cells parsed column by column give (csv_cells, the rule).
    rng = np.random.default_rng(0)
    floats = rng.normal(size=(300, 2)) * 10.0 ** rng.integers(-30, 30, (300, 2))
    ints = rng.integers(-(2**62), 2**62, 300)  # beyond 2**53: rounded once
    pairs = zip(floats.tolist(), ints.tolist(), strict=True)
    lines = [f"{a!r}, {b!r} ,{i},x" for (a, b), i in pairs]
    path = tmp_path / "many.csv"
    path.write_text("a,b,i,name\n" + "\n".join(lines) + "\n")
    header = read_header(path)
    assert _parsed_numbers(path, 4, [0, 1, 2], "utf-8") is not None  # no doubt
    frame = read_columns(path, header, [0, 1, 2])
    cells = read_text_columns(path, header, [0, 1, 2])
    for index in range(3):
        np.testing.assert_array_equal(frame[index].to_numpy(), cells[index].to_numpy())
    np.testing.assert_array_equal(frame[[0, 1]].to_numpy(), floats)  # repr round trip
    assert frame[3].tolist() == ["x"] * 300


def test_an_empty_last_text_cell_is_kept_and_a_short_row_refused(
    bundle, tmp_path, capsys
):
    path = tmp_path / "notes.csv"
    path.write_text("a,b,note\n1,2,\n3,-1.5,dry\n")
    code, out, err = _predict(bundle, path, capsys)
    assert code == 0, err
    predicted = [float(v) for v in out.splitlines()[1:]]
    np.testing.assert_allclose(predicted, Y[:2], rtol=1e-5)
    path.write_text("a,b,note\n1,2,\n3,-1.5\n")
    expected = re.escape(f"CSV file '{path}', row 2 (line 3) has too few fields: 2")
    with pytest.raises(ValueError, match=expected):
        nda.load_dataset(f"csv:{path}", target="note", features=["a", "b"])
    code, _, err = _predict(bundle, path, capsys)
    assert code == 2 and re.match("nda: error: " + expected, err), err


CELLS = ["1", "-2.5", " 4 ", "+.5", "-0", "1e39", "inf", "nan", "", " ", "True",
         "FALSE", "1_5", "٣", "x", '"1,5"', '"a\nb"', "9007199254740993", "0x1",
         "1.", "1e-400", "00012", "\u00a03"]  # fmt: skip
ROW = st.lists(st.sampled_from(CELLS), min_size=1, max_size=4).map(",".join)


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(st.one_of(ROW, st.sampled_from(["", "  "])), max_size=5),
    width=st.integers(1, 3),
    numeric=st.sets(st.integers(0, 2)),
    crlf=st.booleans(),
)
def test_the_fast_read_gives_the_text_cells_answer(
    tmp_path_factory, lines, width, numeric, crlf
):
    # Any small file: read_columns gives what reading every cell as text and
    # parsing it column by column gives (the same frame or the same message).
    path = tmp_path_factory.mktemp("fuzz") / "f.csv"
    header = [f"c{i}" for i in range(width)]
    path.write_bytes((("\r\n" if crlf else "\n").join([",".join(header), *lines])
                      + "\n").encode())  # fmt: skip
    numeric = sorted(i for i in numeric if i < width)

    def answer(read):
        try:
            return read(path, read_header(path), numeric)
        except ValueError as error:
            return str(error)

    fast, slow = answer(read_columns), answer(read_text_columns)
    if isinstance(slow, str):
        assert fast == slow
    else:
        assert not isinstance(fast, str), fast
        assert fast.astype(object).equals(slow.astype(object))
