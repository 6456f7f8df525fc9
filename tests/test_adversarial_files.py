"""Single output files and bundle folders under attack: permissions, symlinks.

Defects found by an adversarial run (issue 12); each test failed before its fix.
"""

import os
import stat

import pytest

from nda_models.core.atomic_file import atomic_path, is_temporary_of


@pytest.fixture
def umask_027():
    previous = os.umask(0o027)
    yield
    os.umask(previous)


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_atomic_path_gives_a_new_file_the_mode_open_would(tmp_path, umask_027):
    with open(tmp_path / "plain.csv", "w") as stream:
        stream.write("a\n")
    with atomic_path(tmp_path / "atomic.csv") as temp:
        temp.write_text("a\n")
    assert _mode(tmp_path / "atomic.csv") == _mode(tmp_path / "plain.csv") == 0o640


def test_atomic_path_keeps_the_mode_of_the_file_it_replaces(tmp_path, umask_027):
    target = tmp_path / "shared.csv"
    target.write_text("old\n")
    target.chmod(0o664)
    with atomic_path(target) as temp:
        temp.write_text("new\n")
    assert _mode(target) == 0o664 and target.read_text() == "new\n"


def test_temporary_names_are_recognised_exactly():
    assert is_temporary_of(".run_signature.k2x9_q0a.tmp.json", "run_signature.json")
    for name in (
        "run_signature.tmp.json", ".run_signature.tmp.json",
        ".run_signature.k2x9_q0a.tmp.json.bak", ".run_signature.K2X9Q0AA.tmp.json",
        ".other.k2x9_q0a.tmp.json",
    ):  # fmt: skip
        assert not is_temporary_of(name, "run_signature.json"), name
