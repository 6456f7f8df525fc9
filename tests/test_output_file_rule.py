"""One rule for every single-file output, the same as for bundles (issue 21 M1).

A symbolic link is followed: the file it points to is replaced atomically and
the link stays (before, the rename replaced the link with a regular file). A
FIFO, a socket, a device, a folder or a loop of links is refused with one
line naming it, before the command does its work. Tested on the rule itself
(``atomic_file.output_target``, ``atomic_path``) and on each command that
writes a file.
"""

import os
import socket

import numpy as np
import pytest
from support import cli_error

import nda_models as nda
from nda_models.cli import main
from nda_models.core.atomic_file import atomic_path, output_target

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def test_a_chain_of_links_is_followed_to_the_file(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "table.csv"
    (tmp_path / "middle.csv").symlink_to("real/table.csv")  # relative
    (tmp_path / "latest.csv").symlink_to(tmp_path / "middle.csv")
    assert output_target(tmp_path / "latest.csv") == target  # even before it exists
    target.write_text("old")
    with atomic_path(tmp_path / "latest.csv") as temp:
        assert temp.parent == target.parent  # the rename stays beside the target
        temp.write_text("new")
    assert target.read_text() == "new"
    assert os.readlink(tmp_path / "latest.csv") == str(tmp_path / "middle.csv")
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["table.csv"]


def test_a_failed_write_through_a_link_keeps_the_old_target(tmp_path):
    target = tmp_path / "figure.png"
    target.write_bytes(b"old")
    (tmp_path / "link.png").symlink_to(target)
    with pytest.raises(RuntimeError, match="crash"):
        with atomic_path(tmp_path / "link.png") as temp:
            temp.write_bytes(b"half")
            raise RuntimeError("crash")
    assert target.read_bytes() == b"old" and (tmp_path / "link.png").is_symlink()


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: os.mkfifo(p), r"it is a FIFO \(named pipe\), not a regular file"),
        (lambda p: p.mkdir(), "it is a folder, not a regular file"),
        (lambda p: p.symlink_to(p), "it is a symbolic link that never reaches a file"),
        (
            lambda p: p.symlink_to("/dev/null"),
            r"it is a symbolic link to ./dev/null., "
            r"which is a device",
        ),  # fmt: skip
        (lambda p: socket.socket(socket.AF_UNIX).bind(str(p)), "it is a socket"),
    ],
)
def test_what_is_not_a_file_is_refused_by_name(tmp_path, make, words):
    path = tmp_path / "out.csv"
    make(path)
    with pytest.raises(
        ValueError, match=rf"cannot write --output '.*out.csv': {words}"
    ):
        with atomic_path(path, "--output"):
            pass


def test_a_link_to_a_fifo_is_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "out.csv").symlink_to(tmp_path / "pipe")
    with pytest.raises(ValueError, match=r"symbolic link to .*pipe', which is a FIFO"):
        output_target(tmp_path / "out.csv", "--export")


# --- every command that writes a file --------------------------------------


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    model = nda.build_model("logistic_neuron", input_dim=2)
    path = tmp_path_factory.mktemp("rule") / "neuron"
    return nda.save_model(model, path, feature_names=["a", "b"], class_names=["n", "y"])


@pytest.fixture
def rows(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("a,b,target\n0.5,1.0,y\n-1.0,2.0,n\n")
    return path


def _command(name, bundle, rows, path):
    """The argv that makes command ``name`` write its file to ``path``."""
    return {
        "predict": ["predict", str(bundle), "--input", str(rows), "--output", path],
        "evaluate": ["evaluate", str(bundle), "--input", str(rows), "--target",
                     "target", "--plot", path],
        "datasets": ["datasets", "iris_setosa", "--export", path],
        "runs": ["runs", str(rows.parent / "logs"), "--export", path],
        "autodiff": ["autodiff", "example1", "--dot", path],
    }[name]  # fmt: skip


SUFFIX = {"evaluate": ".png", "autodiff": ".dot"}
COMMANDS = ["predict", "evaluate", "datasets", "autodiff"]


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_writes_through_a_link(name, bundle, rows, tmp_path, capsys):
    suffix = SUFFIX.get(name, ".csv")
    target = tmp_path / "kept" / f"real{suffix}"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link = tmp_path / f"link{suffix}"
    link.symlink_to(target)
    assert main(_command(name, bundle, rows, str(link))) == 0
    capsys.readouterr()
    assert link.is_symlink() and os.readlink(link) == str(target)
    written = target.read_bytes()
    assert written != b"old" and len(written) > 10
    if suffix == ".png":
        assert written.startswith(b"\x89PNG")
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_refuses_a_fifo_before_its_work(
    name, bundle, rows, tmp_path, capsys
):
    fifo = tmp_path / f"pipe{SUFFIX.get(name, '.csv')}"
    os.mkfifo(fifo)
    err = cli_error(main, _command(name, bundle, rows, str(fifo)), capsys)
    assert "it is a FIFO (named pipe), not a regular file" in err
    assert str(fifo) in err


def test_predict_refuses_a_folder_and_writes_nothing(bundle, rows, tmp_path, capsys):
    (tmp_path / "out.csv").mkdir()
    err = cli_error(
        main, _command("predict", bundle, rows, str(tmp_path / "out.csv")), capsys
    )
    assert "cannot write --output" in err and "it is a folder" in err
    assert list((tmp_path / "out.csv").iterdir()) == []


def test_a_lecture_figure_and_a_learning_curve_follow_links(tmp_path):
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    from nda_models.lecture import save_figure
    from nda_models.workflows.learning_curve import write_learning_curve

    target = tmp_path / "store" / "fig.png"
    target.parent.mkdir()
    (tmp_path / "fig.png").symlink_to(target)
    figure = Figure()
    figure.add_subplot().plot([0, 1], [1, 0])
    save_figure(figure, tmp_path, "fig.png")
    assert (tmp_path / "fig.png").is_symlink()
    assert target.read_bytes().startswith(b"\x89PNG")
    curve = tmp_path / "store" / "curve.png"
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "learning_curve.png").symlink_to(curve)
    history = {"loss": list(np.linspace(1, 0.1, 5)), "val_loss": [1.0] * 5}
    write_learning_curve(history, tmp_path / "logs", "t", "loss")
    assert curve.read_bytes().startswith(b"\x89PNG")
    os.mkfifo(tmp_path / "pipe.png")
    with pytest.raises(ValueError, match="FIFO"):
        save_figure(figure, tmp_path, "pipe.png")


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_a_link_to_an_anonymous_pipe_is_refused(tmp_path):
    """``--output out.csv`` with out.csv -> /dev/stdout while stdout is a pipe:
    realpath names no file there ("pipe:[N]"); the rule must still see a FIFO."""
    read_end, write_end = os.pipe()
    try:
        (tmp_path / "out.csv").symlink_to(f"/proc/self/fd/{write_end}")
        with pytest.raises(ValueError, match=r"symbolic link to .*, which is a FIFO"):
            with atomic_path(tmp_path / "out.csv", "--output"):
                pass
    finally:
        os.close(read_end)
        os.close(write_end)
