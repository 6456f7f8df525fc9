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
from nda_models.autodiff.finite_differences import finite_difference_gradient
from nda_models.autodiff.graph_captions import (
    caption_done,
    caption_forward_pass,
    caption_message,
    caption_next,
    pass_words,
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
class GradientRow:
    """One input: its value, the gradient per mode, the finite difference."""

    element: str
    name: str
    theta: float
    gradient: dict
    finite_difference: float | None


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
        _direction(graph, edges, timeline, mode)
        end = caption_forward_pass(graph, blocks, len(blocks))
        timeline.set("caption", "text", f"{end} {caption_next(result, symbol)}",
                     at=len(blocks), modes=[mode])  # fmt: skip
        story = _reverse if mode == "reverse" else _forward
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
        gradients=_gradient_rows(graph, results, timeline),
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
        timeline.set("equation", "text", None, at=t)


def _direction(graph, edges, timeline, mode):
    """Reverse mode's messages run child → parent, forward mode's parent → child."""
    for (p, k, _), edge in edges.items():
        sender, receiver = (k, p) if mode == "reverse" else (p, k)
        timeline.set(edge.element, "data-from", graph.label(graph.nodes[sender]),
                     at=0, modes=[mode])  # fmt: skip
        timeline.set(edge.element, "data-to", graph.label(graph.nodes[receiver]),
                     at=0, modes=[mode])  # fmt: skip


def _reverse(graph, result, edges, timeline, symbol, badges):
    start = timeline.forward_steps
    expected = collections.Counter(m.edge[0] for m in result.messages)
    terms = collections.defaultdict(list)
    output = len(graph.nodes) - 1
    for s, message in enumerate(result.messages, start=1):
        if s == 1:  # the backward pass starts at the output: ∂g/∂g = 1
            _grad(timeline, output, 1.0, f"{text.derivative(symbol, symbol)} = 1",
                  "complete", start + 1, "reverse")  # fmt: skip
        p, k, _ = message.edge
        terms[p].append(message.value)
        name = text.derivative(symbol, graph.label(graph.nodes[p]))
        shown = f"{name} = {text.term_sum(terms[p], message.total)}"
        done = len(terms[p]) == expected[p]
        _grad(timeline, p, message.total, shown, "complete" if done else "partial",
              start + s, "reverse")  # fmt: skip
        counts = (len(terms[p]), expected[p])
        words = caption_message(graph, message, symbol, counts, s, len(result.messages))
        if s == len(result.messages):
            words = (f"{words[0]} {caption_done(graph, result, symbol)}", words[1])
        _message(timeline, edges[message.edge], message, start + s, "reverse", badges)
        _roles(timeline, k, p, start + s, "reverse", words)


def _forward(graph, result, edges, timeline, symbol, badges):
    start = timeline.forward_steps
    by_pass = collections.defaultdict(list)
    for message in result.messages:
        by_pass[message.pass_index].append(message)
    s = 0
    touched = set()
    for i, messages in sorted(by_pass.items()):
        seed = graph.label(graph.inputs[i])
        expected = collections.Counter(m.edge[1] for m in messages)
        for k in touched:  # a new pass: the tangents of the last one go
            _grad(timeline, k, None, None, None, start + s + 1, "forward")
        for edge in edges.values():
            timeline.set(edge.element, "data-message", None, at=start + s + 1,
                         modes=["forward"])  # fmt: skip
        touched = set()
        for x in graph.inputs:
            if id(x) in graph.index:
                k = graph.index[id(x)]
                one = 1.0 if x is graph.inputs[i] else 0.0
                shown = f"{text.derivative(graph.label(x), seed)} = {text.number(one)}"
                _grad(timeline, k, one, shown, "complete", start + s + 1, "forward")
        terms = collections.defaultdict(list)
        for message in messages:
            s += 1
            p, k, _ = message.edge
            terms[k].append(message.value)
            touched.add(k)
            name = text.derivative(graph.label(graph.nodes[k]), seed)
            shown = f"{name} = {text.term_sum(terms[k], message.total)}"
            done = len(terms[k]) == expected[k]
            _grad(timeline, k, message.total, shown,
                  "complete" if done else "partial", start + s, "forward")  # fmt: skip
            counts = (len(terms[k]), expected[k])
            words = caption_message(
                graph, message, symbol, counts, s, len(result.messages)
            )
            if s == len(result.messages):
                words = (f"{words[0]} {caption_done(graph, result, symbol)}", words[1])
            _message(timeline, edges[message.edge], message, start + s, "forward",
                     badges)  # fmt: skip
            _roles(timeline, p, k, start + s, "forward", words)


def _grad(timeline, k, value, shown, state, at, mode):
    element = f"n{k}"
    timeline.set(element, "data-grad", None if value is None else repr(value),
                 at=at, modes=[mode])  # fmt: skip
    timeline.set(element, "data-grad-state", state, at=at, modes=[mode])
    timeline.set(element + "g", "text", shown, at=at, modes=[mode])


def _message(timeline, edge, message, at, mode, badges):
    # Edges point the forward way (right): reverse messages travel left.
    value = text.number(message.value)
    shown = f"← {value}" if mode == "reverse" else f"{value} →"
    timeline.set(edge.element, "data-message", repr(message.value), at=at, modes=[mode])
    timeline.set(edge.element + "b", "text", shown, at=at, modes=[mode])
    timeline.set(edge.element, "data-active", "true", at=at, modes=[mode])
    timeline.set(edge.element, "data-active", None, at=at + 1, modes=[mode])
    if len(shown) > len(badges[edge.element]):
        badges[edge.element] = shown


def _roles(timeline, sender, receiver, at, mode, words):
    caption, equation = words
    for k, role in ((sender, "send"), (receiver, "receive")):
        timeline.set(f"n{k}", "data-role", role, at=at, modes=[mode])
        timeline.set(f"n{k}", "data-role", None, at=at + 1, modes=[mode])
    timeline.set("caption", "text", caption, at=at, modes=[mode])
    timeline.set("equation", "text", equation, at=at, modes=[mode])


def _positions(timeline, results, graph):
    """The counter beside the slider, and the pass the step belongs to."""
    blocks = timeline.forward_steps
    for mode, result in results.items():
        count = len(result.messages)
        timeline.set("pass", "text", None, at=0, modes=[mode])
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
                timeline.set("pass", "text", pass_words(graph, result, message),
                             at=t, modes=[mode])  # fmt: skip


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
            )  # fmt: skip
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


