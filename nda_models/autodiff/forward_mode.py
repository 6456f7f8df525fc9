"""Forward mode: one pass through the graph per input θ_i.

Lecture 12, "Forward mode of automatic differentiation". For a chosen input
θ_i, every node carries a tangent ∂(node)/∂θ_i, starting from 1 at θ_i and 0
at the other inputs. Walking the graph forwards, each block multiplies the
tangent of each input by its local derivative and sums the products: its own
tangent. The output's tangent is ∂g/∂θ_i. The full gradient needs this pass
repeated for every θ_i, d passes in all: inefficient for large d. Each pass
is the Jacobian-vector product of ``jax.jvp`` with the basis vector e_i.
"""

from nda_models.autodiff.message import Message
from nda_models.autodiff.result import AutodiffResult
from nda_models.core.constraints import is_integer


def forward_mode(graph, *, wrt=None, record_messages=True):
    """Computes ∂g/∂θ_i with one forward pass per input.

    Args:
        graph: A ``Graph`` (from ``trace`` or ``Graph(output, inputs)``).
        wrt: 0-based positions of the inputs to differentiate with respect to
            (default: all d). Others are ``None`` in the gradient; useful to
            time a few passes of a large graph.
        record_messages: Keep every ``Message`` (turn off for large graphs).

    Returns:
        An ``AutodiffResult`` with ``mode="forward"`` and ``passes`` = the
        number of passes made.

    Raises:
        TypeError: If ``wrt`` holds non-integers.
        ValueError: If a position in ``wrt`` is out of range.

    Example:
        >>> from nda_models.autodiff import forward_mode, trace
        >>> graph = trace(lambda t: t[0] ** 2 + 2 * t[1] ** 2, (1.0, -1.0))
        >>> forward_mode(graph).gradient
        (2.0, -4.0)
    """
    positions = _check_wrt(wrt, len(graph.inputs))
    gradient = [None] * len(graph.inputs)
    messages = []
    for i in positions:
        gradient[i] = _tangent_pass(graph, i, messages if record_messages else None)
    return AutodiffResult(
        mode="forward",
        value=graph.value,
        gradient=tuple(gradient),
        input_names=graph.input_names,
        passes=len(positions),
        messages=tuple(messages),
        graph=graph,
    )


def _tangent_pass(graph, i, messages):
    """One forward pass seeded at θ_i; returns ∂g/∂θ_i, appends messages."""
    tangent = [0.0] * len(graph.nodes)  # tangent[k] = ∂(node k)/∂θ_i
    seed = graph.index.get(id(graph.inputs[i]))
    if seed is None:  # g does not depend on θ_i at all
        return 0.0
    tangent[seed] = 1.0
    step = 0
    for k, node in enumerate(graph.nodes):  # parents before children
        total = 0.0
        for j, (p, local) in enumerate(
            zip(graph.parent_indices[k], node.local_derivatives, strict=True)
        ):
            if local is None:  # constants have tangent 0
                continue
            total += tangent[p] * local  # chain rule: multiply, then sum
            if messages is not None:
                step += 1
                edge = (p, k, j)
                messages.append(_message(graph, i, step, edge, tangent, local, total))
        if node.kind == "block":
            tangent[k] = total
    return tangent[-1]


def _message(graph, i, step, edge, tangent, local, total):
    p, k, _ = edge
    return Message(
        mode="forward",
        pass_index=i,
        step=step,
        sender=graph.label(graph.nodes[p]),
        receiver=graph.label(graph.nodes[k]),
        incoming=tangent[p],
        local=local,
        value=tangent[p] * local,
        total=total,
        edge=edge,
    )


def _check_wrt(wrt, d):
    if wrt is None:
        return list(range(d))
    positions = list(wrt)
    for i in positions:
        if not is_integer(i):
            raise TypeError(
                "`wrt` must hold 0-based input positions (integers). "
                f"Received: wrt={wrt!r}"
            )
        if not 0 <= i < d:
            raise ValueError(
                f"Input positions in `wrt` must be in [0, {d - 1}]. "
                f"Received: wrt={wrt!r}"
            )
    return [int(i) for i in positions]
