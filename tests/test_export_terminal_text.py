"""A bundle's names reach a terminal as text, never as control sequences.

metadata.json is anyone's to write, and the command line prints some of its
strings: the registry name and dataset in the note before a run replaces a
bundle, the class names in ``nda evaluate``'s report and matrix. Printed raw,
``softmax_classifier\\x1b]0;...\\x07\\x1b[2K\\r`` retitled the window, erased
the line and wrote a fake note over it. They are now shown escaped, as
``repr`` shows them.
"""

import json
import shutil

import numpy as np
import pytest
from support import rewrite_checksums

import nda_models as nda
from nda_models.cli import main
from nda_models.workflows.earlier_bundle import replacement_note

HOSTILE = "\x1b]0;OWNED\x07\x1b[2K\rnote: all is well"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    model = nda.build_model("logistic_neuron", input_dim=2)
    model.set_weights([np.array([[4.0], [0.0]], np.float32), np.array([0.0])])
    folder = nda.save_model(
        model,
        tmp_path_factory.mktemp("term") / "b",
        feature_names=["a", "b"],
        class_names=["no", "yes"],
    )
    meta = json.loads((folder / "metadata.json").read_text())
    meta["registry_name"] = "logistic_neuron" + HOSTILE
    meta["class_names"] = ["no" + HOSTILE, "yes"]
    (folder / "metadata.json").write_text(json.dumps(meta))
    rewrite_checksums(folder)
    return folder


def test_the_replacement_note_shows_control_characters_escaped(hostile, tmp_path):
    folder = shutil.copytree(hostile, tmp_path / "b")
    note = replacement_note(folder)
    assert "\x1b" not in note and "\r" not in note and "\x07" not in note
    assert "logistic_neuron\\x1b]0;OWNED\\x07\\x1b[2K\\rnote: all is well" in note


def test_nda_evaluate_prints_the_class_names_escaped(hostile, tmp_path, capsys):
    data = tmp_path / "labelled.csv"
    data.write_text("a,b,y\n1,0,yes\n-1,0,yes\n2,1,yes\n")
    assert main(["evaluate", str(hostile), "--input", str(data), "--target", "y"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out and "\x07" not in out
    assert "no\\x1b]0;OWNED\\x07" in out and out.count("\n") > 5
