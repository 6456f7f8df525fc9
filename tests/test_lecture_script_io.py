"""Tests of the shared script arguments and figure saving."""

import pathlib

import pytest

from nda_models.lecture import output_folder, pyplot, save_figure, script_parser


def test_parser_defaults_to_figures_folder_named_after_script():
    args = script_parser("/somewhere/03_step_size_schedules.py", "doc").parse_args([])
    assert args.out == pathlib.Path("figures/03_step_size_schedules")
    assert args.quick is False


def test_parser_reads_quick_and_out(tmp_path):
    args = script_parser("x.py", "doc").parse_args(["--quick", "--out", str(tmp_path)])
    assert args.quick is True and args.out == tmp_path


def test_parser_rejects_unknown_flag():
    with pytest.raises(SystemExit):
        script_parser("x.py", "doc").parse_args(["--fast"])


def test_save_figure_writes_png_and_prints(tmp_path, capsys):
    folder = output_folder(tmp_path / "new" / "dir")
    plt = pyplot()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    path = save_figure(fig, folder, "line.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = capsys.readouterr().out
    assert f"Figures go to {folder}" in out and f"wrote {path}" in out
