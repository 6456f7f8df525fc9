"""How a ``Dataset`` shows itself: a short ``repr`` and an escaped HTML table.

The table is read back with Python's own HTML parser (an independent
reader), and its numbers are compared with the arrays and NumPy's statistics.
Lists of names stay short whatever the data (first few + "and N more"), in
the display and in the CSV readers' messages.
"""

import html.parser

import numpy as np
import pytest

import nda_models as nda
from nda_models.data import Dataset


class Cells(html.parser.HTMLParser):
    """The text of every ``<th>``/``<td>`` cell, by table, row by row."""

    def __init__(self):
        super().__init__()
        self.tables, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("th", "td"):
            self.tables[-1][-1].append("")

    def handle_data(self, data):
        if self.tags and self.tags[-1] in ("th", "td"):
            self.tables[-1][-1][-1] += data

    def handle_endtag(self, tag):
        self.tags.pop()


def _cells(ds):
    parser = Cells()
    parser.feed(ds._repr_html_())
    return parser.tables


def test_the_table_shows_splits_features_classes_and_first_rows():
    ds = nda.load_dataset("iris")
    summary, rows = _cells(ds)
    fields = dict(summary)
    assert fields["rows"] == "150: train 90, val 30, test 30"
    assert fields["features"] == "4: " + ", ".join(ds.feature_names)
    assert fields["classes"] == "3: setosa, versicolor, virginica"
    mean, std = ds.x_train.mean(0), ds.x_train.std(0)
    assert fields["normalization"] == (
        f"x_train mean from {mean.min():.4g} to {mean.max():.4g}, standard deviation "
        f"from {std.min():.4g} to {std.max():.4g} (over 4 features)"
    )
    assert rows[0] == [*ds.feature_names, "target"]
    for row, x, y in zip(rows[1:], ds.x_train, ds.y_train, strict=False):
        assert row == [f"{v:.4g}" for v in x] + [ds.class_names[y]]
    assert len(rows) == 6


def test_many_features_and_classes_are_shortened():
    ds = nda.load_dataset("digits")
    summary, rows = _cells(ds)
    assert dict(summary)["features"].endswith("pixel_0_7 and 56 more")
    assert dict(summary)["classes"] == "10: 0, 1, 2, 3, 4, 5, 6, 7 and 2 more"
    assert rows[0] == [*ds.feature_names[:8], "…", "target"]
    assert "classes=('0', '1', '2', '3', '4', '5', '6', '7' and 2 more)" in repr(ds)
    wide = _dataset([f"f{i}" for i in range(5000)], [f"c{i}" for i in range(1000)])
    assert len(repr(wide)) < 300
    assert len(wide._repr_html_()) < 3000


def _dataset(features, classes, rows=6):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, len(features)))
    y = np.arange(rows) % len(classes)
    task = "binary" if len(classes) == 2 else "multiclass"
    return Dataset("made", task, x, y, x, y, x, y, tuple(features), tuple(classes))


def test_every_name_is_escaped():
    ds = _dataset(["<script>alert(1)</script>", "a&b"], ['"><img src=x>', "<b>"])
    page = ds._repr_html_()
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page and "&amp;b" in page and "&quot;&gt;" in page
    summary, rows = _cells(ds)
    assert dict(summary)["features"] == "2: <script>alert(1)</script>, a&b"
    assert rows[1][-1] in ('"><img src=x>', "<b>")


def test_a_column_too_large_for_statistics_says_so():
    x = np.array([[1e30], [-1e30], [1.0], [2.0]])
    y = np.zeros(4)
    ds = Dataset("huge", "regression", x, y, x, y, x, y, ("big",))
    assert dict(_cells(ds)[0])["normalization"].startswith("not available: ")


def test_csv_messages_list_a_wide_header_shortly(tmp_path):
    path = tmp_path / "wide.csv"
    header = [f"pixel_{i}" for i in range(300)] + ["y"]
    path.write_text(",".join(header) + "\n" + ",".join(["1"] * 301) + "\n")
    with pytest.raises(ValueError, match=r"'pixel_19'\] and 281 more") as error:
        nda.load_dataset(f"csv:{path}", target="label")
    assert len(str(error.value)) < 600
    other = tmp_path / "other.csv"
    other.write_text(",".join(header[:-1] + ["z"]) + "\n" + ",".join(["1"] * 301))
    with pytest.raises(ValueError, match=r"'pixel_7'\] and 293 more but") as error:
        nda.stream_csv([path, other], target="pixel_0", task="regression")
    assert len(str(error.value)) < 600
