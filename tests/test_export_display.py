"""A loaded bundle shows itself (issue 24 item 3): a readable table in
Jupyter, a useful repr, and nothing a hostile metadata.json can inject."""

import json
import shutil
from html.parser import HTMLParser

import pytest

import nda_models as nda
from nda_models.export.format.checksums import metadata_sha256


@pytest.fixture(scope="module")
def bundle_path(tmp_path_factory):
    model = nda.build_model("softmax_classifier", input_dim=2, num_classes=3)
    return nda.save_model(
        model,
        tmp_path_factory.mktemp("display") / "iris",
        feature_names=["petal length", "petal width"],
        class_names=["setosa", "versicolor", "virginica"],
        metrics={"accuracy": 0.9666666},
    )


class _Cells(HTMLParser):
    """Collects the text of the table cells and every tag seen (an oracle
    independent of the code under test: Python's own HTML parser)."""

    def __init__(self):
        super().__init__()
        self.cells, self.tags, self._open = [], set(), False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self._open = tag in ("th", "td")
        if self._open:
            self.cells.append("")

    def handle_data(self, data):
        if self._open:
            self.cells[-1] += data


def _cells(page):
    parser = _Cells()
    parser.feed(page)
    return dict(zip(parser.cells[::2], parser.cells[1::2], strict=True)), parser.tags


def test_the_table_shows_what_the_bundle_is(bundle_path):
    bundle = nda.load_model(bundle_path)
    cells, tags = _cells(bundle._repr_html_())
    assert tags == {"table", "caption", "tr", "th", "td"}
    assert cells["model"] == "softmax_classifier"
    assert cells["task"] == "multiclass (multiclass_probability)"
    assert cells["features"] == "2: petal length, petal width"
    assert cells["classes"] == "3: setosa, versicolor, virginica"
    assert cells["runtime"] == "onnx"
    assert cells["metrics"] == "accuracy: 0.9667"
    assert cells["created"] == bundle.metadata["created"]
    text = repr(bundle)
    assert text.startswith("LoadedModel(model='softmax_classifier', task='multiclass")
    assert (
        "features='2: petal length, petal width'" in text and "runtime='onnx'" in text
    )


def test_hostile_strings_are_shown_as_text_never_as_markup(bundle_path, tmp_path):
    folder = shutil.copytree(bundle_path, tmp_path / "hostile")
    meta = json.loads((folder / "metadata.json").read_text())
    evil = "<script>alert(1)</script>"
    meta["feature_names"] = [evil, "<img src=x onerror=alert(2)>"]
    meta["class_names"] = ["a", "b", "\"'><b>c"]
    meta["metrics"] = {"<i>loss</i>": "<svg onload=alert(3)>"}
    meta["created"] = "</td></tr></table><script>alert(4)</script>"
    meta["metadata_sha256"] = metadata_sha256(meta)
    (folder / "metadata.json").write_text(json.dumps(meta))
    bundle = nda.load_model(folder, runtime="onnx")
    page = bundle._repr_html_()
    cells, tags = _cells(page)
    assert tags == {"table", "caption", "tr", "th", "td"}  # no script, img, svg, b, i
    assert cells["features"] == f"2: {evil}, <img src=x onerror=alert(2)>"
    assert cells["created"] == meta["created"]
    assert "<script" not in page and "&lt;script&gt;" in page
