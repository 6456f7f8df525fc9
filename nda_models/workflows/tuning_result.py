"""``TuningResult``: what ``tune`` returns, readable in a notebook.

In Jupyter the result shows itself (``_repr_html_``): the grid of validation
losses with batch sizes as rows and learning rates as columns, the chosen
pair highlighted, every pair that is not ``ok`` named in its cell, then the
whole table and where the outputs went.
"""

import dataclasses
import html
import math
import pathlib


@dataclasses.dataclass(repr=False)
class TuningResult:
    """The grid's table, the best pair and where the outputs went.

    Example:
        >>> import types, pandas as pd
        >>> table = pd.DataFrame({"learning_rate": [0.01, 0.1], "batch_size": [8, 8],
        ...                       "val_loss": [0.5, 0.25], "status": ["ok", "ok"]})
        >>> run = types.SimpleNamespace(model=types.SimpleNamespace(name="perceptron"),
        ...                             dataset=types.SimpleNamespace(name="iris"))
        >>> result = TuningResult(table, table.iloc[1].to_dict(), run)
        >>> result
        <TuningResult perceptron on iris: 2 pairs; best learning_rate=0.1, \
batch_size=8, val_loss=0.25>
        >>> "<td style=" in result._repr_html_()  # the chosen cell, highlighted
        True

    Attributes:
        table: pandas DataFrame, one row per (learning_rate, batch_size), with
            the columns of ``tuning_columns`` (``final_train_loss``,
            ``last_epoch_loss``, ``val_loss``, the task's validation metric,
            ``seconds``, ``status``).
        best: The row (a dict) with the lowest finite validation loss among
            the pairs that trained without diverging.
        best_run: The ``TrainingRun`` of that pair.
        bundle: The best model's bundle, or ``None``.
        results_dir: The run's results folder (``tuning/MODEL/TIMESTAMP``),
            holding ``csv_path``, ``heatmap_path`` and ``best.json``, or ``None``.
        csv_path, heatmap_path: Files written (or ``None``).
        log_dir: The TensorBoard folder of the search (or ``None``).
    """

    table: object
    best: dict
    best_run: object
    bundle: pathlib.Path | None = None
    results_dir: pathlib.Path | None = None
    csv_path: pathlib.Path | None = None
    heatmap_path: pathlib.Path | None = None
    log_dir: pathlib.Path | None = None

    @property
    def title(self):
        """``"linear_regressor on linear_synthetic: 4 pairs"``."""
        run = self.best_run
        return f"{run.model.name} on {run.dataset.name}: {len(self.table)} pairs"

    def __repr__(self):
        best = self.best
        return (
            f"<TuningResult {self.title}; best learning_rate="
            f"{best['learning_rate']:g}, batch_size={best['batch_size']}, "
            f"val_loss={best['val_loss']:.4g}>"
        )

    def _repr_html_(self):
        best = self.best
        paths = [
            (name, value)
            for name, value in (
                ("bundle", self.bundle),
                ("results", self.results_dir),
                ("TensorBoard", self.log_dir),
            )
            if value is not None
        ]
        listed = "".join(
            f"<li>{name}: <code>{html.escape(str(value))}</code></li>"
            for name, value in paths
        )
        return (
            f"<div><strong>{html.escape(self.title)}</strong>"
            f"<p>Chosen by the lowest validation loss: learning_rate = "
            f"{best['learning_rate']:g}, batch_size = {best['batch_size']} "
            f"(val_loss = {best['val_loss']:.4g}).</p>"
            f"{self._grid_html()}"
            f"<details><summary>table</summary>"
            f"{self.table.to_html(index=False, float_format=_number)}</details>"
            f"<ul>{listed}</ul></div>"
        )

    def _grid_html(self):
        """val_loss by batch size (rows) and learning rate (columns)."""
        table = self.table
        rates = sorted(set(table["learning_rate"]))
        sizes = sorted(set(table["batch_size"]))
        cells = {(r.batch_size, r.learning_rate): r for r in table.itertuples()}
        head = "".join(f"<th>η = {rate:g}</th>" for rate in rates)
        rows = []
        for size in sizes:
            tds = "".join(self._cell(cells.get((size, rate))) for rate in rates)
            rows.append(f"<tr><th>M = {size}</th>{tds}</tr>")
        return (
            "<table><caption>validation loss (final model)</caption>"
            f"<tr><th></th>{head}</tr>{''.join(rows)}</table>"
        )

    def _cell(self, row):
        if row is None:
            return "<td></td>"
        chosen = (row.learning_rate, row.batch_size) == (
            self.best["learning_rate"],
            self.best["batch_size"],
        )
        text = _number(row.val_loss) if math.isfinite(row.val_loss) else ""
        if row.status != "ok":
            text = f"{text} ({html.escape(str(row.status))})".strip()
        if chosen:
            return f'<td style="font-weight:bold;outline:2px solid red">{text} ✔</td>'
        return f"<td>{text}</td>"


def _number(value):
    return f"{value:.4g}"
