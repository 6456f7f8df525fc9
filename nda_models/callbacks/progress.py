"""Progress that fits where it goes: a terminal, a notebook, a file or a pipe.

``Trainer.fit(verbose=1)`` (and ``nda train``, ``nda tune``) report progress
with the callback ``progress_callback`` picks for the current ``sys.stdout``:

- a terminal (``isatty()``): Keras's own progress bar (``ProgbarLogger``),
  redrawn in place with ``\\r`` and colours;
- a Jupyter kernel (IPython's ``ZMQInteractiveShell``): ``NotebookProgress``,
  one HTML display updated in place (the saved notebook keeps its last state,
  never a trail of control characters);
- anything else (a redirected file, a pipe, pytest's capture):
  ``EpochLines``, one plain line per epoch, flushed, without ``\\r``,
  backspaces or ANSI codes.

``verbose=2`` always gives ``EpochLines``. Keras's bar alone cannot tell: it
redraws with ``\\r`` wherever ``"posix" in sys.modules``, files included.

Example:
    >>> import io, contextlib
    >>> type(progress_callback(1)).__name__  # doctests capture stdout: no tty
    'EpochLines'
    >>> progress = progress_callback(2)
    >>> progress.set_params({"epochs": 3})
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     progress.on_train_begin()
    ...     progress.on_epoch_end(0, {"loss": 0.5, "val_loss": 0.25})
    >>> out.getvalue()  # doctest: +ELLIPSIS
    'Epoch 1/3 - ...s - loss: 0.5000 - val_loss: 0.2500\\n'
"""

import html
import sys
import time

import keras

from nda_models.core.constraints import Options
from nda_models.core.lazy_module import lazy_module

ipython_display = lazy_module("IPython.display")  # only in a Jupyter kernel

# A notebook display is redrawn at most this often within an epoch (seconds).
NOTEBOOK_INTERVAL = 0.2

#: ``verbose=`` of ``fit``, as in Keras ("auto" means 1).
VERBOSITIES = Options(
    (0, 1, 2, "auto"),
    noun="verbose level",
    meaning=": 0 silent, 1 progress (a bar on a terminal, a display in a notebook, "
    "one line per epoch in a file or pipe), 2 one line per epoch, 'auto' means 1",
)


def progress_callback(verbose):
    """The progress callback for ``verbose`` and the current ``sys.stdout``.

    Args:
        verbose: 0 (none), 1 (a bar on a terminal, a display in a notebook,
            one line per epoch elsewhere) or 2 (one line per epoch).

    Returns:
        A ``keras.callbacks.Callback``, or ``None`` for ``verbose=0``.
    """
    if not verbose:
        return None
    if verbose == 2:
        return EpochLines()
    if in_notebook():
        return NotebookProgress()
    if _isatty(sys.stdout):
        return keras.callbacks.ProgbarLogger()
    return EpochLines()


def in_notebook():
    """True inside a Jupyter kernel (IPython is then already imported).

    The kernel's shell is IPython's ``ZMQInteractiveShell`` or a subclass of
    it (Google Colab's); a terminal IPython is not a notebook.
    """
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    shell = get_ipython() if callable(get_ipython) else None
    return any(cls.__name__ == "ZMQInteractiveShell" for cls in type(shell).__mro__)


def _isatty(stream):
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except ValueError:  # a closed stream
        return False


def format_logs(logs):
    """``"loss: 0.1234 - val_loss: 0.2345"``, numbers as Keras prints them.

    The order is fixed: the loss, the metrics, their ``val_`` twins, then the
    rest (``learning_rate``), whatever order the logs were filled in.
    """
    parts = []
    for key, value in sorted((logs or {}).items(), key=_log_position):
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        small = 0 < abs(number) < 1e-3
        shown = f"{number:.4e}" if small else f"{number:.4f}"
        parts.append(f"{key}: {shown}")
    return " - ".join(parts)


def _log_position(item):
    key = item[0]
    name = key.removeprefix("val_")
    group = 2 if key == "learning_rate" else int(key.startswith("val_"))
    return group, name != "loss"


class EpochLines(keras.callbacks.Callback):
    """One plain line per epoch on ``sys.stdout``: for files, pipes and logs.

    ``Epoch 3/20 - 0.4s - loss: 0.1234 - val_loss: 0.2345``, flushed at once
    so that ``tail -f`` and a pipe see each epoch as it ends.
    """

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        seconds = time.perf_counter() - self._start
        epochs = self.params.get("epochs", "?")
        line = f"Epoch {epoch + 1}/{epochs} - {seconds:.1f}s"
        shown = format_logs(logs)
        print(f"{line} - {shown}" if shown else line, flush=True)


class NotebookProgress(keras.callbacks.Callback):
    """A progress display for Jupyter, updated in place (IPython's display).

    Shows the epochs done as an HTML ``<progress>`` bar, the step within the
    epoch and the last epoch's logs; the display's plain-text form is the
    same line as ``EpochLines``. Nothing is written to the cell's stdout.
    """

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()
        self._epoch, self._step, self._logs, self._shown = 0, 0, {}, 0.0
        self._handle = ipython_display.display(
            self._View(self._text(), self._html()), display_id=True
        )

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch, self._step = epoch, 0

    def on_train_batch_end(self, batch, logs=None):
        self._step = batch + 1
        if time.perf_counter() - self._shown >= NOTEBOOK_INTERVAL:
            self._update()

    def on_epoch_end(self, epoch, logs=None):
        self._epoch, self._logs = epoch + 1, dict(logs or {})
        self._update()

    def on_train_end(self, logs=None):
        self._update()

    def _update(self):
        self._shown = time.perf_counter()
        if self._handle is not None:
            self._handle.update(self._View(self._text(), self._html()))

    def _text(self):
        epochs = self.params.get("epochs", "?")
        seconds = time.perf_counter() - self._start
        line = f"Epoch {self._epoch}/{epochs} - {seconds:.1f}s"
        shown = format_logs(self._logs)
        return f"{line} - {shown}" if shown else line

    def _html(self):
        epochs = self.params.get("epochs") or 1
        steps = self.params.get("steps")
        within = f", step {self._step}/{steps}" if steps and self._step else ""
        seconds = time.perf_counter() - self._start
        cells = "".join(
            f"<td>{html.escape(str(part))}</td>"
            for part in format_logs(self._logs).split(" - ")
            if part
        )
        return (
            f'<div><progress value="{self._epoch}" max="{epochs}"></progress> '
            f"Epoch {self._epoch}/{epochs}{within} &middot; {seconds:.1f} s"
            f"<table><tr>{cells}</tr></table></div>"
        )

    class _View:
        """What the display shows: HTML in Jupyter, the text line elsewhere."""

        def __init__(self, text, markup):
            self.text, self.markup = text, markup

        def __repr__(self):
            return self.text

        def _repr_html_(self):
            return self.markup
