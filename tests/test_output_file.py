"""``check_output_file``: a single output file is never written into a FIFO or
over a folder (the atomic rename would block on or destroy it); a symbolic
link is followed, as for bundles (its target is written, the link stays)."""

import os

import pytest

from nda_models.core.output_locations import check_output_file


def test_a_new_or_regular_file_is_fine(tmp_path):
    check_output_file(tmp_path / "new.csv", "--export")
    (tmp_path / "old.csv").write_text("x")
    check_output_file(tmp_path / "old.csv", "--export")
    check_output_file(tmp_path / "not" / "yet" / "there.csv", "--export")


def test_folders_fifos_loops_and_files_in_the_way_are_refused(tmp_path):
    (tmp_path / "target.csv").write_text("x")
    (tmp_path / "link.csv").symlink_to(tmp_path / "target.csv")
    check_output_file(tmp_path / "link.csv", "--export")  # followed, as bundles
    (tmp_path / "dangling.csv").symlink_to(tmp_path / "nothing")
    check_output_file(tmp_path / "dangling.csv", "--export")  # makes the target
    (tmp_path / "loop.csv").symlink_to(tmp_path / "loop.csv")
    with pytest.raises(ValueError, match="it is a symbolic link that never reaches"):
        check_output_file(tmp_path / "loop.csv", "--export")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(ValueError, match="it is a folder, not a regular file"):
        check_output_file(tmp_path / "folder.csv", "--export")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.csv")
        with pytest.raises(ValueError, match=r"it is a FIFO \(named pipe\)"):
            check_output_file(tmp_path / "pipe.csv", "--hparams-export")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        check_output_file(tmp_path / "target.csv" / "below.csv", "--export")
