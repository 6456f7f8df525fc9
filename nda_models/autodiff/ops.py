"""The elementary blocks of the lecture, each with its local derivatives.

Arithmetic (add, subtract, multiply, divide, negate, power), exp, log and the
activations of the lecture's neurons (relu, sigmoid, tanh). Each function
below runs one block's forward pass (see ``Block``) and returns the new node;
the ``Block`` constants hold the formulas that tables and DOT export print.

This module also gives ``Node`` its operators (``+ - * / **``, ``-x`` and
``.exp()``, ``.log()``, ``.relu()``, ``.sigmoid()``, ``.tanh()``), as
micrograd's ``Value`` has them: each builds one of these blocks. They are
attached here, where the blocks are, so that ``node.py`` imports no block.
"""

import math

from nda_models.autodiff.block import Block
from nda_models.autodiff.node import Node


def _sigmoid(x):
    # Two branches so that exp never overflows: σ(x) = 1 / (1 + e^(−x)).
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


ADD = Block(
    "add", "x1 + x2", lambda a, b: a + b,
    (lambda out, a, b: 1.0, lambda out, a, b: 1.0), ("1", "1"),
)  # fmt: skip
SUBTRACT = Block(
    "subtract", "x1 − x2", lambda a, b: a - b,
    (lambda out, a, b: 1.0, lambda out, a, b: -1.0), ("1", "−1"),
)  # fmt: skip
MULTIPLY = Block(
    "multiply", "x1·x2", lambda a, b: a * b,
    (lambda out, a, b: b, lambda out, a, b: a), ("x2", "x1"),
)  # fmt: skip
DIVIDE = Block(
    "divide", "x1 / x2", lambda a, b: a / b,
    (lambda out, a, b: 1.0 / b, lambda out, a, b: -a / (b * b)),
    ("1 / x2", "−x1 / x2²"),
)  # fmt: skip
NEGATE = Block("negate", "−x1", lambda a: -a, (lambda out, a: -1.0,), ("−1",))
POWER = Block(
    "power", "x1^x2", math.pow,
    (lambda out, a, b: b * math.pow(a, b - 1), lambda out, a, b: out * math.log(a)),
    ("x2·x1^(x2 − 1)", "x1^x2·log(x1)"),
)  # fmt: skip
EXP = Block("exp", "e^x1", math.exp, (lambda out, a: out,), ("e^x1",))
LOG = Block("log", "log(x1)", math.log, (lambda out, a: 1.0 / a,), ("1 / x1",))
RELU = Block(
    "relu", "max(0, x1)", lambda a: max(0.0, a),
    # At the kink x1 = 0 we use 0, as TensorFlow does.
    (lambda out, a: 1.0 if a > 0 else 0.0,), ("1 if x1 > 0 else 0",),
)  # fmt: skip
SIGMOID = Block(
    "sigmoid", "σ(x1)", _sigmoid, (lambda out, a: out * (1.0 - out),),
    ("σ(x1)·(1 − σ(x1))",),
)  # fmt: skip
TANH = Block(
    "tanh", "tanh(x1)", math.tanh, (lambda out, a: 1.0 - out * out,),
    ("1 − tanh²(x1)",),
)  # fmt: skip

#: The engine's elementary functions: name -> ``Block``, with its local derivatives.
ELEMENTARY_BLOCKS = {
    block.name: block
    for block in (ADD, SUBTRACT, MULTIPLY, DIVIDE, NEGATE, POWER, EXP, LOG)
    + (RELU, SIGMOID, TANH)
}


def add(x1, x2, *, name=None):
    """x1 + x2; local derivatives 1 and 1.

    Example:
        >>> from nda_models.autodiff import add, variable
        >>> add(variable(1.0), 2.0).value
        3.0
    """
    return ADD(x1, x2, name=name)


def subtract(x1, x2, *, name=None):
    """x1 − x2; local derivatives 1 and −1.

    Example:
        >>> from nda_models.autodiff import subtract, variable
        >>> subtract(variable(1.0), 2.0).value
        -1.0
    """
    return SUBTRACT(x1, x2, name=name)


