"""Reverse mode (backpropagation): every ∂g/∂θ_i in one backward pass.

Lecture 12, "Backpropagation", Algorithm 5.3. The forward pass has stored
every block's value and local derivatives (see ``Graph``). The backward pass
starts at the output with ∂g/∂g = 1 and walks the graph backwards: each
block f_k, once it has received all its messages, holds ∂g/∂f_k; it
multiplies that by each local derivative ∂f_k/∂x and sends the product to its
input x. Each node sums what it receives; at the variables θ_i the sum is
∂g/∂θ_i. The cost is one pass over the graph, whatever d is: this is the
vector-Jacobian product of ``jax.vjp`` with the cotangent 1.
"""

from nda_models.autodiff.message import Message
from nda_models.autodiff.result import AutodiffResult


def reverse_mode(graph, *, record_messages=True):
    """Computes ∇g(θ) by backpropagation on a recorded graph.

    Args:
        graph: A ``Graph`` (from ``trace`` or ``Graph(output, inputs)``).
        record_messages: Keep every ``Message`` (turn off for large graphs).

    Returns:
        An ``AutodiffResult`` with ``mode="reverse"`` and ``passes=1``.

    Example:
        >>> from nda_models.autodiff import reverse_mode, trace
        >>> graph = trace(lambda t: t[0] ** 2 + 2 * t[1] ** 2, (1.0, -1.0))
        >>> reverse_mode(graph).gradient
        (2.0, -4.0)
    """
    nodes = graph.nodes
    adjoint = [0.0] * len(nodes)  # adjoint[k] accumulates ∂g/∂(node k)
    adjoint[-1] = 1.0  # the output comes last in topological order
    messages = []
    for k in range(len(nodes) - 1, -1, -1):  # children before parents
        node = nodes[k]
        for j, (p, local) in enumerate(
            zip(graph.parent_indices[k], node.local_derivatives, strict=True)
        ):
            if local is None:  # constants receive no message
                continue
            message = adjoint[k] * local  # chain rule: multiply along the path
            adjoint[p] += message  # ... and sum over the paths
            if record_messages:
                messages.append(_message(graph, (p, k, j), adjoint, local, messages))
    gradient = tuple(
        adjoint[graph.index[id(x)]] if id(x) in graph.index else 0.0
        for x in graph.inputs
    )
    return AutodiffResult(
        mode="reverse",
        value=graph.value,
        gradient=gradient,
        input_names=graph.input_names,
        passes=1,
        messages=tuple(messages),
        graph=graph,
    )


def _message(graph, edge, adjoint, local, sent):
    p, k, _ = edge
    return Message(
        mode="reverse",
        pass_index=0,
        step=len(sent) + 1,
        sender=graph.label(graph.nodes[k]),
        receiver=graph.label(graph.nodes[p]),
        incoming=adjoint[k],
        local=local,
        value=adjoint[k] * local,
        total=adjoint[p],
        edge=edge,
    )
