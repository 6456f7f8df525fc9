"""What each node and edge of a graph shows at every step, for both modes.

The story of one differentiation, precomputed into a ``Timeline`` from the
engine's own recorded messages (``AutodiffResult.messages``):

- Forward pass, t = 1..F: block t computes its value and local derivatives
  (``data-value`` appears on its node). Inputs and constants are known at 0.
- Reverse mode, t = F + s: message s goes from a block to one of its
  inputs, ∂g/∂from × ∂from/∂to; the receiver's ``data-grad`` is the running
  sum Σ of what it has received (``data-grad-state`` "partial", then
  "complete" once all its messages arrived). The output holds the seed
  ∂g/∂g = 1 from the first message on.
- Forward mode, t = F + s: the messages of pass 1 (seeded at θ1), then of
  pass 2, ...; during pass i a node's ``data-grad`` is its tangent
  ∂node/∂θ_i: the seeds (1 at θ_i, 0 at the other inputs) from the pass's
  first message on, a block's running sum as its messages arrive. Each new
  pass clears the tangents and messages of the one before.
"""

import collections
import dataclasses

from nda_models.autodiff import story_text as text
from nda_models.autodiff.gradient_story import gradient_rows
from nda_models.autodiff.graph_captions import (
    caption_forward_pass,
    caption_next,
    pass_words,
)
from nda_models.autodiff.message_story import (
    forward_story,
    message_direction,
    reverse_story,
)
from nda_models.autodiff.timeline import Timeline


@dataclasses.dataclass(frozen=True)
class NodeView:
    """A node's box: its id, name, kind and lines (part id, widest text)."""

    element: str
    name: str
    kind: str
    header: str
    lines: tuple


@dataclasses.dataclass(frozen=True)
class EdgeView:
    """An edge parent → child (argument j); ``carries`` is False from a constant."""

    element: str
    parent: int
    child: int
    argument: int
    carries: bool
    badge: str


@dataclasses.dataclass(frozen=True)
class GraphStory:
    """Views and timeline of one graph differentiated in one or both modes."""

    graph: object
    timeline: Timeline
    nodes: tuple
    edges: tuple
    gradients: tuple
    passes: dict
    symbol: str


def graph_story(graph, results, default_mode="reverse"):
    """Precomputes every state of the step-through page of ``graph``.

    Args:
        graph: A ``Graph``.
        results: ``{mode: AutodiffResult}`` of that graph, with messages.
        default_mode: The mode the page opens in.

    Returns:
        A ``GraphStory``.

    Example:
        >>> from nda_models.autodiff import lecture_example, reverse_mode
        >>> graph = lecture_example(3).graph
        >>> story = graph_story(graph, {"reverse": reverse_mode(graph)})
        >>> end, u = story.timeline.forward_steps, "n4"  # after 4 blocks
        >>> [story.timeline.value(u, "data-grad", "reverse", end + k) for k in (2, 3)]
        [None, '3.9049848840251187']
    """
    blocks = [k for k, node in enumerate(graph.nodes) if node.kind == "block"]
    steps = {mode: len(result.messages) for mode, result in results.items()}
    timeline = Timeline(len(blocks), steps, default_mode)
    edges = _edges(graph)
    symbol = text.output_symbol(graph)
    _forward_pass(graph, blocks, timeline)
    badges = collections.defaultdict(str)
    for mode, result in results.items():
        message_direction(graph, edges, timeline, mode)
        end = caption_forward_pass(graph, blocks, len(blocks))
        timeline.set(
            "caption",
            "text",
            f"{end} {caption_next(result, symbol)}",
            at=len(blocks),
            modes=[mode],
        )
        story = reverse_story if mode == "reverse" else forward_story
        story(graph, result, edges, timeline, symbol, badges)
    _positions(timeline, results, graph)
    nodes = _node_views(graph, timeline, symbol)
    edge_views = tuple(
        dataclasses.replace(edge, badge=badges[edge.element]) for edge in edges.values()
    )
    return GraphStory(
        graph=graph,
        timeline=timeline,
        nodes=nodes,
        edges=edge_views,
        gradients=gradient_rows(graph, results, timeline),
        passes={mode: result.passes for mode, result in results.items()},
        symbol=symbol,
    )


def _edges(graph):
    edges = {}
    for k, node in enumerate(graph.nodes):
        for j, p in enumerate(graph.parent_indices[k]):
            carries = node.local_derivatives[j] is not None
            element = f"e{len(edges)}"
            edges[(p, k, j)] = EdgeView(element, p, k, j, carries, "")
    return edges


def _forward_pass(graph, blocks, timeline):
    """Values and local derivatives appear block by block, t = 1..F."""
    when = {k: t + 1 for t, k in enumerate(blocks)}
    for k, node in enumerate(graph.nodes):
        at = when.get(k, 0)
        element = f"n{k}"
        if at:
            timeline.set(element, "data-state", "pending", at=0)
            timeline.set(element + "v", "text", "= ?", at=0)
            timeline.set(element, "data-state", "current", at=at)
        timeline.set(element, "data-value", repr(node.value), at=at)
        timeline.set(element + "v", "text", text.value_line(node), at=at)
        if node.kind == "block":
            for j, line in text.local_lines(graph, node):
                timeline.set(f"{element}l{j}", "text", line, at=at)
        timeline.set(element, "data-state", "done", at=at + 1 if at else 0)
    for t in range(len(blocks) + 1):
        caption = caption_forward_pass(graph, blocks, t)
        timeline.set("caption", "text", caption, at=t)
        equation = None
        if t:  # the block just computed: its value, then what it stores
            node = graph.nodes[blocks[t - 1]]
            stored = [line for _, line in text.local_lines(graph, node)]
            equation = f"{text.header(graph, node)} {text.value_line(node)}"
            equation += "".join(f"   ·   {line}" for line in stored)
        timeline.set("equation", "text", equation, at=t)


def _positions(timeline, results, graph):
    """The counter beside the slider, and the pass the step belongs to."""
    blocks = timeline.forward_steps
    for mode, result in results.items():
        count = len(result.messages)
        words = "the forward pass: values and local derivatives, block by block"
        timeline.set("pass", "text", words, at=0, modes=[mode])
        passes = sorted({m.pass_index for m in result.messages})
        for t in range(timeline.last(mode) + 1):
            if t < blocks:
                words = f"forward pass: {t} of {blocks} blocks computed"
            else:
                words = f"step {t - blocks} of {count}"
            if t == blocks:
                words += " (end of the forward pass)"
            timeline.set("position", "text", words, at=t, modes=[mode])
            if t > blocks:
                message = result.messages[t - blocks - 1]
                timeline.set(
                    "pass",
                    "text",
                    pass_words(graph, result, message, passes),
                    at=t,
                    modes=[mode],
                )


def _node_views(graph, timeline, symbol):
    views = []
    for k, node in enumerate(graph.nodes):
        element = f"n{k}"
        parts = [element + "v"]
        if node.kind == "block":
            parts += [f"{element}l{j}" for j, _ in text.local_lines(graph, node)]
        if node.kind != "constant":
            parts.append(element + "g")
        lines = tuple((part, _widest(timeline, part)) for part in parts)
        views.append(
            NodeView(
                element, graph.label(node), node.kind, text.header(graph, node), lines
            )
        )
    return tuple(views)


def _widest(timeline, element):
    """The longest text ``element`` ever shows, in any mode (sizes its box)."""
    widest = ""
    for timelines in timeline.changes_of(element, "text").values():
        for _, value in timelines:
            if value is not None and len(value) > len(widest):
                widest = value
    return widest
