"""What a student looks at stays readable (issues 24 and 26): the iteration
table on every zoo model, ``ValidationLossTracker`` as a frame, a plot and a
table, ``ModelSpec`` as a table; HTML checked with Python's own parser."""

from html.parser import HTMLParser

import numpy as np
import pytest

import nda_models as nda
from nda_models.callbacks.iteration_table import MAX_COMPONENTS, MAX_LINE
from nda_models.training import IterationTable, Trainer, ValidationLossTracker


class _Page(HTMLParser):
    """Tags seen and the text of every table cell (th and td), in order."""

    def __init__(self, markup):
        super().__init__()
        self.tags, self.cells, self._open = set(), [], False
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag in ("th", "td"):
            self._open = True
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self._open = False

    def handle_data(self, data):
        if self._open:
            self.cells[-1] += data.strip()


def _data(task, n=24, d=2):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, d)).astype(np.float32)
    if task == "regression":
        return x, (x @ [2.0, -3.0] + 5).astype(np.float32), {}
    if task == "binary":
        return x, (x[:, 0] > 0).astype(np.int32), {}
    return x, (np.arange(n) % 3).astype(np.int32), {"num_classes": 3}


def _flat_weights(model):
    return np.concatenate([np.ravel(v.numpy()) for v in model.trainable_variables])


@pytest.mark.parametrize("name", nda.list_models())
def test_iteration_table_lines_stay_short_on_every_zoo_model(name):
    task = nda.describe_model(name).task
    x, y, hparams = _data(task)
    model = nda.build_model(name, input_dim=2, **hparams)
    theta_0 = _flat_weights(model)
    lines = []
    table = IterationTable(every=1, print_fn=lines.append)
    Trainer(model, batch_size=len(x), learning_rate=0.01, seed=0).fit(
        x, y, epochs=2, callbacks=[table]
    )
    assert [row["iteration"] for row in table.rows] == [0, 1, 2]
    assert max(len(line) for line in lines) <= MAX_LINE, name
    if theta_0.size <= MAX_COMPONENTS:  # the slide's columns, one per component
        assert lines[0].split()[:3] == ["#it", "Loss", "Gradient"]
        assert len(lines[2].split()) == 2 + 2 * theta_0.size
    else:  # norms, and the header says over how many parameters
        assert lines[0].split()[:4] == ["#it", "Loss", "‖∇J‖", "‖Θ‖"]
        assert f"({theta_0.size} parameters" in lines[0]
        iteration, _, _, theta_norm = lines[1].split()
        assert iteration == "0"
        assert float(theta_norm) == pytest.approx(np.linalg.norm(theta_0), abs=6e-4)


def _softmax_gradient_norm(kernel, bias, x, y):
    """Oracle: ‖∇J‖ of the mean NLL of softmax regression, in NumPy."""
    logits = x @ kernel + bias
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    error = (p - np.eye(kernel.shape[1])[y]) / len(x)
    return np.linalg.norm(np.concatenate([(x.T @ error).ravel(), error.sum(axis=0)]))


def test_the_norm_column_is_the_norm_of_the_whole_gradient():
    x, y, _ = _data("multiclass")
    model = nda.build_model("softmax_classifier", input_dim=2, num_classes=3)
    kernel, bias = (v.numpy().astype(np.float64) for v in model.trainable_variables)
    lines = []
    Trainer(model, batch_size=len(x), seed=0).fit(
        x, y, callbacks=[IterationTable(every=1, print_fn=lines.append)]
    )
    gradient_norm = float(lines[1].split()[2])
    expected = _softmax_gradient_norm(kernel, bias, x.astype(np.float64), y)
    assert gradient_norm == pytest.approx(expected, abs=6e-4)


def test_a_silent_table_keeps_its_rows_and_shows_them_as_html(capsys):
    x, y, _ = _data("regression")
    model = nda.build_model("linear_regressor", input_dim=2)
    table = IterationTable(every=2, print_fn=None)
    Trainer(model, batch_size=len(x), learning_rate=0.1, seed=0).fit(
        x, y, epochs=4, callbacks=[table]
    )
    assert capsys.readouterr().out == ""
    page = _Page(table._repr_html_())
    assert {"table", "th", "td"} <= page.tags and "script" not in page.tags
    assert page.cells[:8] == ["#it", "Loss", "∂w1", "∂w2", "∂b", "w1", "w2", "b"]
    rows = [page.cells[8 + 8 * k : 16 + 8 * k] for k in range(len(table.rows))]
    assert [row[0] for row in rows] == ["0", "2", "4"]
    for cells, row in zip(rows, table.rows, strict=True):
        assert float(cells[1]) == pytest.approx(row["loss"], abs=6e-4)
        np.testing.assert_allclose([float(c) for c in cells[5:]], row["theta"],
                                   atol=6e-4)  # fmt: skip


