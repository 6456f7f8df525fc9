"""How a ``Dataset`` shows itself: one line in a terminal, a table in Jupyter.

The table (``_repr_html_``) gives the name, the task, the size of each split,
the features (the first few and how many more), the classes, a summary of
the normalisation statistics of the training split and its first rows.
Names come from the user's files (a CSV header, a class label), so every
string is escaped (``html.escape``, quotes included): a column named
``<script>`` is shown as text, never run by the notebook.

Example:
    >>> ds = nda.load_dataset("iris")
    >>> print(one_line(ds))  # doctest: +NORMALIZE_WHITESPACE
    Dataset(name='iris', task='multiclass', input_dim=4, train=(90, 4),
            val=(30, 4), test=(30, 4), classes=('setosa', 'versicolor', 'virginica'))
    >>> "<th" in html_table(ds) and "sepal length (cm)" in html_table(ds)
    True
"""

import html

import numpy as np

from nda_models.data.shown_names import LIMIT, shown_names

ROWS_SHOWN = 5


def one_line(ds):
    """``Dataset(name=..., task=..., input_dim=..., train=(n, d), ...)``."""
    classes = ""
    if ds.class_names is not None:
        names = ds.class_names
        shown = (
            repr(names)
            if len(names) <= LIMIT
            else f"({shown_names(names, quote=True)})"
        )
        classes = f", classes={shown}"
    return (
        f"Dataset(name={ds.name!r}, task={ds.task!r}, "
        f"input_dim={ds.input_dim}, train={ds.x_train.shape}, "
        f"val={ds.x_val.shape}, test={ds.x_test.shape}{classes})"
    )


def summary_rows(ds):
    """``(label, text)`` pairs describing ``ds``, in display order."""
    sizes = [len(ds.y_train), len(ds.y_val), len(ds.y_test)]
    rows = [
        ("name", ds.name),
        ("task", ds.task),
        ("rows", f"{sum(sizes)}: train {sizes[0]}, val {sizes[1]}, test {sizes[2]}"),
        ("features", f"{ds.input_dim}: {shown_names(ds.feature_names)}"),
        ("target", ds.target_name),
    ]
    if ds.class_names is not None:
        rows.append(("classes", f"{ds.num_classes}: {shown_names(ds.class_names)}"))
    rows.append(("normalization", _normalization_summary(ds)))
    return rows


def _normalization_summary(ds):
    """The range of the training split's feature means and standard deviations."""
    try:
        mean, variance = ds.normalization
    except ValueError as error:  # a column too large for float32
        return f"not available: {str(error).split('. ')[0]}"
    std = np.sqrt(variance)
    return (
        f"x_train mean from {mean.min():.4g} to {mean.max():.4g}, standard "
        f"deviation from {std.min():.4g} to {std.max():.4g} (over {ds.input_dim} "
        "features)"
    )


def html_table(ds):
    """The summary and the first training rows as HTML, every string escaped."""
    cells = "".join(
        f"<tr><th style='text-align:left'>{_text(label)}</th>"
        f"<td style='text-align:left'>{_text(text)}</td></tr>"
        for label, text in summary_rows(ds)
    )
    summary = f"<table><caption>nda_models dataset</caption>{cells}</table>"
    return f"<div>{summary}{_first_rows(ds)}</div>"


def _first_rows(ds):
    """The first ``ROWS_SHOWN`` training rows: the first few features, then
    ``...`` when there are more, then the target (by class name)."""
    columns = list(ds.feature_names[:LIMIT])
    more = ds.input_dim > LIMIT
    header = [*columns, *(["…"] if more else []), ds.target_name]
    head = "".join(f"<th>{_text(name)}</th>" for name in header)
    body = ""
    for x, y in zip(ds.x_train[:ROWS_SHOWN], ds.y_train[:ROWS_SHOWN], strict=True):
        values = [f"{value:.4g}" for value in x[:LIMIT]] + (["…"] if more else [])
        label = f"{y:.4g}" if ds.class_names is None else ds.class_names[y]
        body += "<tr>" + "".join(f"<td>{_text(v)}</td>" for v in [*values, label])
        body += "</tr>"
    caption = f"first {min(ROWS_SHOWN, len(ds.y_train))} training rows"
    return (
        f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _text(value):
    return html.escape(str(value), quote=True)
