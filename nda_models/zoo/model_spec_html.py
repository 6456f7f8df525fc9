"""A ``ModelSpec`` as an HTML table, for Jupyter's ``_repr_html_``.

Every value is escaped: a plugin's summary or default (any string) cannot
inject markup into the notebook.

Example:
    >>> import nda_models as nda
    >>> markup = model_spec_html(nda.describe_model("perceptron"))
    >>> "<th>loss</th>" in markup and "perceptron_criterion" in markup
    True
"""

import html


def model_spec_html(spec):
    """The facts of ``spec``: one row each, then the hyper-parameters and
    their defaults (required ones marked), in the builder's order."""
    facts = [
        ("task", spec.task),
        ("output kind", spec.output_kind),
        ("loss", f"{spec.loss}: {spec.loss_definition}"),
        ("metrics", ", ".join(spec.metrics) or "none"),
        ("loss reads", spec.loss_input or "the model's output"),
    ]
    rows = "".join(
        f"<tr><th>{html.escape(name)}</th><td>{html.escape(str(value))}</td></tr>"
        for name, value in facts
    )
    hparams = "".join(
        f"<tr><td><code>{html.escape(name)}</code></td>"
        f"<td>{_default(spec, name)}</td></tr>"
        for name in spec.hparams
    )
    return (
        f"<div><p><strong>{html.escape(spec.name)}</strong>: "
        f"{html.escape(spec.summary)}</p>"
        f"<table>{rows}</table>"
        f"<table><thead><tr><th>hyper-parameter</th><th>default</th></tr></thead>"
        f"<tbody>{hparams}</tbody></table></div>"
    )


def _default(spec, name):
    if name in spec.required:
        return "<em>required</em>"
    return f"<code>{html.escape(repr(spec.defaults[name]))}</code>"
