"""atomic_path: the old file survives a failed write; no temporary is left."""

import pytest

from nda_models.core.atomic_file import atomic_path


def test_replaces_the_file_and_keeps_the_suffix(tmp_path):
    target = tmp_path / "sub" / "table.csv"
    with atomic_path(target) as temp:
        assert temp.suffix == ".csv" and temp.parent == target.parent
        temp.write_text("a,b\n1,2\n")
    assert target.read_text() == "a,b\n1,2\n"
    assert list(target.parent.iterdir()) == [target]


def test_a_failed_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "figure.png"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="crash"):
        with atomic_path(target) as temp:
            temp.write_bytes(b"half")
            raise RuntimeError("crash while writing")
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]
