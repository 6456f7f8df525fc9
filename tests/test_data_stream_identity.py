"""Resuming a checkpointed run on a ``stream_csv``: another stream is refused.

The run signature records what identifies a stream: its files (resolved
path, size and SHA-256 of the bytes), the header, target, features, task,
class names, batch size and passes per epoch. The same bytes resume (a
touched file's new modification time changes nothing); another file, an
appended row, an edited cell or other reading settings are refused with
the difference, as for in-memory arrays.
"""

import os

import numpy as np
import pytest

import nda_models as nda
from nda_models.training import Trainer


def _csv(path, rows=40, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, 2))
    lines = ["a,b,y"] + [f"{p:.4f},{q:.4f},{int(p + q > 0)}" for p, q in x]
    path.write_text("\n".join(lines) + "\n")
    return path


def _fit(checkpoint_dir, stream, epochs=1, name="logistic_neuron"):
    model = nda.build_model(name, input_dim=2)
    trainer = Trainer(model, batch_size=16, seed=0, checkpoint_dir=checkpoint_dir)
    return trainer.fit(stream, epochs=epochs)


def _stream(path, **options):
    return nda.stream_csv(path, **{"batch_size": 16, "seed": 0, **options})


@pytest.fixture
def trained(tmp_path):
    """A run of one epoch on data.csv, checkpointed in ckpt/."""
    path = _csv(tmp_path / "data.csv")
    first = _fit(tmp_path / "ckpt", _stream(path)).history["loss"]
    return path, tmp_path / "ckpt", first


def test_another_file_of_another_length_is_refused(trained, tmp_path):
    path, ckpt, _ = trained
    other = _csv(tmp_path / "other.csv", rows=90, seed=1)
    with pytest.raises(ValueError, match=r"different run.*data\.files\[0\]: .*name "):
        _fit(ckpt, _stream(other), epochs=2)


def test_an_appended_row_or_an_edited_cell_is_refused(trained):
    path, ckpt, _ = trained
    original = path.read_bytes()
    path.write_bytes(original + b"0.5,0.5,1\n")
    with pytest.raises(ValueError, match=r"data\.files\[0\]: bytes \d+ → \d+"):
        _fit(ckpt, _stream(path), epochs=2)
    # Same size, one digit changed in the middle: only the hash can tell.
    edited = bytearray(original)
    middle = original.index(b"\n", len(original) // 2) + 2
    edited[middle] = ord("9") if edited[middle] != ord("9") else ord("8")
    path.write_bytes(bytes(edited))
    with pytest.raises(ValueError, match=r"data\.files\[0\]: sha256 \"[0-9a-f]+\" →"):
        _fit(ckpt, _stream(path), epochs=2)


def test_a_touched_file_with_the_same_bytes_resumes(trained):
    path, ckpt, first = trained
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**10))
    loss = _fit(ckpt, _stream(path), epochs=2).history["loss"]
    assert len(loss) == 2 and loss[0] == first[0]  # resumed: epoch 1 kept


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"batch_size": 8}, r"data\.batch_size: 16 → 8"),
        ({"task": "regression"}, r"data\.task: \"classification\" → \"regression\""),
        ({"class_names": ["1", "0"]}, r"data\.class_names: null → \[\"1\", \"0\"\]"),
        ({"features": ["b", "a"]}, r"data\.features: \[\"a\", \"b\"\] → \[\"b\""),
        ({"num_epochs": 2}, r"data\.num_epochs: 1 → 2"),
        ({"seed": 1}, r"data\.shuffle: \{\"buffer\": 10000, \"seed\": 0\} → "),
        ({"shuffle": False}, r"data\.shuffle: .* → null"),
    ],
)
def test_other_reading_settings_are_refused(trained, options, match):
    path, ckpt, _ = trained
    name = "linear_regressor" if "task" in options else "logistic_neuron"
    with pytest.raises(ValueError, match=match):
        _fit(ckpt, _stream(path, **options), epochs=2, name=name)


def test_a_second_part_is_refused_and_the_identity_is_public(trained, tmp_path):
    path, ckpt, _ = trained
    part = _csv(tmp_path / "part2.csv", seed=2)
    with pytest.raises(ValueError, match=r"data\.files\[1\]: \(absent\) → \"CsvFile"):
        _fit(ckpt, _stream([path, part]), epochs=2)
    identity = _stream([path, part]).identity
    assert identity.files == (path.resolve(), part.resolve())
    facts = identity.signature()
    assert facts["data.header"] == ["a", "b", "y"]
    assert facts["data.target"] == "y" and facts["data.task"] == "classification"
    assert "sha256=" in facts["data.files[1]"]


def test_a_symlinked_path_to_the_same_file_resumes(trained, tmp_path):
    path, ckpt, first = trained
    link = tmp_path / "link.csv"
    link.symlink_to(path)
    loss = _fit(ckpt, _stream(link), epochs=2).history["loss"]
    assert len(loss) == 2 and loss[0] == first[0]
