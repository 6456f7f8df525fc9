"""The messages of each mode as changes of the page's properties.

Part of ``graph_story``. Reverse mode, t = F + s: message s goes from a
block to one of its inputs, and the receiver's ``data-grad`` becomes the
running sum Σ of what it received (``data-grad-state`` "partial", then
"complete"); the output holds the seed ∂g/∂g = 1 from the first message on.
Forward mode: the passes one after the other; during pass i ``data-grad`` is
the tangent ∂node/∂θ_i (seeds 1 at θ_i, 0 at the other inputs; a block's
running sum), and a new pass clears the last one's tangents and messages.
Each message also lights its edge (``data-active``), names the sender and
the receiver (``data-role``) and sets the caption and the product shown.
"""

import collections
import dataclasses

from nda_models.autodiff import story_text as text
from nda_models.autodiff.graph_captions import caption_done, caption_message


def message_direction(graph, edges, timeline, mode):
    """Reverse mode's messages run child → parent, forward mode's parent → child."""
    for (p, k, _), edge in edges.items():
        sender, receiver = (k, p) if mode == "reverse" else (p, k)
        for key, node in (("data-from", sender), ("data-to", receiver)):
            label = graph.label(graph.nodes[node])
            timeline.set(edge.element, key, label, at=0, modes=[mode])


@dataclasses.dataclass(frozen=True)
class _Run:
    """One mode's messages being written into the timeline."""

    graph: object
    result: object
    edges: dict
    timeline: object
    symbol: str
    badges: dict

    @property
    def start(self):
        return self.timeline.forward_steps

    def set(self, element, key, value, at):
        self.timeline.set(element, key, value, at=at, modes=[self.result.mode])


def reverse_story(graph, result, edges, timeline, symbol, badges):
    """Message s: ∂g/∂from × ∂from/∂to, summed at ``to`` (one backward pass)."""
    run = _Run(graph, result, edges, timeline, symbol, badges)
    expected = collections.Counter(m.edge[0] for m in result.messages)
    terms = collections.defaultdict(list)
    for s, message in enumerate(result.messages, start=1):
        if s == 1:  # the backward pass starts at the output: ∂g/∂g = 1
            seed = f"{text.derivative(symbol, symbol)} = 1"
            _grad(run, len(graph.nodes) - 1, 1.0, seed, "complete", run.start + 1)
        parent, child, _ = message.edge
        name = text.derivative(symbol, graph.label(graph.nodes[parent]))
        _deliver(
            run, message, s, (child, parent), name, terms[parent], expected[parent]
        )


def forward_story(graph, result, edges, timeline, symbol, badges):
    """Pass after pass: ∂from/∂θ_i × ∂to/∂from, summed at ``to``."""
    run = _Run(graph, result, edges, timeline, symbol, badges)
    by_pass = collections.defaultdict(list)
    for message in result.messages:
        by_pass[message.pass_index].append(message)
    s, touched = 0, set()
    for i, messages in sorted(by_pass.items()):
        _start_pass(run, i, touched, run.start + s + 1)
        seed = graph.label(graph.inputs[i])
        expected = collections.Counter(m.edge[1] for m in messages)
        terms = collections.defaultdict(list)
        touched = set()
        for message in messages:
            s += 1
            parent, child, _ = message.edge
            touched.add(child)
            name = text.derivative(graph.label(graph.nodes[child]), seed)
            _deliver(
                run, message, s, (parent, child), name, terms[child], expected[child]
            )


def _start_pass(run, i, touched, at):
    """A new pass: the last one's tangents and messages go; seeds e_i are set."""
    for k in touched:
        _grad(run, k, None, None, None, at)
    for edge in run.edges.values():
        run.set(edge.element, "data-message", None, at)
    seed = run.graph.inputs[i]
    for x in run.graph.inputs:
        if id(x) in run.graph.index:
            one = 1.0 if x is seed else 0.0
            name = text.derivative(run.graph.label(x), run.graph.label(seed))
            shown = f"{name} = {text.number(one)}"
            _grad(run, run.graph.index[id(x)], one, shown, "complete", at)


def _deliver(run, message, s, ends, name, terms, expected):
    """Message s travels ``ends`` = (sender, receiver); the receiver sums it."""
    sender, receiver = ends
    at = run.start + s
    terms.append(message.value)
    shown = f"{name} = {text.term_sum(terms, message.total)}"
    state = "complete" if len(terms) == expected else "partial"
    _grad(run, receiver, message.total, shown, state, at)
    count = len(run.result.messages)
    counts = (len(terms), expected)
    caption, equation = caption_message(
        run.graph, message, run.symbol, counts, s, count
    )
    if s == count:
        caption += " " + caption_done(run.graph, run.result, run.symbol)
    _message(run, run.edges[message.edge], message, at)
    for k, role in ((sender, "send"), (receiver, "receive")):
        run.set(f"n{k}", "data-role", role, at)
        run.set(f"n{k}", "data-role", None, at + 1)
    run.set("caption", "text", caption, at)
    run.set("equation", "text", equation, at)


def _grad(run, k, value, shown, state, at):
    element = f"n{k}"
    run.set(element, "data-grad", None if value is None else repr(value), at)
    run.set(element, "data-grad-state", state, at)
    run.set(element + "g", "text", shown, at)


def _message(run, edge, message, at):
    # Edges point the forward way (right): reverse messages travel left.
    value = text.number(message.value)
    shown = f"← {value}" if run.result.mode == "reverse" else f"{value} →"
    run.set(edge.element, "data-message", repr(message.value), at)
    run.set(edge.element + "b", "text", shown, at)
    run.set(edge.element, "data-active", "true", at)
    run.set(edge.element, "data-active", None, at + 1)
    if len(shown) > len(run.badges[edge.element]):
        run.badges[edge.element] = shown
