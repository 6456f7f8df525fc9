"""``check_output_file``: a single output file is never written through a link,
into a FIFO or over a folder (the atomic rename would replace or block on it)."""

import os

import pytest

from nda_models.core.output_locations import check_output_file


def test_a_new_or_regular_file_is_fine(tmp_path):
    check_output_file(tmp_path / "new.csv", "--export")
    (tmp_path / "old.csv").write_text("x")
    check_output_file(tmp_path / "old.csv", "--export")
    check_output_file(tmp_path / "not" / "yet" / "there.csv", "--export")


def test_links_folders_fifos_and_files_in_the_way_are_refused(tmp_path):
    (tmp_path / "target.csv").write_text("x")
    (tmp_path / "link.csv").symlink_to(tmp_path / "target.csv")
    with pytest.raises(ValueError, match=r"cannot write --export '.*link.csv': it is a "
                       r"symbolic link \(to '.*target.csv'\), which writing would "
                       r"replace with a regular file"):  # fmt: skip
        check_output_file(tmp_path / "link.csv", "--export")
    (tmp_path / "dangling.csv").symlink_to(tmp_path / "nothing")
    with pytest.raises(ValueError, match="it is a symbolic link"):
        check_output_file(tmp_path / "dangling.csv", "--export")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(ValueError, match="it is a folder, not a regular file"):
        check_output_file(tmp_path / "folder.csv", "--export")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.csv")
        with pytest.raises(ValueError, match=r"it is a FIFO \(named pipe\)"):
            check_output_file(tmp_path / "pipe.csv", "--hparams-export")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        check_output_file(tmp_path / "target.csv" / "below.csv", "--export")
