"""Automatic differentiation, shown: a small computational-graph engine.

Lecture 12, "Back-propagation" / "Automatic Differentiation". Pure Python,
no TensorFlow: build g from elementary blocks, run the forward pass, then
forward mode (one pass per θ_i) or reverse mode (backpropagation, one pass),
and print every message.

Example:
    >>> from nda_models.autodiff import lecture_example, messages_table
    >>> example = lecture_example(2)
    >>> example.gradient[2]
    0.0
"""

from nda_models.autodiff import display as _display
from nda_models.autodiff.block import Block
from nda_models.autodiff.differentiate import MODES, differentiate
from nda_models.autodiff.dot import to_dot, write_dot
from nda_models.autodiff.examples import LectureExample, lecture_example
from nda_models.autodiff.forward_mode import forward_mode
from nda_models.autodiff.graph import Graph, trace
from nda_models.autodiff.message import Message
from nda_models.autodiff.node import Node, constant, variable
from nda_models.autodiff.ops import (
    ELEMENTARY_BLOCKS,
    add,
    divide,
    exp,
    log,
    multiply,
    negate,
    power,
    relu,
    sigmoid,
    subtract,
    tanh,
)
from nda_models.autodiff.result import AutodiffResult
from nda_models.autodiff.reverse_mode import reverse_mode
from nda_models.autodiff.tables import (
    format_number,
    forward_pass_table,
    gradient_summary,
    local_derivatives_table,
    messages_table,
)

_display.attach()  # Graph, AutodiffResult, LectureExample: to_html and notebook display

__all__ = [
    "ELEMENTARY_BLOCKS",
    "MODES",
    "AutodiffResult",
    "Block",
    "Graph",
    "LectureExample",
    "Message",
    "Node",
    "add",
    "constant",
    "differentiate",
    "divide",
    "exp",
    "format_number",
    "forward_mode",
    "forward_pass_table",
    "gradient_summary",
    "lecture_example",
    "local_derivatives_table",
    "log",
    "messages_table",
    "multiply",
    "negate",
    "power",
    "relu",
    "reverse_mode",
    "sigmoid",
    "subtract",
    "tanh",
    "to_dot",
    "trace",
    "variable",
    "write_dot",
]
