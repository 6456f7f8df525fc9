"""The computational graph as inline SVG, in any one state of its story.

Boxes as the slides draw them: variables (the inputs θ_i) in rounded blue
boxes, constants (data) dashed, blocks with what they compute, their value,
the local derivatives they store and, once the backward pass has reached
them, ∂g/∂(block). Edges point the way the forward pass goes; a message is
written on its edge. Sizes come from the text (a monospace font, so widths
are known without a browser) and ``layered_layout`` places everything.

The same markup is the page's graph and a notebook's ``_repr_svg_``: every
element carries the page's data attributes (``data-node``, ``data-value``,
``data-grad``; ``data-from``, ``data-to``, ``data-message``) for the state
drawn.
"""

import html
import itertools
import unicodedata

from nda_models.autodiff.layout import layered_layout

FONT_SIZE = 13.0
LINE = 18.0
PAD = 8.0
CHAR = 0.61  # advance of a monospace character, in em (DejaVu Sans Mono: 0.602)
NODE_KEYS = ("data-value", "data-state", "data-grad", "data-grad-state", "data-role")
EDGE_KEYS = ("data-from", "data-to", "data-message", "data-active")
_COUNTER = itertools.count()
_ROLES = {"v": "value", "l": "local", "g": "grad"}  # n4v, n4l0, n4g


def text_width(text, size=FONT_SIZE):
    """Width of ``text`` in a monospace font: wide (CJK) characters count twice.

    Example:
        >>> round(text_width("∂ℓ/∂w = 2"), 2)
        71.37
    """
    cells = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        cells += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return cells * CHAR * size


def box_size(view):
    """``(width, height)`` of a node's box: its widest line, all its lines."""
    texts = [view.header] + [widest for _, widest in view.lines]
    width = max(text_width(t) for t in texts) + 2 * PAD
    return (max(width, 40.0), 2 * PAD + LINE * len(texts) - (LINE - FONT_SIZE))


def badge_width(text):
    """Width of the label written on an edge (0 for an edge with none)."""
    return text_width(text, FONT_SIZE - 1) + 10 if text else 0.0


def story_layout(story):
    """Lays out the graph of a ``GraphStory`` (boxes sized by their text)."""
    sizes = [box_size(view) for view in story.nodes]
    edges = [(edge.parent, edge.child) for edge in story.edges]
    labels = [badge_width(edge.badge) for edge in story.edges]
    return layered_layout(sizes, edges, label_widths=labels)


def graph_svg(story, layout, mode, t, *, prefix=None):
    """The graph's SVG in the state of position ``t`` of ``mode``.

    Args:
        story: A ``GraphStory``.
        layout: Its ``story_layout``.
        mode: ``"reverse"`` or ``"forward"``.
        t: The position (see ``Timeline``).
        prefix: Prefix of the marker ids, unique per drawing in a notebook
            (default: a fresh one); the page uses ``""``.

    Returns:
        The ``<svg>`` element (str).
    """
    prefix = f"nda{next(_COUNTER)}-" if prefix is None else prefix
    timeline = story.timeline

    def state(element, keys):
        pairs = [(key, timeline.value(element, key, mode, t)) for key in keys]
        return "".join(f' {key}="{_escape(v)}"' for key, v in pairs if v is not None)

    def words(element):
        return _escape(timeline.value(element, "text", mode, t) or "")

    many = " nda-many" if len(story.edges) > 40 else ""
    fit = " nda-fit" if layout.width <= 2000 else ""  # narrower: scaled to fit
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="nda-graph{many}{fit}" '
        f'data-mode="{mode}" width="{layout.width:.0f}" height="{layout.height:.0f}" '
        f'viewBox="0 0 {layout.width:.1f} {layout.height:.1f}" role="img" '
        f'aria-label="computational graph of {_escape(story.symbol)}">',
        f"<style>{SVG_STYLE}</style>",
        _markers(prefix),
    ]
    for view, box in zip(story.nodes, layout.boxes, strict=True):
        parts.append(_node(view, box, state(view.element, NODE_KEYS), words))
    for edge, route, point in zip(
        story.edges, layout.routes, layout.label_points, strict=True
    ):
        parts.append(_edge(story, edge, route, point, state, words, prefix))
    parts.append("</svg>")
    return "\n".join(parts)


