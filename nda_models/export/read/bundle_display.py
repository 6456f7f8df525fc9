"""How a ``LoadedModel`` shows itself: one line in a terminal, a table in Jupyter.

Everything shown comes from the bundle's metadata.json, which anyone can
write, so every string is escaped (``html.escape``, quotes included) before
it goes into the HTML table: a feature named ``<script>`` is shown as text,
never run by the notebook. On a terminal, the same holds for control
characters: ``terminal_text`` writes an escape sequence (``\x1b]0;...``, which
retitles the window, clears lines or hides text) as the characters ``\x1b``,
as ``repr`` does, wherever the command line prints a bundle's names.

Example:
    >>> model = nda.build_model("perceptron", input_dim=2)
    >>> bundle = nda.load_model(nda.save_model(model, "b", feature_names=["x", "<y>"]))
    >>> "&lt;y&gt;" in bundle._repr_html_() and "<y>" not in bundle._repr_html_()
    True
"""

import html

_SHOWN_NAMES = 8


def terminal_text(value):
    """``str(value)`` with every non-printable character but the newline
    written as its escape (``'\\x1b'``), so a terminal shows it as text.

    Example:
        >>> print(terminal_text("setosa" + chr(27) + "[2J" + chr(13) + "ok"))
        setosa\\x1b[2J\\rok
    """
    return "".join(
        char if char.isprintable() or char == "\n" else repr(char)[1:-1]
        for char in str(value)
    )


def summary_rows(bundle):
    """``(label, text)`` pairs describing ``bundle``, in display order."""
    metadata = bundle.metadata
    metrics = metadata.get("metrics") or {}
    return [
        ("model", str(metadata.get("registry_name") or "(not in the registry)")),
        ("task", f"{bundle.task} ({bundle.output_kind})"),
        ("features", _names(bundle.feature_names, bundle.input_dim)),
        ("classes", _names(bundle.class_names, None) if bundle.class_names else "-"),
        ("runtime", bundle.runtime),
        ("metrics", ", ".join(f"{k}: {_number(v)}" for k, v in metrics.items()) or "-"),
        ("created", str(metadata.get("created", "-"))),
        ("path", "-" if bundle.path is None else str(bundle.path)),
    ]


def html_table(bundle):
    """The rows of ``summary_rows`` as an HTML table, every string escaped."""
    cells = "".join(
        f"<tr><th style='text-align:left'>{html.escape(label)}</th>"
        f"<td style='text-align:left'>{html.escape(text)}</td></tr>"
        for label, text in summary_rows(bundle)
    )
    return f"<table><caption>nda_models bundle</caption>{cells}</table>"


def one_line(bundle):
    """``LoadedModel(model=..., task=..., ...)`` with the same facts."""
    rows = dict(summary_rows(bundle))
    fields = ", ".join(
        f"{key}={rows[key]!r}" for key in ("model", "task", "features", "classes")
    )
    return (
        f"LoadedModel({fields}, runtime={bundle.runtime!r}, "
        f"created={rows['created']!r}, path={rows['path']!r})"
    )


def _names(names, count):
    if names is None:
        return f"{count} (unnamed)"
    shown = ", ".join(str(name) for name in names[:_SHOWN_NAMES])
    more = (
        f", ... ({len(names) - _SHOWN_NAMES} more)" if len(names) > _SHOWN_NAMES else ""
    )
    return f"{len(names)}: {shown}{more}"


def _number(value):
    return f"{value:.4g}" if isinstance(value, float) else str(value)
