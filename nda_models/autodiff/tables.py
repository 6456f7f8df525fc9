"""Printable tables of the forward pass, the local derivatives and the messages.

They follow the slides' figures: the forward pass (Fig. 5.19 / 5.25) lists
each block's value and, "within each computational block", its local partial
derivatives; the backward pass (Fig. 5.20 / 5.26) lists the messages sent
from the output back to the variables, each variable summing what it
receives. Numbers that are small fractions print as fractions (``-4/3``).
"""

import re
from fractions import Fraction

_INPUT = re.compile(r"x(\d+)")


def format_number(x):
    """Formats a float: an integer or a small fraction exactly, else 6 digits.

    Example:
        >>> format_number(-4 / 3), format_number(9.0), format_number(0.1234567)
        ('-4/3', '9', '0.123457')
    """
    if x is None:
        return "—"
    if _is_fraction(x):
        return str(Fraction(x).limit_denominator(1000))
    return f"{x:.6g}"


def substitute(formula, words):
    """Replaces ``x1, x2, ...`` in a block formula by ``words[0], words[1], ...``.

    Example:
        >>> substitute("(x1 + 2·x2)²", ["θ1", "θ2"])
        '(θ1 + 2·θ2)²'
    """
    return _INPUT.sub(lambda match: words[int(match.group(1)) - 1], formula)


def _numbers(node):
    return [
        f"({format_number(p.value)})" if p.value < 0 else format_number(p.value)
        for p in node.parents
    ]


def computation(graph, node):
    """The block's formula with its input labels, then with their values.

    Example:
        >>> from nda_models.autodiff import lecture_example
        >>> graph = lecture_example(2).graph
        >>> computation(graph, graph.output)
        'log(f3) = log(81)'
    """
    if node.kind != "block":
        return node.kind
    labels = [graph.label(p) for p in node.parents]
    return (
        f"{substitute(node.block.formula, labels)} = "
        f"{substitute(node.block.formula, _numbers(node))}"
    )


def render(headers, rows):
    """Aligns ``rows`` (lists of str) under ``headers`` as a plain-text table."""
    widths = [
        max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=True)
    ]
    lines = [headers, ["-" * w for w in widths], *rows]
    return "\n".join(
        "  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def forward_pass_table(graph):
    """One row per node in topological order: what it computes and its value.

    Example:
        >>> from nda_models.autodiff import lecture_example
        >>> print(forward_pass_table(lecture_example(1).graph).splitlines()[-1])
        f4    f1 + 2·f2 − f3 = 1 + 2·1 − 1  2
    """
    rows = [
        [graph.label(node), computation(graph, node), format_number(node.value)]
        for node in graph.nodes
    ]
    return render(["node", "computes", "value"], rows)


def local_derivatives_table(graph):
    """One row per edge: ∂(block)/∂(input) = formula = value, for the messages.

    Example:
        >>> from nda_models.autodiff import lecture_example
        >>> table = local_derivatives_table(lecture_example(2).graph)
        >>> table.splitlines()[2].split()
        ['∂f1/∂θ1', '2·(θ1', '+', '2·θ2)', '-6']
    """
    rows = []
    for node in graph.nodes:
        labels = [graph.label(p) for p in node.parents]
        for j, (parent, local) in enumerate(
            zip(node.parents, node.local_derivatives, strict=True)
        ):
            if local is None:
                continue
            formula = substitute(node.block.partial_formulas[j], labels)
            name = f"∂{graph.label(node)}/∂{graph.label(parent)}"
            rows.append([name, formula, format_number(local)])
    return render(["local derivative", "formula", "value"], rows)


def messages_table(result):
    """The messages of a forward- or reverse-mode result, in sending order.

    Reverse mode: ``from`` holds ∂g/∂from, multiplies by ∂from/∂to and sends
    the product; ``to`` sums. Forward mode, pass θ_i: ``from`` holds
    ∂from/∂θ_i, the product goes to ``to``, which sums its inputs' products.

    Example:
        >>> from nda_models.autodiff import lecture_example
        >>> table = messages_table(lecture_example(2).result)
        >>> table.splitlines()[2].split()
        ['1', 'f4', '→', 'f3', '1', '1/81', '1/81', '1/81']
    """
    if result.mode == "reverse":
        head = ["step", "from", "", "to", "∂g/∂from", "× ∂from/∂to", "= message"]
        return render([*head, "Σ at to"], _rows(result.messages))
    blocks = []
    for i in sorted({m.pass_index for m in result.messages}):
        name = result.input_names[i]
        head = ["step", "from", "", "to", f"∂from/∂{name}", "× ∂to/∂from"]
        rows = _rows([m for m in result.messages if m.pass_index == i])
        table = render([*head, "= message", f"Σ ∂to/∂{name}"], rows)
        blocks.append(f"pass {i + 1}: seed ∂{name}/∂{name} = 1\n{table}")
    return "\n\n".join(blocks)


def _rows(messages):
    return [
        [str(m.step), m.sender, "→", m.receiver]
        + [format_number(v) for v in (m.incoming, m.local, m.value, m.total)]
        for m in messages
    ]


def gradient_summary(result):
    """Two lines: g's value and its gradient, exact where possible.

    Example:
        >>> from nda_models.autodiff import lecture_example
        >>> print(gradient_summary(lecture_example(1).result))
        g = f4 = f1 + 2·f2 − f3 = 1 + 2·1 − 1 = 2
        ∇g = (∂g/∂θ1, ∂g/∂θ2, ∂g/∂θ3) = (2, -4, -2)
    """
    graph = result.graph
    head = f"g = {graph.label(graph.output)} = {computation(graph, graph.output)}"
    sign = "=" if _is_fraction(result.value) else "≈"
    names = ", ".join(f"∂g/∂{n}" for n in result.input_names)
    exact = ", ".join(format_number(x) for x in result.gradient)
    line = f"∇g = ({names}) = ({exact})"
    decimals = ", ".join("—" if x is None else f"{x:.6g}" for x in result.gradient)
    if decimals != exact:
        line += f" ≈ ({decimals})"
    return f"{head} {sign} {format_number(result.value)}\n{line}"


def _is_fraction(x):
    fraction = Fraction(x).limit_denominator(1000)
    return abs(float(fraction) - x) <= 1e-12 * max(1.0, abs(x))
