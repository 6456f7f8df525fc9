"""The step-through page of a Keras model's backpropagation (one batch).

The layers of a ``BackpropTrace`` drawn left to right, input to loss: each
box shows its output's shape and norm ‖h‖ with a bar per unit (mean |h|
over the batch), then, when the backward pass reaches it, the norm of the
message ‖∂ℓ/∂h‖ with its own bars and the norms of its parameters'
gradients. The controls, fragment (``#step=K``; ``step=0`` is the end of the
forward pass) and script are the graph page's (``page``).

DOM contract: each layer is ``data-layer="NAME"``, with
``data-activation-norm`` once computed and ``data-grad-norm`` once its
message arrived (``repr(float)``); the layer elements come in backward
order, the last layer first. Each edge carries ``data-from``, ``data-to``
and, once sent, ``data-message`` (the message's norm).
"""

import html

from nda_models.autodiff import story_text as text
from nda_models.autodiff.graph_svg import text_width
from nda_models.autodiff.layer_story import layer_story
from nda_models.autodiff.page import controls, page_document

_GAP, _LINE, _PAD, _BARS = 64.0, 18.0, 9.0, 26.0


def layer_page(trace, *, title=None):
    """``(document, height)``: the page of ``trace`` and the frame height it needs."""
    story = layer_story(trace)
    timeline = story.timeline
    title = title or "Backpropagation, layer by layer"
    svg, height = _svg(story, timeline.last("reverse"))
    rows, columns = story.input_shape
    intro = (
        f"One batch of {rows} examples, {columns} features; {len(story.layers)} "
        f"layers, {story.parameters} parameters. Reverse mode gets every ∂ℓ/∂θ in "
        f"1 backward pass; forward mode would need {story.parameters} passes (one "
        "per parameter)."
    )
    body = "\n".join(
        [
            f'<header><h1>{html.escape(title)}</h1><p class="point">'
            f"{html.escape(intro)}</p></header>",
            controls(timeline, {"reverse": ""}),
            f'<div class="scroll">{svg}</div>',
            '<p class="help">Keys: → step, ← back, Home / End, space play. Link to '
            "a moment: <code>#step=0</code> (end of the forward pass), "
            "<code>#step=2</code>, <code>#step=last</code>, <code>#forward=1</code>."
            "</p>",
        ]
    )
    document = page_document(
        title=title, body=body, timeline=timeline, styles=(_STYLE,)
    )
    return document, height + 330


def _svg(story, t):
    timeline = story.timeline
    layers = story.layers
    height = (
        _PAD * 2
        + _LINE * (4 + max((len(v.parameters) for v in layers), default=0))
        + 2 * _BARS
    )
    box = _box_width(story)
    gap = _gap(story)
    width = (len(layers) + 2) * (box + gap) - gap + 2 * _PAD
    top = 12.0

    def state(element, keys):
        pairs = [(k, timeline.value(element, k, "reverse", t)) for k in keys]
        return "".join(f' {k}="{_escape(v)}"' for k, v in pairs if v is not None)

    def words(element):
        return _escape(timeline.value(element, "text", "reverse", t) or "")

    fit = " nda-fit" if width <= 2000 else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="nda-layers{fit}" '
        f'width="{width:.0f}" height="{height + 2 * top:.0f}" '
        f'viewBox="0 0 {width:.0f} {height + 2 * top:.0f}" role="img" '
        'aria-label="layers of the model">',
        f"<style>{_STYLE}</style>",
    ]
    x = lambda k: _PAD + k * (box + gap)  # noqa: E731 - column k's left side
    names = ["the input"] + [v.name for v in layers] + ["loss"]
    for k in range(len(layers) + 1):  # edge k: column k → column k + 1
        parts.append(
            _edge(k, x(k) + box, x(k + 1), top + height / 2, names, state, words)
        )
    parts.append(_loss_box(x(len(layers) + 1), top, height, box, state, words))
    for k in range(len(layers) - 1, -1, -1):  # backward order in the DOM
        parts.append(_layer_box(layers[k], x(k + 1), top, height, box, state, words))
    parts.append(_input_box(story, x(0), top, height, box))
    parts.append("</svg>")
    return "\n".join(parts), height + 2 * top