def _gradient_rows(graph, results, timeline):
    finite = finite_difference_gradient(graph)
    rows = []
    for i, x in enumerate(graph.inputs):
        gradient = {mode: result.gradient[i] for mode, result in results.items()}
        row = GradientRow(f"r{i}", graph.label(x), x.value, gradient, finite[i])
        rows.append(row)
    _gradient_steps(graph, results, timeline, rows)
    return tuple(rows)


def _gradient_steps(graph, results, timeline, rows):
    """Each ∂g/∂θ_i appears in the table once it is final in that mode."""
    start = timeline.forward_steps
    for mode, result in results.items():
        final = _final_steps(graph, result)
        for i, row in enumerate(rows):
            value = row.gradient[mode]
            if value is None or final[i] is None:
                timeline.set(row.element + "g", "text", "not computed", at=0,
                             modes=[mode])  # fmt: skip
                continue
            at = start + final[i]
            timeline.set(row.element + "g", "text", "…", at=0, modes=[mode])
            timeline.set(row.element, "data-gradient", repr(value), at=at, modes=[mode])
            timeline.set(row.element + "g", "text", text.number(value), at=at,
                         modes=[mode])  # fmt: skip
            check = text.agreement(value, row.finite_difference)
            timeline.set(row.element + "c", "text", check, at=at, modes=[mode])


def _final_steps(graph, result):
    """The step after which each input's gradient is final (None: not computed)."""
    count = len(result.messages)
    first = min(count, 1)
    final = []
    for i, x in enumerate(graph.inputs):
        if result.gradient[i] is None:
            final.append(None)
            continue
        steps = [
            s
            for s, m in enumerate(result.messages, start=1)
            if (result.mode == "reverse" and graph.nodes[m.edge[0]] is x)
            or (result.mode == "forward" and m.pass_index == i)
        ]
        final.append(max(steps, default=first))
    return final
