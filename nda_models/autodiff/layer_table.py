"""A ``BackpropTrace`` as an HTML table, for Jupyter's ``_repr_html_``.

The same numbers as ``BackpropTrace.table()``: per layer, in forward order,
the output's shape and norm ‖h‖ and the norm of the message ‖∂ℓ/∂h‖ that
the backward pass brings it, with the norms of its parameters' gradients.
"""

import html

from nda_models.autodiff import story_text as text
from nda_models.autodiff.layer_story import norm


def layer_table(trace):
    """The trace as an HTML ``<table>`` (str).

    Example:
        >>> import numpy as np
        >>> from types import SimpleNamespace
        >>> layer = SimpleNamespace(name="dense", activation=np.ones((2, 3)),
        ...     upstream_gradient=np.zeros((2, 3)), parameter_gradients={})
        >>> trace = SimpleNamespace(loss=0.5, inputs=np.ones((2, 4)), layers=(layer,))
        >>> "<td>dense</td>" in layer_table(trace)
        True
    """
    rows = [_row("input x", trace.inputs.shape, norm(trace.inputs), None, "")]
    for layer in trace.layers:
        collected = ", ".join(
            f"‖∂ℓ/∂{name}‖ = {text.number(norm(grad))} {tuple(grad.shape)}"
            for name, grad in layer.parameter_gradients.items()
        )
        rows.append(
            _row(
                layer.name,
                layer.activation.shape,
                norm(layer.activation),
                norm(layer.upstream_gradient),
                collected,
            )
        )
    rows.append(
        f"<tr><td>loss ℓ</td><td>()</td><td>{text.number(float(trace.loss))}</td>"
        "<td>1 (the seed)</td><td></td></tr>"
    )
    examples = trace.inputs.shape[0]
    return (
        f"<table><caption>Backpropagation of one batch ({examples} examples): "
        f"forward, input → loss; the backward messages arrive from the loss down"
        "</caption><thead><tr><th>layer</th><th>output shape</th><th>‖h‖</th>"
        "<th>‖∂ℓ/∂h‖</th><th>parameter gradients</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _row(name, shape, activation, message, collected):
    shown = "" if message is None else text.number(message)
    return (
        f"<td>{html.escape(name)}</td><td>{tuple(shape)}</td>"
        f"<td>{text.number(activation)}</td><td>{shown}</td>"
        f"<td>{html.escape(collected)}</td>"
    ).join(("<tr>", "</tr>"))
