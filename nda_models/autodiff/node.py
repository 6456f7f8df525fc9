"""A node of the computational graph: one scalar and where it came from.

Lecture 12, "Computational graph": a directed acyclic graph whose leaves are
the input variables θ_1..θ_d (and fixed constants such as the data x), whose
inner nodes are the outputs of elementary blocks f_k, and whose last node is
g(θ). Each block node stores, during the forward pass, its value and the
local partial derivatives ∂f_k/∂(each input): the two modes of automatic
differentiation only multiply and add those stored numbers.

Like micrograd's ``Value``, nodes support ``+ - * / **`` and ``.exp()``,
``.log()``, ``.relu()``, ``.sigmoid()``, ``.tanh()``, so ``g`` can be written
as ordinary Python. Those operators build blocks, so ``nda_models.autodiff.ops``
attaches them to ``Node`` (this module imports no block: no import cycle).
"""

from nda_models.core.constraints import is_number

KINDS = ("variable", "constant", "block")


class Node:
    """One scalar of the computational graph.

    Create inputs with ``variable`` and fixed data with ``constant``; blocks
    (see ``nda_models.autodiff.ops``) create every other node.

    Attributes:
        value: The scalar computed by the forward pass.
        kind: ``"variable"`` (an input θ_i), ``"constant"`` (data, gets no
            derivative) or ``"block"`` (output of an elementary function).
        parents: The input nodes of the block, in argument order (empty for
            leaves).
        block: The ``Block`` that computed this node (``None`` for leaves).
        local_derivatives: ∂(this node)/∂(parent) for every parent, evaluated
            in the forward pass; ``None`` for constant parents, which never
            receive a message.
        name: Display name (``"θ1"``, ``"u"``); ``None`` lets the graph
            number anonymous blocks ``f1, f2, ...``.

    Example:
        >>> from nda_models.autodiff import variable
        >>> w = variable(3.0, "w")
        >>> u = w * 2.0
        >>> u.value, u.local_derivatives
        (6.0, (2.0, None))
    """

    __slots__ = ("value", "kind", "parents", "block", "local_derivatives", "name")

    def __init__(self, value, *, kind, parents=(), block=None, local=(), name=None):
        if kind not in KINDS:
            raise ValueError(
                f"Unknown node kind. Use one of {KINDS}. Received: kind={kind!r}"
            )
        self.value = float(value)
        self.kind = kind
        self.parents = tuple(parents)
        self.block = block
        self.local_derivatives = tuple(local)
        self.name = name

    def __repr__(self):
        label = f"{self.name}=" if self.name else ""
        return f"Node({label}{self.value:.6g}, kind={self.kind!r})"


def _check_number(value, argument):
    if not is_number(value):
        raise TypeError(
            f"`{argument}` must be a real number (int or float). "
            f"Received: {argument}={value!r} of type {type(value).__name__}"
        )
    return float(value)


def check_name(name):
    """Returns ``name`` if it is ``None`` or a non-empty string."""
    if name is not None and (not isinstance(name, str) or not name):
        raise TypeError(
            f"`name` must be a non-empty string or None. Received: name={name!r}"
        )
    return name


def variable(value, name=None):
    """Creates an input node θ_i: automatic differentiation returns ∂g/∂θ_i.

    Args:
        value: The input's value (a real number).
        name: Display name, e.g. ``"θ1"`` or ``"w"``.

    Returns:
        A ``Node`` of kind ``"variable"``.

    Raises:
        TypeError: If ``value`` is not a real number or ``name`` not a string.

    Example:
        >>> theta1 = variable(1.0, "θ1")
        >>> theta1
        Node(θ1=1, kind='variable')
    """
    return Node(_check_number(value, "value"), kind="variable", name=check_name(name))


def constant(value, name=None):
    """Creates a fixed node (data such as x or ``y*``): it receives no message.

    Plain Python numbers given to a block become constants automatically;
    call this to give one a display name.

    Args:
        value: The constant's value (a real number).
        name: Display name, e.g. ``"x"``; by default its value.

    Returns:
        A ``Node`` of kind ``"constant"``.

    Raises:
        TypeError: If ``value`` is not a real number or ``name`` not a string.

    Example:
        >>> constant(2.0, "x")
        Node(x=2, kind='constant')
    """
    return Node(_check_number(value, "value"), kind="constant", name=check_name(name))


def as_node(value, argument="input"):
    """Returns ``value`` if it is a ``Node``, else wraps the number as a constant.

    Raises:
        TypeError: If ``value`` is neither a ``Node`` nor a real number.
    """
    if isinstance(value, Node):
        return value
    return Node(_check_number(value, argument), kind="constant")
