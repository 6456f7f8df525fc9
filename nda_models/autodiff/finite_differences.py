"""The check beside each gradient: central finite differences on the graph.

A recorded graph is re-evaluated at θ ± h·e_i with its blocks' own functions
(never their partial derivatives), so the quotient

    (g(θ + h·e_i) − g(θ − h·e_i)) / (2h)  ≈  ∂g/∂θ_i  (error O(h²))

checks the hand-written local derivatives that both modes multiply. The step
h = ε^(1/3)·max(1, |θ_i|) balances the truncation error against rounding.
"""

import math
import sys

_STEP = sys.float_info.epsilon ** (1 / 3)


def evaluate(graph, theta):
    """g at another point: the graph's blocks recomputed from new inputs.

    Args:
        graph: A ``Graph``.
        theta: One value per input of ``graph``, in gradient order.

    Returns:
        g(theta) (float).

    Raises:
        ValueError: If ``theta`` has the wrong length, or a block is not
            defined at the new point.

    Example:
        >>> from nda_models.autodiff import lecture_example
        >>> evaluate(lecture_example(1).graph, (2.0, 0.0, 0.0))
        4.0
    """
    if len(theta) != len(graph.inputs):
        raise ValueError(
            f"Give one value per input {graph.input_names}. Received: theta={theta!r}"
        )
    given = {id(node): float(v) for node, v in zip(graph.inputs, theta, strict=True)}
    values = []
    for node, parents in zip(graph.nodes, graph.parent_indices, strict=True):
        if node.kind != "block":
            values.append(given.get(id(node), node.value))
            continue
        arguments = [values[p] for p in parents]
        values.append(node.block.value_at(*arguments, name=node.name))
    return values[-1]


def finite_difference_gradient(graph):
    """Central differences of g at the graph's point, one per input.

    Args:
        graph: A ``Graph``.

    Returns:
        A tuple with ∂g/∂θ_i ≈ (g(θ + h·e_i) − g(θ − h·e_i)) / 2h per input;
        ``None`` where g is not defined at θ ± h·e_i (e.g. log near 0).

    Example:
        >>> from nda_models.autodiff import lecture_example
        >>> [round(d, 6) for d in finite_difference_gradient(lecture_example(2).graph)]
        [-1.333333, -2.666667, 0.0]
    """
    theta = [node.value for node in graph.inputs]
    return tuple(_central(graph, theta, i) for i in range(len(theta)))


def _central(graph, theta, i):
    h = _STEP * max(1.0, abs(theta[i]))
    up, down = list(theta), list(theta)
    up[i] += h
    down[i] -= h
    try:
        quotient = (evaluate(graph, up) - evaluate(graph, down)) / (up[i] - down[i])
    except ValueError:  # the block is not defined a step away
        return None
    return quotient if math.isfinite(quotient) else None
