"""One message of automatic differentiation: a product sent along an edge.

Lecture 12, "Chain rule of differentiation": derivatives multiply along each
path and the contributions of all paths sum. A message is one such product,
``incoming × local``, sent along one edge; the receiving node adds it to its
running ``total``.

- Reverse mode (backpropagation): the sender is a block f_k, ``incoming`` is
  ∂g/∂f_k (everything f_k has received), ``local`` is ∂f_k/∂(receiver), and
  the receiver's total grows towards ∂g/∂(receiver).
- Forward mode, pass i: the sender is an input of a block, ``incoming`` is
  ∂(sender)/∂θ_i, ``local`` is ∂(receiver)/∂(sender), and the receiver's
  total grows towards ∂(receiver)/∂θ_i.
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Message:
    """One recorded message, in the order the algorithm sends it.

    Attributes:
        mode: ``"forward"`` or ``"reverse"``.
        pass_index: The pass that sent it: i for forward mode's pass on θ_i
            (0-based), 0 for the single backward pass.
        step: 1-based position within its pass.
        sender: Label of the sending node.
        receiver: Label of the receiving node.
        incoming: The derivative the sender carries (see module docstring).
        local: The local derivative on this edge.
        value: ``incoming × local``, what is sent.
        total: The receiver's sum after adding ``value``.
        edge: Which edge of the graph carried it: ``(parent, child, j)``, the
            positions of the edge's ends in ``graph.nodes`` and the argument
            number j (0-based) of the parent in the child's block, so that
            ``x·x`` has two edges. ``None`` for a message made by hand.

    Example:
        >>> m = Message("reverse", 0, 1, "f4", "f3", 1.0, 1 / 81, 1 / 81, 1 / 81)
        >>> m.value == m.incoming * m.local
        True
    """

    mode: str
    pass_index: int
    step: int
    sender: str
    receiver: str
    incoming: float
    local: float
    value: float
    total: float
    edge: tuple | None = None
