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

from nda_models.autodiff import story_text as text
from nda_models.autodiff.graph_captions import caption_done, caption_message


def message_direction(graph, edges, timeline, mode):
    """Reverse mode's messages run child → parent, forward mode's parent → child."""
    for (p, k, _), edge in edges.items():
        sender, receiver = (k, p) if mode == "reverse" else (p, k)
        timeline.set(
            edge.element,
            "data-from",
            graph.label(graph.nodes[sender]),
            at=0,
            modes=[mode],
        )
        timeline.set(
            edge.element,
            "data-to",
            graph.label(graph.nodes[receiver]),
            at=0,
            modes=[mode],
        )


def reverse_story(graph, result, edges, timeline, symbol, badges):
    start = timeline.forward_steps
    expected = collections.Counter(m.edge[0] for m in result.messages)
    terms = collections.defaultdict(list)
    output = len(graph.nodes) - 1
    for s, message in enumerate(result.messages, start=1):
        if s == 1:  # the backward pass starts at the output: ∂g/∂g = 1
            _grad(
                timeline,
                output,
                1.0,
                f"{text.derivative(symbol, symbol)} = 1",
                "complete",
                start + 1,
                "reverse",
            )
        p, k, _ = message.edge
        terms[p].append(message.value)
        name = text.derivative(symbol, graph.label(graph.nodes[p]))
        shown = f"{name} = {text.term_sum(terms[p], message.total)}"
        done = len(terms[p]) == expected[p]
        _grad(
            timeline,
            p,
            message.total,
            shown,
            "complete" if done else "partial",
            start + s,
            "reverse",
        )
        counts = (len(terms[p]), expected[p])
        words = caption_message(graph, message, symbol, counts, s, len(result.messages))
        if s == len(result.messages):
            words = (f"{words[0]} {caption_done(graph, result, symbol)}", words[1])
        _message(timeline, edges[message.edge], message, start + s, "reverse", badges)
        _roles(timeline, k, p, start + s, "reverse", words)


def forward_story(graph, result, edges, timeline, symbol, badges):
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
            timeline.set(
                edge.element, "data-message", None, at=start + s + 1, modes=["forward"]
            )
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
            _grad(
                timeline,
                k,
                message.total,
                shown,
                "complete" if done else "partial",
                start + s,
                "forward",
            )
            counts = (len(terms[k]), expected[k])
            words = caption_message(
                graph, message, symbol, counts, s, len(result.messages)
            )
            if s == len(result.messages):
                words = (f"{words[0]} {caption_done(graph, result, symbol)}", words[1])
            _message(
                timeline, edges[message.edge], message, start + s, "forward", badges
            )
            _roles(timeline, p, k, start + s, "forward", words)


def _grad(timeline, k, value, shown, state, at, mode):
    element = f"n{k}"
    timeline.set(
        element,
        "data-grad",
        None if value is None else repr(value),
        at=at,
        modes=[mode],
    )
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