def _gap(story):
    """Wide enough for the widest message written on an edge."""
    timeline, end = story.timeline, story.timeline.last("reverse")
    badges = [
        timeline.value(f"E{k}b", "text", "reverse", end) or ""
        for k in range(len(story.layers) + 1)
    ]
    return max([_GAP] + [text_width(b, 12.0) + 32 for b in badges])


def _box_width(story):
    """As wide as the widest line any layer ever shows (at least 180)."""
    timeline = story.timeline
    texts = [f"output {v.shape}" for v in story.layers] + [v.name for v in story.layers]
    for view in story.layers:
        parts = [view.element + "a", view.element + "g"]
        parts += [f"{view.element}p{j}" for j in range(len(view.parameters))]
        texts += [
            timeline.value(p, "text", "reverse", timeline.last("reverse")) or ""
            for p in parts
        ]
    return max([180.0] + [text_width(t) + 2 * _PAD for t in texts])


def _lines(x, y, items):
    return "".join(
        f'<text x="{x + _PAD:.1f}" y="{y + _PAD + 13 + _LINE * i:.1f}"{ident}'
        f' class="{kind}">{content}</text>'
        for i, (kind, ident, content) in enumerate(items)
    )


def _layer_box(view, x, y, height, box, state, words):
    keys = ("data-activation-norm", "data-grad-norm", "data-state", "data-role")
    items = [
        ("head", "", _escape(view.name)),
        ("value", "", f"output {view.shape}"),
        ("value", f' id="{view.element}a"', words(view.element + "a")),
    ]
    bars_a = _bars(view.activation_profile, x, y + _PAD + _LINE * 3 + 4, box, "abars")
    grad_y = y + _BARS
    items_g = [("grad", f' id="{view.element}g"', words(view.element + "g"))]
    items_g += [
        ("local", f' id="{view.element}p{j}"', words(f"{view.element}p{j}"))
        for j in range(len(view.parameters))
    ]
    bars_g = _bars(view.grad_profile, x, y + height - _BARS - _PAD + 4, box, "gbars")
    shown = (
        ""
        if view.units <= len(view.activation_profile)
        else (f" (first {len(view.activation_profile)} of {view.units} units)")
    )
    return (
        f'<g class="layer" id="{view.element}" data-layer="{_escape(view.name)}"'
        f"{state(view.element, keys)}><title>{_escape(view.name)}{shown}</title>"
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{box:.1f}" height="{height:.1f}" '
        'rx="4"/>'
        f"{_lines(x, y, items)}{bars_a}{_lines(x, grad_y + _LINE * 3, items_g)}"
        f"{bars_g}</g>"
    )


def _bars(profile, x, y, box, kind):
    if not profile:
        return ""
    step = (box - 2 * _PAD) / len(profile)
    rects = "".join(
        f'<rect x="{x + _PAD + i * step:.1f}" y="{y + (_BARS - 8) * (1 - p):.1f}" '
        f'width="{max(step - 1, 1):.1f}" height="{max((_BARS - 8) * p, 0.5):.1f}"/>'
        for i, p in enumerate(profile)
    )
    return f'<g class="{kind}">{rects}</g>'


def _loss_box(x, y, height, box, state, words):
    items = [("head", "", "loss ℓ"), ("value", ' id="lossv"', words("lossv"))]
    keys = ("data-value", "data-state", "data-role")
    top = y + height / 2 - 30
    return (
        f'<g class="layer loss" id="loss"{state("loss", keys)}>'
        f'<rect x="{x:.1f}" y="{top:.1f}" width="{box:.1f}" height="60" rx="4"/>'
        f"{_lines(x, top, items)}</g>"
    )


