"""``nda datasets``: the listing and one dataset's details."""

from nda_models.cli import main


def test_nda_datasets_lists_every_builtin_with_shapes(capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split()[:5] == ["dataset", "task", "rows", "features", "classes"]
    assert "digits            multiclass  1797  64        10" in out
    assert "linear_synthetic  regression  1000  2         -" in out
    assert len(lines) == 8


def test_nda_datasets_shows_one_csv_dataset(tmp_path, capsys):
    path = tmp_path / "pets.csv"
    rows = "".join(f"{3 + i},4,cat\n{25 + i},4,dog\n" for i in range(5))
    path.write_text("weight,legs,kind\n" + rows)
    assert main(["datasets", f"csv:{path}", "--target", "kind"]) == 0
    out = capsys.readouterr().out
    assert "task='binary'" in out and "classes (2): cat, dog" in out


def test_nda_datasets_bad_name_is_one_line_and_exit_2(capsys):
    assert main(["datasets", "wines"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nda: error: Unknown dataset 'wines'. Did you mean 'wine'?")
    assert len(err.strip().splitlines()) == 1