def _node(view, box, attributes, words):
    x, y, width, height = box
    rx = 14 if view.kind == "variable" else 3
    lines = [
        f'<tspan class="head" x="{x + PAD:.1f}" dy="0">{_escape(view.header)}</tspan>'
    ]
    for part, _ in view.lines:
        role = _ROLES[part[len(view.element)]]
        lines.append(
            f'<tspan id="{part}" class="{role}" x="{x + PAD:.1f}" dy="{LINE}">'
            f"{words(part)}</tspan>"
        )
    return (
        f'<g class="node" id="{view.element}" data-node="{_escape(view.name)}" '
        f'data-kind="{view.kind}"{attributes}>'
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'rx="{rx}"/>'
        f'<text x="{x + PAD:.1f}" y="{y + PAD + FONT_SIZE - 2:.1f}">{"".join(lines)}'
        "</text></g>"
    )


def _edge(story, edge, route, point, state, words, prefix):
    parent = story.nodes[edge.parent].name
    child = story.nodes[edge.child].name
    kind = "" if edge.carries else ' data-constant="true"'
    badge = ""
    if edge.carries:
        width = max(badge_width(edge.badge), 24.0)
        badge = (
            f'<g class="badge" transform="translate({point[0]:.1f},{point[1]:.1f})">'
            f'<rect x="{-width / 2:.1f}" y="-10" width="{width:.1f}" height="20" '
            'rx="4"/>'
            f'<text id="{edge.element}b" y="4.5">{words(edge.element + "b")}</text></g>'
        )
    return (
        f'<g class="edge" id="{edge.element}" data-parent="{_escape(parent)}" '
        f'data-child="{_escape(child)}"{kind}{state(edge.element, EDGE_KEYS)}>'
        f'<path d="{_path(route)}" marker-end="url(#{prefix}ahead)"/>{badge}</g>'
    )


def _path(route):
    """Straight inside a column, a horizontal-tangent cubic across each gap."""
    (x, y), rest = route[0], route[1:]
    d = [f"M{x:.1f},{y:.1f}"]
    for k, (x2, y2) in enumerate(rest):
        if k % 2 == 0:
            d.append(f"L{x2:.1f},{y2:.1f}")
        else:
            mid = (x + x2) / 2
            d.append(f"C{mid:.1f},{y:.1f} {mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}")
        x, y = x2, y2
    return " ".join(d)


def _markers(prefix):
    return (
        f'<defs><marker id="{prefix}ahead" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" class="arrow"/></marker></defs>'
    )


def _escape(value):
    return html.escape(str(value), quote=True)


SVG_STYLE = """
.nda-graph { font-family: "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono",
  monospace; font-size: 13px; }
.nda-graph .node rect { fill: #ffffff; stroke: #37474f; stroke-width: 1.3; }
.nda-graph .node[data-kind="variable"] rect { fill: #e3f2fd; stroke: #1565c0; }
.nda-graph .node[data-kind="constant"] rect { fill: #f5f5f5; stroke: #9e9e9e;
  stroke-dasharray: 4 3; }
.nda-graph .node text { fill: #263238; }
.nda-graph .node .head { font-weight: bold; }
.nda-graph .node .local { fill: #5d4037; }
.nda-graph .node .grad { font-weight: bold; fill: #2e7d32; }
.nda-graph .node[data-grad-state="partial"] .grad { fill: #ef6c00; font-style: italic; }
.nda-graph .node[data-state="pending"] text { fill: #b0bec5; }
.nda-graph .node[data-state="pending"] .head { fill: #78909c; }
.nda-graph .node[data-state="current"] rect { stroke: #ef6c00; stroke-width: 3; }
.nda-graph .node[data-role="send"] rect { stroke: #6a1b9a; stroke-width: 3; }
.nda-graph .node[data-role="receive"] rect { stroke: #ef6c00; stroke-width: 3;
  fill: #fff3e0; }
.nda-graph .edge path { fill: none; stroke: #90a4ae; stroke-width: 1.6; }
.nda-graph .edge[data-constant] path { stroke-dasharray: 4 3; }
.nda-graph .arrow { fill: #78909c; }
.nda-graph .edge[data-message] path { stroke: #6a1b9a; }
.nda-graph .edge[data-active] path { stroke: #ef6c00; stroke-width: 3.5; }
.nda-graph .badge { display: none; }
.nda-graph .edge[data-message] .badge { display: inline; }
.nda-graph.nda-many .edge[data-message] .badge { display: none; }
.nda-graph .edge[data-active] .badge { display: inline; }
.nda-graph .badge rect { fill: #f3e5f5; stroke: #6a1b9a; stroke-width: 1; }
.nda-graph .edge[data-active] .badge rect { fill: #ef6c00; stroke: #ef6c00; }
.nda-graph .badge text { font-size: 12px; text-anchor: middle; fill: #4a148c; }
.nda-graph .edge[data-active] .badge text { fill: #ffffff; font-weight: bold; }
"""
