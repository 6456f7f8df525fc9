"""The sentence under the controls of a step-through page, one per step.

Lecture 12, Algorithm 5.3 in words: the forward pass evaluates each block in
the direction of the edges and stores its local derivatives; the backward
pass sends ∂g/∂from × ∂from/∂to along each edge, and every node sums what
it receives (the slide "Chain rule": products along each path, summed over
the paths). Forward mode does the same from the inputs, once per θ_i.
"""

from nda_models.autodiff import story_text as text


def _factor(x):
    shown = text.number(x)
    return f"({shown})" if x < 0 else shown


def caption_forward_pass(graph, blocks, t):
    """What position ``t`` of the forward pass shows (``blocks``: block positions).

    Example:
        >>> from nda_models.autodiff import lecture_example
        >>> graph = lecture_example(3).graph
        >>> blocks = [k for k, n in enumerate(graph.nodes) if n.kind == "block"]
        >>> caption_forward_pass(graph, blocks, 1)[:48]
        'Forward pass, block 1 of 4: u = w·x = 0.5·2 = 1.'
    """
    if t == 0:
        leaves = [n for n in graph.nodes if n.kind != "block"]
        given = ", ".join(f"{graph.label(n)} = {text.number(n.value)}" for n in leaves)
        return (
            f"Forward pass. Given: {given}. Each step evaluates one block, in the "
            f"direction of the edges ({len(blocks)} blocks)."
        )
    node = graph.nodes[blocks[t - 1]]
    line = f"{text.header(graph, node)} = {text.value_line(node)[2:]}"
    locals_ = [shown for _, shown in text.local_lines(graph, node)]
    stored = (
        f"It stores its local derivative{'s' if len(locals_) > 1 else ''} "
        f"{', '.join(locals_)}, which the messages will use."
        if locals_
        else "Its inputs are constants: no local derivative is needed."
    )
    words = f"Forward pass, block {t} of {len(blocks)}: {line}. {stored}"
    if t == len(blocks):
        words += " End of the forward pass: every value is known, no gradient yet."
    return words


def caption_next(result, symbol):
    """Appended at the end of the forward pass: what the selected mode does next."""
    count = len(result.messages)
    if result.mode == "reverse":
        return (
            f"Next, reverse mode (backpropagation): {count} messages from {symbol} "
            "back to the inputs, in 1 pass."
        )
    return (
        f"Next, forward mode: one pass per input, {result.passes} passes, "
        f"{count} messages."
    )


def caption_message(graph, message, symbol, counts, step, count):
    """The caption and the product of one message (reverse or forward mode).

    Args:
        graph: The ``Graph``.
        message: The ``Message``.
        symbol: How the output is written (``g``, ``ℓ``).
        counts: ``(received, expected)``: how many messages the receiver has
            received so far, and will receive in all (in this pass).
        step: The message's position among all messages of the mode.
        count: The number of messages of the mode.

    Returns:
        ``(caption, equation)``.
    """
    sender, receiver = message.sender, message.receiver
    received, expected = counts
    if message.mode == "reverse":
        carried = text.derivative(symbol, sender)
        local = text.derivative(sender, receiver)
        total = text.derivative(symbol, receiver)
    else:
        seed = graph.input_names[message.pass_index]
        carried = text.derivative(sender, seed)
        local = text.derivative(receiver, sender)
        total = text.derivative(receiver, seed)
    product = (
        f"{carried} × {local} = {_factor(message.incoming)} × "
        f"{_factor(message.local)} = {text.number(message.value)}"
    )
    state = "complete" if received == expected else "so far"
    caption = (
        f"Message {step} of {count}, from {sender} to {receiver}: {sender} sends "
        f"{carried} × {local}. Σ at {receiver}: {total} = "
        f"{text.number(message.total)} ({received} of {expected} "
        f"message{'s' if expected > 1 else ''}, {state})."
    )
    return caption, f"{product}   →   Σ at {receiver}: {text.number(message.total)}"


def pass_words(graph, result, message, passes=None):
    """Which pass a message belongs to, and its seed (shown beside the counter).

    Example:
        >>> from nda_models.autodiff import forward_mode, lecture_example
        >>> graph = lecture_example(3).graph
        >>> result = forward_mode(graph)
        >>> pass_words(graph, result, result.messages[-1])
        'pass 2 of 2: seed ∂b/∂b = 1, the other inputs 0'

    ``passes``: the inputs that got a pass, in order (computed if not given).
    """
    if result.mode == "reverse":
        return "the backward pass (1 of 1)"
    seed = graph.input_names[message.pass_index]
    if passes is None:
        passes = sorted({m.pass_index for m in result.messages})
    ordinal = passes.index(message.pass_index)
    return (
        f"pass {ordinal + 1} of {result.passes}: seed {text.derivative(seed, seed)} "
        "= 1, the other inputs 0"
    )


def caption_done(graph, result, symbol):
    """Appended at the last step: the gradient and the passes it took."""
    names = ", ".join(text.derivative(symbol, n) for n in result.input_names)
    values = ", ".join(text.number(x) for x in result.gradient)
    passes = f"{result.passes} pass{'es' if result.passes != 1 else ''}"
    return f"Done: ∇{symbol} = ({names}) = ({values}), in {passes}."
