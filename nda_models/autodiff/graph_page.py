"""The step-through page of a computational graph (issue 25).

One self-contained HTML file: the graph (inline SVG), the controls (reverse
or forward mode, back / step / play / reset, a slider, the arrow keys), the
product of the current message and a sentence saying it, and the gradient
beside its finite-difference check. Every state is precomputed
(``graph_story``); the URL fragment names one (``#mode=reverse&step=3``).

DOM contract, for tests and scripts: each node is ``data-node="NAME"`` with
``data-value`` (its value, once computed) and ``data-grad`` (see
``graph_story``: ∂g/∂node in reverse mode, the tangent ∂node/∂θ_i of the
current pass in forward mode); each edge has ``data-from``, ``data-to`` and,
once sent, ``data-message``; each gradient row ``data-input``,
``data-gradient`` (once final) and ``data-finite-difference``. Attributes
hold ``repr(float)``; what is displayed is rounded.
"""

import html

from nda_models.autodiff import story_text as text
from nda_models.autodiff.forward_mode import forward_mode
from nda_models.autodiff.graph_story import graph_story
from nda_models.autodiff.graph_svg import SVG_STYLE, graph_svg, story_layout
from nda_models.autodiff.page import controls, page_document
from nda_models.autodiff.reverse_mode import reverse_mode


def both_modes(graph, given=None):
    """``{"reverse": ..., "forward": ...}`` results of ``graph``, messages kept.

    ``given`` (an ``AutodiffResult`` of the graph) is reused when it recorded
    its messages; the other mode is run by the engine.
    """
    runs = {"reverse": reverse_mode, "forward": forward_mode}
    results = {}
    for mode, run in runs.items():
        if given is not None and given.mode == mode and given.messages:
            results[mode] = given
        else:
            results[mode] = run(graph)
    return results


def graph_page(graph, results, *, default_mode="reverse", title=None, formula=None):
    """The page's HTML for ``graph`` differentiated as in ``results``.

    Args:
        graph: A ``Graph``.
        results: ``{mode: AutodiffResult}`` with messages (``both_modes``).
        default_mode: The mode the page opens in.
        title: Heading (default: "Backpropagation, step by step").
        formula: A line under it, e.g. the lecture example's formula.

    Returns:
        ``(document, height)``: the HTML, and the height a notebook frame
        needs to show it without scrolling.
    """
    story = graph_story(graph, results, default_mode)
    layout = story_layout(story)
    timeline = story.timeline
    end = timeline.last(default_mode)
    svg = graph_svg(story, layout, default_mode, end, prefix="")
    title = title or "Backpropagation, step by step"
    labels = {mode: _mode_label(mode, results[mode].passes) for mode in timeline.modes}
    body = "\n".join(
        [
            f"<header><h1>{html.escape(title)}</h1>{_formula(graph, formula)}"
            f"{_point(graph)}</header>",
            controls(timeline, labels),
            f'<div class="scroll">{svg}</div>',
            _gradient_table(story, default_mode, end),
            _legend(),
        ]
    )
    document = page_document(
        title=title, body=body, timeline=timeline, styles=(SVG_STYLE,)
    )
    return document, layout.height + 560 + 30 * len(graph.inputs)


def _mode_label(mode, passes):
    plural = "pass" if passes == 1 else "passes"
    if mode == "reverse":
        return f'Reverse mode (backprop): <span class="passes">{passes} {plural}</span>'
    return f'Forward mode: <span class="passes">{passes} {plural}</span>, one per input'


def _formula(graph, formula):
    if formula is None:
        formula = text.header(graph, graph.output)
    return f'<p class="formula">{html.escape(formula)}</p>'


def _point(graph):
    inputs = ", ".join(
        f"{graph.label(x)} = {text.number(x.value)}" for x in graph.inputs
    )
    data = [n for n in graph.nodes if n.kind == "constant" and n.name is not None]
    words = f"at {inputs}"
    if data:
        words += "; data " + ", ".join(
            f"{graph.label(n)} = {text.number(n.value)}" for n in data
        )
    return f'<p class="point">{html.escape(words)}</p>'


def _gradient_table(story, mode, t):
    timeline = story.timeline
    symbol = html.escape(story.symbol)
    rows = []
    for row in story.gradients:
        final = timeline.value(row.element, "data-gradient", mode, t)
        attribute = "" if final is None else f' data-gradient="{final}"'
        shown = timeline.value(row.element + "g", "text", mode, t) or ""
        check = timeline.value(row.element + "c", "text", mode, t) or ""
        difference = (
            "" if row.finite_difference is None else repr(row.finite_difference)
        )
        rows.append(
            f'<tr id="{row.element}" data-input="{html.escape(row.name)}"'
            f' data-finite-difference="{difference}"{attribute}>'
            f"<td>{html.escape(row.name)} = {text.number(row.theta)}</td>"
            f'<td class="engine" id="{row.element}g">{html.escape(shown)}</td>'
            f"<td>{text.number(row.finite_difference)}</td>"
            f'<td class="{_agreement_class(row)}" id="{row.element}c">'
            f"{html.escape(check)}</td></tr>"
        )
    return (
        "<section><h2>Gradient</h2>"
        '<table class="gradient"><thead><tr><th>input</th>'
        f"<th>∂{symbol}/∂input (this mode)</th>"
        f"<th>finite difference ({symbol}(θ + h·eᵢ) − {symbol}(θ − h·eᵢ)) / 2h</th>"
        "<th>check</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _agreement_class(row):
    values = [g for g in row.gradient.values() if g is not None]
    if row.finite_difference is None or not values:
        return "check"
    words = text.agreement(values[0], row.finite_difference)
    return "agree" if words.startswith("✓") else "disagree"


def _legend():
    swatches = [
        ("variable", "input θ_i (variable)"),
        ("constant", "data (constant: receives no message)"),
        ("block", "block: value, local derivatives, ∂g/∂block"),
        ("current", "computing / receiving"),
        ("sender", "sending"),
    ]
    items = "".join(
        f'<span><span class="swatch {kind}"></span>{words}</span>'
        for kind, words in swatches
    )
    return (
        f'<div class="legend">{items}</div>'
        '<p class="help">Keys: → step, ← back, Home / End, space play. '
        "Link to a moment: <code>#mode=reverse&amp;step=3</code> (after the "
        "3rd message), <code>#step=0</code> (end of the forward pass), "
        "<code>#step=last</code>, <code>#mode=forward</code>, "
        "<code>#forward=2</code> (forward pass, 2 blocks computed), "
        "<code>#play=1</code>.</p>"
    )
