"""``nda runs LOGDIR [--export FILE.csv] [--hparams-export FILE.csv]``.

On hand-written runs (``runs_support``) whose tables are known: the summary
names every run and tag with its last step and value, the exports read back
as those tables, outputs that cannot be written safely (a FIFO, a folder, a
non-CSV name) are refused before anything is read or written, leaving what
was there untouched, and a symbolic link is followed (the link stays).
"""

import os
import subprocess
import sys

import pandas as pd
import pytest
from runs_support import EXPECTED_SCALARS, write_hand_runs

from nda_models.cli import main


@pytest.fixture
def logdir(tmp_path):
    write_hand_runs(tmp_path / "runs")
    return tmp_path / "runs"


def test_the_summary_names_runs_tags_and_last_values(logdir, capsys):
    assert main(["runs", str(logdir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{logdir}: 3 runs with scalars, 4 tags, 6 values"
    assert out[1].split() == ["run", "tag", "values", "last", "step", "last", "value"]
    rows = [line.split() for line in out[2:6]]
    assert rows == [[".", "top", "1", "1", "7"], ["a", "accuracy", "2", "2", "0.75"],
                    ["a", "old_style", "2", "2", "0.125"],
                    ["a/sub", "loss", "1", "3", "2.5"]]  # fmt: skip
    assert out[7] == "HParams of 1 runs:"
    assert out[8].split()[:5] == ["run", "batch_size", "deep", "lr", "opt"]
    assert out[9].split() == ["a", "16", "True", "0.1", "sgd", "0.75", "0.125", "2.5",
                              "success"]  # fmt: skip


def test_exports_read_back_as_the_tables(logdir, tmp_path, capsys):
    scalars, hparams = tmp_path / "out" / "scalars.csv", tmp_path / "hparams.csv"
    code = main(["runs", str(logdir), "--export", str(scalars),
                 "--hparams-export", str(hparams)])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert f"wrote {scalars}: 6 rows, columns run, tag, step, value, wall_time" in out
    back = pd.read_csv(scalars, keep_default_na=False)
    assert list(back.itertuples(index=False, name=None)) == EXPECTED_SCALARS
    table = pd.read_csv(hparams)
    assert table.to_dict("records") == [{
        "run": "a", "batch_size": 16, "deep": True, "lr": 0.1, "opt": "sgd",
        "accuracy": 0.75, "old_style": 0.125, "sub/loss": 2.5, "status": "success",
    }]  # fmt: skip
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


def fails(argv, capsys):
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("nda: error: ") and err.count("\n") == 1
    return err


def test_a_symbolic_link_is_followed_and_left_as_it_was(logdir, tmp_path, capsys):
    target = tmp_path / "real.csv"
    target.write_text("old table\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert main(["runs", str(logdir), "--export", str(link)]) == 0  # as bundles
    assert link.is_symlink() and target.read_text().startswith("run,tag,step")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_or_a_folder_is_refused(logdir, tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.csv")
    err = fails(["runs", str(logdir), "--hparams-export", str(tmp_path / "pipe.csv")],
                capsys)  # fmt: skip
    assert "it is a FIFO (named pipe), not a regular file" in err
    (tmp_path / "dir.csv").mkdir()
    err = fails(["runs", str(logdir), "--export", str(tmp_path / "dir.csv")], capsys)
    assert "it is a folder, not a regular file" in err


def test_names_and_places_are_checked_before_reading(tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text("earlier results\n")
    err = fails(["runs", str(tmp_path / "missing"), "--export", str(good)], capsys)
    assert "There is no folder" in err and good.read_text() == "earlier results\n"
    err = fails(["runs", str(tmp_path), "--export", str(tmp_path / "x.txt")], capsys)
    assert "--export must name a .csv file" in err
    err = fails(["runs", str(tmp_path), "--export", "same.csv",
                 "--hparams-export", "./same.csv"], capsys)  # fmt: skip
    assert "--export and --hparams-export name the same file" in err
    err = fails(["runs", str(tmp_path)], capsys)
    assert "no TensorBoard event files" in err


def test_nda_runs_imports_no_tensorflow(logdir):
    code = (
        "import sys; from nda_models.cli import main; "
        "main(['runs', sys.argv[1]]); print('tensorflow' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(logdir)],
                         capture_output=True, text=True, check=True)  # fmt: skip
    assert out.stdout.splitlines()[-1] == "False"


def test_exported_text_cells_never_run_as_spreadsheet_formulas(tmp_path, capsys):
    """A run folder named ``=HYPERLINK(...)`` (a student's, in a class's log
    folder) was exported as a cell that a spreadsheet runs as a formula (CSV
    injection); such a cell is written with a leading ' (OWASP's advice),
    and a name that merely contains ``=`` is left alone."""
    logdir = tmp_path / "runs"
    write_hand_runs(logdir)
    os.rename(logdir / "a" / "sub", logdir / "lr=0.1")
    os.rename(logdir / "a", logdir / '=HYPERLINK("http:","x")')
    scalars = tmp_path / "scalars.csv"
    assert main(["runs", str(logdir), "--export", str(scalars)]) == 0
    runs = pd.read_csv(scalars, keep_default_na=False, dtype=str)["run"]
    assert set(runs) == {".", '\'=HYPERLINK("http:","x")', "lr=0.1"}
