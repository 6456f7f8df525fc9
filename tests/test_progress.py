"""``verbose=1`` fits where it goes: Keras's bar on a terminal, an in-place
display in Jupyter, one plain line per epoch in a file or a pipe."""

import contextlib
import os
import pty
import re
import sys
import threading
import types

import pytest
from support import lecture_data

import nda_models as nda
from nda_models.callbacks import progress
from nda_models.callbacks.progress import EpochLines, NotebookProgress

CONTROL = re.compile(r"[\r\b\x1b]")


@pytest.fixture(scope="module")
def trainer():
    model = nda.build_model("linear_regressor", input_dim=2)
    return nda.Trainer(model, learning_rate=0.05, batch_size=16, seed=0)


def _fit(trainer, verbose=1, epochs=3):
    x, y = lecture_data(n=96)
    trainer.fit(x, y, epochs=epochs, validation_data=(x, y), verbose=verbose)


def test_a_file_gets_one_plain_line_per_epoch(trainer, tmp_path):
    path = tmp_path / "log.txt"
    with open(path, "w") as file, contextlib.redirect_stdout(file):
        _fit(trainer)
    text = path.read_text()
    assert not CONTROL.search(text), repr(text[:300])
    lines = text.splitlines()
    assert [line.split(" - ")[0] for line in lines] == [
        "Epoch 1/3",
        "Epoch 2/3",
        "Epoch 3/3",
    ]
    assert all(" - loss: " in line and " - val_loss: " in line for line in lines)


def test_tune_verbose_2_writes_plain_lines_per_pair_and_epoch(tmp_path):
    from nda_models.workflows import tune

    path = tmp_path / "log.txt"
    with open(path, "w") as file, contextlib.redirect_stdout(file):
        tune("linear_regressor", learning_rates=[0.01, 0.05], batch_sizes=[100],
             epochs=2, logdir=None, verbose=2)  # fmt: skip
    lines = path.read_text().splitlines()
    assert not CONTROL.search(path.read_text())
    heads = [line.split(" - ")[0] for line in lines]
    assert heads == ["Epoch 1/2", "Epoch 2/2", "[1/2] lr=0.01 M=100",
                     "Epoch 1/2", "Epoch 2/2", "[2/2] lr=0.05 M=100"]  # fmt: skip


def test_verbose_2_is_one_line_per_epoch_and_0_is_silent(trainer, capsys):
    _fit(trainer, verbose=2, epochs=2)
    assert len(capsys.readouterr().out.splitlines()) == 2
    _fit(trainer, verbose=0, epochs=2)
    assert capsys.readouterr().out == ""


def test_a_terminal_gets_keras_progress_bar(trainer):
    main, secondary = pty.openpty()
    chunks = []

    def read():
        while True:
            try:
                data = os.read(main, 4096)
            except OSError:  # the other end closed
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read)
    reader.start()
    with open(secondary, "w", closefd=True) as terminal:
        assert terminal.isatty()
        with contextlib.redirect_stdout(terminal):
            _fit(trainer)
            terminal.flush()
    reader.join(timeout=30)
    os.close(main)
    text = b"".join(chunks).decode()
    assert "━" in text and "\r" in text  # Keras's bar, redrawn in place
    assert "Epoch 3/3" in text


class _Handle:
    def __init__(self, shown):
        self.shown = shown

    def update(self, obj):
        self.shown.append(obj)


@pytest.fixture
def fake_kernel(monkeypatch):
    """What ipykernel gives a cell: ``get_ipython()`` is a ZMQInteractiveShell
    and ``IPython.display.display`` returns a handle updated in place."""
    shown = []
    shell_class = type("ZMQInteractiveShell", (), {})
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = shell_class
    display_module = types.ModuleType("IPython.display")

    def display(obj, display_id=None):
        assert display_id is True
        shown.append(obj)
        return _Handle(shown)

    display_module.display = display
    ipython.display = display_module
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", display_module)
    # progress names IPython.display at its top (lazy_module): the same fake.
    monkeypatch.setattr(progress, "ipython_display", display_module)
    return shown


def test_a_notebook_gets_one_display_updated_in_place(trainer, fake_kernel, capsys):
    _fit(trainer)
    assert capsys.readouterr().out == ""  # nothing on the cell's stdout
    last = fake_kernel[-1]
    assert re.match(r"Epoch 3/3 - [\d.]+s - loss: ", repr(last))
    markup = last._repr_html_()
    assert '<progress value="3" max="3">' in markup and "val_loss" in markup
    assert not CONTROL.search(markup)
    # In-place updates: at least one per epoch, all into the first display.
    assert len(fake_kernel) >= 4


def test_the_chooser(fake_kernel, monkeypatch):
    from nda_models.callbacks.progress import progress_callback

    assert progress_callback(0) is None
    assert isinstance(progress_callback(1), NotebookProgress)
    assert isinstance(progress_callback(2), EpochLines)
    colab = type("Shell", (sys.modules["IPython"].get_ipython,), {})
    monkeypatch.setattr(sys.modules["IPython"], "get_ipython", colab)
    assert isinstance(progress_callback(1), NotebookProgress)  # a subclass
    terminal = type("TerminalInteractiveShell", (), {})
    monkeypatch.setattr(sys.modules["IPython"], "get_ipython", terminal)
    assert isinstance(progress_callback(1), EpochLines)  # not a kernel
    monkeypatch.delitem(sys.modules, "IPython")
    assert isinstance(progress_callback(1), EpochLines)  # pytest captures stdout


@pytest.mark.slow  # a kernel that imports TensorFlow: about a minute here
def test_a_real_kernel_saves_one_display_and_no_control_characters(tmp_path):
    """``Trainer.fit(verbose=1)`` in a Jupyter kernel (ipykernel, run by
    nbclient as a notebook is): the saved output is one display in its last
    state, and nothing on stdout carries ``\\r``, backspaces or ANSI codes."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    code = (
        "import numpy as np\nimport nda_models as nda\n"
        "x = np.random.default_rng(0).normal(size=(96, 2)).astype('float32')\n"
        "y = (x @ np.array([2.0, -3.0]) + 5).astype('float32')\n"
        "model = nda.build_model('linear_regressor', input_dim=2)\n"
        "trainer = nda.Trainer(model, learning_rate=0.05, batch_size=16, seed=0)\n"
        "_ = trainer.fit(x, y, epochs=3, validation_data=(x, y), verbose=1)\n"
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    where = {"metadata": {"path": str(tmp_path)}}
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources=where
    )
    client.execute()
    outputs = notebook.cells[0].outputs
    displays = [o for o in outputs if o.output_type == "display_data"]
    assert len(displays) == 1, outputs
    assert '<progress value="3" max="3">' in displays[0].data["text/html"]
    assert displays[0].data["text/plain"].startswith("Epoch 3/3 - ")
    stdout = "".join(o.text for o in outputs if o.get("name") == "stdout")
    assert not CONTROL.search(stdout), repr(stdout)
    assert not [o for o in outputs if o.output_type == "error"], outputs
