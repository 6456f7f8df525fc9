"""The computational graph of g: nodes in topological order, with labels.

Lecture 12, "Computational graph": a directed acyclic graph with input nodes
θ_1..θ_d, computational blocks f_k and the output node g(θ). Once the forward
pass has built it (every node holds its value and local derivatives), the
graph is all the two modes of automatic differentiation need.
"""

import numbers

from nda_models.autodiff.node import Node, variable
from nda_models.core.constraints import is_number


class Graph:
    """A recorded forward pass: the DAG from the inputs θ to the output g.

    Args:
        output: The node g(θ).
        inputs: The variable nodes θ_1..θ_d, in the order of the gradient. By
            default, every variable of the graph in the order first met.

    Attributes:
        output: The output node.
        inputs: Tuple of input variables.
        nodes: Every node, parents before children (topological order:
            inputs, constants, then blocks, g last), so that the forward pass
            reads left to right and the backward pass right to left.
        parent_indices: For each node, the positions of its parents in
            ``nodes``.

    Raises:
        TypeError: If ``output`` or an input is not a ``Node``.
        ValueError: If an input is not a variable, is listed twice, or the
            output depends on a variable missing from ``inputs``.

    Example:
        >>> from nda_models.autodiff import Graph, variable
        >>> w = variable(3.0, "w")
        >>> graph = Graph((w * 2.0).exp(), inputs=[w])
        >>> [graph.label(n) for n in graph.nodes]
        ['w', '2', 'f1', 'f2']
    """

    def __init__(self, output, inputs=None):
        if not isinstance(output, Node):
            raise TypeError(
                "`output` must be a Node built from the inputs (a variable or a "
                f"block output). Received: output={output!r}"
            )
        self.output = output
        found = _topological_order(output)
        variables = [node for node in found if node.kind == "variable"]
        self.inputs = tuple(
            variables if inputs is None else _check_inputs(inputs, variables)
        )
        self.nodes = _leaves_first(found, self.inputs)
        self.index = {id(node): k for k, node in enumerate(self.nodes)}
        self.parent_indices = tuple(
            tuple(self.index[id(p)] for p in node.parents) for node in self.nodes
        )
        self._labels = self._make_labels()

    @property
    def value(self):
        """g(θ), the output's value."""
        return self.output.value

    @property
    def input_names(self):
        """Labels of the inputs, e.g. ``("θ1", "θ2", "θ3")``."""
        return tuple(self.label(node) for node in self.inputs)

    def label(self, node):
        """The display name of ``node``: its name, else ``θi`` / value / ``fk``."""
        return self._labels[id(node)]

    def _make_labels(self):
        labels = {}
        position = {id(node): i for i, node in enumerate(self.inputs)}
        blocks = 0
        for node in self.nodes:
            if node.kind == "block":
                blocks += 1
            if node.name is not None:
                labels[id(node)] = node.name
            elif node.kind == "variable":
                labels[id(node)] = f"θ{position[id(node)] + 1}"
            elif node.kind == "constant":
                labels[id(node)] = f"{node.value:.6g}"
            else:
                labels[id(node)] = f"f{blocks}"
        for node in self.inputs:
            labels.setdefault(id(node), node.name or f"θ{position[id(node)] + 1}")
        return labels


def _topological_order(output):
    # Iterative depth-first search (a sum of 10,000 terms is 10,000 deep):
    # a node is appended once all of its parents are.
    order, seen, stack = [], set(), [(output, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        stack.extend((p, False) for p in reversed(node.parents) if id(p) not in seen)
    return order


def _leaves_first(order, inputs):
    # Still a topological order, but drawn like the slides: θ1..θd, then the
    # constants, then the blocks from the inputs towards g.
    in_graph = {id(node) for node in order}
    variables = [node for node in inputs if id(node) in in_graph]
    constants = [node for node in order if node.kind == "constant"]
    blocks = [node for node in order if node.kind == "block"]
    return variables + constants + blocks


def _check_inputs(inputs, found):
    inputs = list(inputs)
    for node in inputs:
        if not isinstance(node, Node) or node.kind != "variable":
            error = TypeError if not isinstance(node, Node) else ValueError
            raise error(
                "Every input must be a variable node (create it with "
                f"`variable(value, name)`). Received: input={node!r}"
            )
    if len({id(node) for node in inputs}) != len(inputs):
        raise ValueError(f"Each input may be listed once. Received: inputs={inputs!r}")
    listed = {id(node) for node in inputs}
    missing = [node for node in found if id(node) not in listed]
    if missing:
        raise ValueError(
            "The output depends on variables that are not in `inputs`; list "
            "them too, or make them constants with `constant(value)`. "
            f"Received: missing={missing!r}"
        )
    return inputs


def trace(function, theta, *, names=None):
    """Runs the forward pass of ``function`` at ``theta`` and records its graph.

    Args:
        function: ``function(theta) -> Node``, where ``theta`` is a tuple of
            variable nodes; write it with ``+ - * / **`` and the blocks of
            ``nda_models.autodiff.ops``.
        theta: The point, a sequence of d real numbers.
        names: Display names of the inputs (default ``θ1..θd``).

    Returns:
        The ``Graph`` of g at θ.

    Raises:
        TypeError: If ``theta`` holds non-numbers or ``function`` does not
            return a ``Node``.
        ValueError: If ``theta`` is empty or ``names`` has the wrong length.

    Example:
        >>> graph = trace(lambda t: t[0] ** 2 + 2 * t[1] ** 2, (1.0, -1.0))
        >>> graph.value
        3.0
    """
    theta = check_theta(theta)
    if names is None:
        names = [f"θ{i + 1}" for i in range(len(theta))]
    if len(names) != len(theta):
        raise ValueError(
            "Give one name per entry of theta. "
            f"Received: {len(names)} names for {len(theta)} values"
        )
    inputs = tuple(variable(v, n) for v, n in zip(theta, names, strict=True))
    output = function(inputs)
    if not isinstance(output, Node):
        raise TypeError(
            "`function` must return a Node computed from its inputs (use the "
            f"theta it receives). Received: {output!r}"
        )
    return Graph(output, inputs=inputs)


def check_theta(theta):
    """Returns ``theta`` as a tuple of floats: a point with at least one value."""
    if isinstance(theta, numbers.Real) or isinstance(theta, str):
        raise TypeError(
            f"`theta` must be a sequence of numbers. Received: theta={theta!r}"
        )
    theta = tuple(theta)
    if not theta:
        raise ValueError(f"`theta` needs at least one value. Received: theta={theta}")
    for value in theta:
        if not is_number(value):
            raise TypeError(
                "Every entry of `theta` must be a real number. "
                f"Received: theta={theta!r}"
            )
    return tuple(float(v) for v in theta)