@pytest.fixture(scope="module")
def tracker():
    x, y, _ = _data("regression", n=40)
    tracker = ValidationLossTracker()
    model = nda.build_model("linear_regressor", input_dim=2)
    Trainer(model, learning_rate=0.05, batch_size=8, seed=0).fit(
        x[:30], y[:30], epochs=5, validation_data=(x[30:], y[30:]),
        callbacks=[tracker],
    )  # fmt: skip
    return tracker


def test_to_frame_is_indexed_by_epoch_from_one(tracker):
    frame = tracker.to_frame()
    assert frame.index.name == "epoch" and frame.index.tolist() == [1, 2, 3, 4, 5]
    assert frame.columns.tolist() == ["loss", "val_loss"]
    assert frame.loc[tracker.best_epoch, "val_loss"] == min(tracker.val_losses)


def test_to_frame_plot_draws_the_two_curves_against_the_epoch(tracker):
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    axes = tracker.to_frame().plot()
    try:
        lines = axes.get_lines()
        assert [line.get_label() for line in lines] == ["loss", "val_loss"]
        for line, values in zip(lines, (tracker.losses, tracker.val_losses),
                                strict=True):  # fmt: skip
            assert line.get_xdata().tolist() == [1, 2, 3, 4, 5]
            np.testing.assert_allclose(line.get_ydata(), values)
        assert axes.get_xlabel() == "epoch"
    finally:
        plt.close(axes.figure)


def test_the_tracker_shows_its_best_epoch_and_table(tracker):
    page = _Page(tracker._repr_html_())
    assert "table" in page.tags and "script" not in page.tags
    assert page.cells[:6] == ["", "loss", "val_loss", "epoch", "", ""]
    assert [int(c) for c in page.cells[6::3]] == [1, 2, 3, 4, 5]
    best = f"lowest val_loss at epoch <strong>{tracker.best_epoch}</strong>"
    assert best in tracker._repr_html_()
    assert repr(tracker).startswith("<ValidationLossTracker: 5 epochs, lowest val_loss")
    assert "no epoch" in ValidationLossTracker()._repr_html_()


def test_model_spec_shows_as_a_table():
    page = _Page(nda.describe_model("mlp_classifier")._repr_html_())
    cells = dict(zip(page.cells[:10:2], page.cells[1:10:2], strict=True))
    assert cells["task"] == "multiclass"
    assert cells["loss"].startswith("negative_log_likelihood: J = (1/M)")
    assert cells["loss reads"] == "log_probabilities"
    hparams = dict(zip(page.cells[12::2], page.cells[13::2], strict=True))
    assert hparams["input_dim"] == "required" and hparams["num_classes"] == "required"
    assert hparams["hidden_units"] == "(64, 64)" and hparams["activation"] == "'relu'"


def test_model_spec_html_escapes_a_plugins_strings(isolated_registry):
    evil = "<script>alert(1)</script>"

    @nda.register_model(task="regression", loss="mean_squared_error",
                        output_kind="regression")  # fmt: skip
    def hostile_model(*, input_dim, note="<img src=x onerror=alert(2)>"):
        """<b>bold</b> <script>alert(1)</script>"""

    markup = nda.describe_model("hostile_model")._repr_html_()
    page = _Page(markup)
    assert not {"script", "img", "b"} & page.tags
    assert evil in markup.replace("&lt;", "<").replace("&gt;", ">")
    assert "'<img src=x onerror=alert(2)>'" in page.cells


def test_lecture_figures_put_epochs_on_integer_ticks(tracker):
    """Epochs are whole numbers: no tick at epoch 2.5 (issue 26)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from nda_models.lecture.sections import mlp, sampling_methods

    curves = {"a": ("mlp_regressor", tracker), "b": ("mlp_classifier", tracker)}
    rng = np.random.default_rng(0)
    paths = {name: rng.normal(size=(5, 3)) for name in ("uniform", "preshuffle")}
    figures = [
        mlp.learning_curves_figure(curves),
        sampling_methods.sampling_figure(paths, np.zeros(3)),
    ]
    try:
        for figure in figures:
            figure.canvas.draw()
            ticks = figure.axes[0].get_xticks()
            assert len(ticks) >= 2 and np.all(ticks == np.round(ticks)), ticks
    finally:
        for figure in figures:
            plt.close(figure)
