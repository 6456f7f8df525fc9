"""Tests of the shared script arguments and figure saving."""

import pathlib
import sys
import types

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


def test_parser_gives_the_scale():
    assert script_parser("x.py", "doc").parse_args(["--quick"]).scale == "quick"
    assert script_parser("x.py", "doc").parse_args([]).scale == "full"


def test_in_a_kernel_no_arguments_means_the_defaults(monkeypatch):
    """A cell calling main() must not read the kernel's -f kernel.json."""
    from nda_models.lecture import script_io

    monkeypatch.setattr(sys, "argv", ["ipykernel_launcher.py", "-f", "kernel.json"])
    with pytest.raises(SystemExit):  # outside a kernel, sys.argv is read
        script_parser("x.py", "doc").parse_args()
    monkeypatch.setattr(script_io, "in_jupyter_kernel", lambda: True)
    args = script_parser("x.py", "doc").parse_args()
    assert args.quick is False and args.scale == "full"
    assert script_parser("x.py", "doc").parse_args(["--quick"]).quick is True


def test_a_terminal_ipython_is_not_a_kernel(monkeypatch):
    from nda_models.lecture.script_io import in_jupyter_kernel

    class ZMQInteractiveShell:
        pass

    class ColabShell(ZMQInteractiveShell):
        pass

    class TerminalInteractiveShell:
        pass

    for shell, expected in ((ColabShell, True), (TerminalInteractiveShell, False)):
        fake = types.SimpleNamespace(get_ipython=lambda shell=shell: shell())
        monkeypatch.setitem(sys.modules, "IPython", fake)
        assert in_jupyter_kernel() is expected
    monkeypatch.delitem(sys.modules, "IPython")
    assert in_jupyter_kernel() is False


def test_save_figure_leaves_the_figure_open_unless_asked(tmp_path, capsys):
    plt = pyplot()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    save_figure(fig, tmp_path, "open.png")
    assert plt.fignum_exists(fig.number)  # a notebook still shows it
    save_figure(fig, tmp_path, "closed.png", close=True)
    assert not plt.fignum_exists(fig.number)
    assert (tmp_path / "open.png").read_bytes() == (
        tmp_path / "closed.png"
    ).read_bytes()


def test_notebook_scale_reads_the_environment():
    from nda_models.lecture import check_scale, notebook_scale

    assert notebook_scale(environ={"NDA_NOTEBOOK_SCALE": " quick "}) == "quick"
    assert notebook_scale(environ={"NDA_NOTEBOOK_SCALE": ""}) == "full"
    assert notebook_scale("quick", environ={}) == "quick"
    with pytest.raises(
        ValueError,
        match=r"NDA_NOTEBOOK_SCALE must be 'full' or "
        r"'quick' \(or unset\)\. Received: NDA_NOTEBOOK_SCALE='tiny'",
    ):
        notebook_scale(environ={"NDA_NOTEBOOK_SCALE": "tiny"})
    with pytest.raises(ValueError, match="Unknown scale. Did you mean 'quick'"):
        check_scale("quik")
    with pytest.raises(TypeError, match="Received: scale=1 of type int"):
        check_scale(1)