def multiply(x1, x2, *, name=None):
    """x1·x2; local derivatives x2 and x1 (slide: u = w·x, ∂u/∂w = x).

    Example:
        >>> from nda_models.autodiff import multiply, variable
        >>> multiply(variable(3.0, "w"), 2.0).local_derivatives
        (2.0, None)
    """
    return MULTIPLY(x1, x2, name=name)


def divide(x1, x2, *, name=None):
    """x1 / x2; local derivatives 1/x2 and −x1/x2².

    Raises:
        ValueError: If x2 is 0.

    Example:
        >>> from nda_models.autodiff import divide, variable
        >>> divide(variable(1.0), 4.0).value
        0.25
    """
    return DIVIDE(x1, x2, name=name)


def negate(x1, *, name=None):
    """−x1; local derivative −1.

    Example:
        >>> from nda_models.autodiff import negate, variable
        >>> negate(variable(2.0)).value
        -2.0
    """
    return NEGATE(x1, name=name)


def power(x1, x2, *, name=None):
    """x1^x2; local derivatives x2·x1^(x2−1) and x1^x2·log(x1).

    The derivative with respect to the exponent is only evaluated when the
    exponent is not a constant (it needs x1 > 0).

    Raises:
        ValueError: For a negative base with a fractional exponent, or 0 to a
            negative power.

    Example:
        >>> from nda_models.autodiff import power, variable
        >>> power(variable(3.0), 2).local_derivatives
        (6.0, None)
    """
    return POWER(x1, x2, name=name)


def exp(x1, *, name=None):
    """e^x1; local derivative e^x1 (slide: y = e^v, ∂y/∂v = y).

    Example:
        >>> from nda_models.autodiff import exp, variable
        >>> exp(variable(0.0)).local_derivatives
        (1.0,)
    """
    return EXP(x1, name=name)


def log(x1, *, name=None):
    """Natural logarithm log(x1); local derivative 1/x1.

    Raises:
        ValueError: If x1 <= 0.

    Example:
        >>> from nda_models.autodiff import log, variable
        >>> log(variable(81.0)).local_derivatives
        (0.012345679012345678,)
    """
    return LOG(x1, name=name)


def relu(x1, *, name=None):
    """max(0, x1); local derivative 1 if x1 > 0 else 0.

    Example:
        >>> from nda_models.autodiff import relu, variable
        >>> relu(variable(-1.0)).value
        0.0
    """
    return RELU(x1, name=name)


def sigmoid(x1, *, name=None):
    """σ(x1) = 1 / (1 + e^(−x1)); local derivative σ(x1)·(1 − σ(x1)).

    Example:
        >>> from nda_models.autodiff import sigmoid, variable
        >>> sigmoid(variable(0.0)).local_derivatives
        (0.25,)
    """
    return SIGMOID(x1, name=name)


def tanh(x1, *, name=None):
    """tanh(x1); local derivative 1 − tanh²(x1).

    Example:
        >>> from nda_models.autodiff import tanh, variable
        >>> tanh(variable(0.0)).local_derivatives
        (1.0,)
    """
    return TANH(x1, name=name)


# Node's operators, micrograd-style: each runs one block's forward pass.
_OPERATORS = {
    "__add__": lambda self, other: add(self, other),
    "__radd__": lambda self, other: add(other, self),
    "__sub__": lambda self, other: subtract(self, other),
    "__rsub__": lambda self, other: subtract(other, self),
    "__mul__": lambda self, other: multiply(self, other),
    "__rmul__": lambda self, other: multiply(other, self),
    "__truediv__": lambda self, other: divide(self, other),
    "__rtruediv__": lambda self, other: divide(other, self),
    "__pow__": lambda self, other: power(self, other),
    "__rpow__": lambda self, other: power(other, self),
    "__neg__": lambda self: negate(self),
    "exp": exp,
    "log": log,
    "relu": relu,
    "sigmoid": sigmoid,
    "tanh": tanh,
}
for _name, _operator in _OPERATORS.items():
    setattr(Node, _name, _operator)