def _input_box(story, x, y, height, box):
    items = [
        ("head", "", "input x"),
        ("value", "", f"{story.input_shape}"),
        ("value", "", f"‖x‖ = {text.number(story.input_norm)}"),
    ]
    top = y + height / 2 - 40
    return (
        f'<g class="input"><rect x="{x:.1f}" y="{top:.1f}" width="{box:.1f}" '
        f'height="80" rx="12"/>{_lines(x, top, items)}</g>'
    )


def _edge(k, x1, x2, y, names, state, words):
    element = f"E{k}"
    mid = (x1 + x2) / 2
    half = max(text_width(words(element + "b"), 12.0) / 2 + 6, 20.0)
    badge = (
        f'<g class="badge" transform="translate({mid:.1f},{y - 16:.1f})">'
        f'<rect x="{-half:.1f}" y="-10" width="{2 * half:.1f}" height="20" rx="4"/>'
        f'<text id="{element}b" y="4.5">{words(element + "b")}</text></g>'
    )
    keys = ("data-message", "data-active")
    return (
        f'<g class="edge" id="{element}" data-from="{_escape(names[k + 1])}" '
        f'data-to="{_escape(names[k])}"{state(element, keys)}>'
        f'<path d="M{x1:.1f},{y:.1f} L{x2 - 2:.1f},{y:.1f}"/>'
        f'<path class="head" d="M{x2 - 9:.1f},{y - 5:.1f} L{x2:.1f},{y:.1f} '
        f'L{x2 - 9:.1f},{y + 5:.1f} z"/>{badge if k else ""}</g>'
    )


def _escape(value):
    return html.escape(str(value), quote=True)


_STYLE = """
.nda-layers { font-family: "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono",
  monospace; font-size: 13px; }
.nda-layers rect { fill: #ffffff; stroke: #37474f; stroke-width: 1.3; }
.nda-layers .input rect { fill: #e3f2fd; stroke: #1565c0; }
.nda-layers text { fill: #263238; }
.nda-layers .head { font-weight: bold; }
.nda-layers .grad { font-weight: bold; fill: #2e7d32; }
.nda-layers .local { fill: #5d4037; }
.nda-layers .abars rect { fill: #64b5f6; stroke: none; }
.nda-layers .gbars rect { fill: #ba68c8; stroke: none; }
.nda-layers .layer:not([data-activation-norm]) .abars { display: none; }
.nda-layers .layer:not([data-grad-norm]) .gbars { display: none; }
.nda-layers .layer[data-state="pending"] text { fill: #b0bec5; }
.nda-layers .layer[data-state="current"] > rect { stroke: #ef6c00; stroke-width: 3; }
.nda-layers .layer[data-role="receive"] > rect { stroke: #ef6c00; stroke-width: 3;
  fill: #fff3e0; }
.nda-layers .layer[data-role="send"] > rect { stroke: #6a1b9a; stroke-width: 3; }
.nda-layers .edge path { fill: none; stroke: #90a4ae; stroke-width: 1.8; }
.nda-layers .edge path.head { fill: #78909c; stroke: none; }
.nda-layers .edge[data-message] path { stroke: #6a1b9a; }
.nda-layers .edge[data-active] path { stroke: #ef6c00; stroke-width: 3.5; }
.nda-layers .badge { display: none; }
.nda-layers .edge[data-message] .badge { display: inline; }
.nda-layers .badge rect { fill: #f3e5f5; stroke: #6a1b9a; stroke-width: 1; }
.nda-layers .edge[data-active] .badge rect { fill: #ef6c00; stroke: #ef6c00; }
.nda-layers .badge text { font-size: 12px; text-anchor: middle; fill: #4a148c; }
.nda-layers .edge[data-active] .badge text { fill: #ffffff; font-weight: bold; }
"""
