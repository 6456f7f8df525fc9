"""The lecture's three worked examples as ready computational graphs.

- Example 1 (Fig. 5.19/5.20): g(θ) = θ1² + 2·θ2² − θ3² at θ = (1, −1, 1),
  drawn as three square blocks f1, f2, f3 feeding f4 = x1 + 2·x2 − x3.
- Example 2 (Fig. 5.25/5.26): g(θ) = f4(f3(f1(θ1, θ2), f2(θ2, θ3))) with
  f1 = f2 = f3 = (x1 + 2·x2)² and f4 = log, at θ = (1, −2, 1):
  g = log 81 and ∇g = (−4/3, −8/3, 0).
- Example 3 (one neuron, squared loss): u = w·x, v = u + b, y = e^v,
  ℓ = (y − y*)², differentiated with respect to θ = (w, b). The slides
  derive it symbolically and give no numbers: the default point
  (w, b) = (0.5, 0), x = 2, y* = 2 is this package's choice.
"""

import dataclasses

from nda_models.autodiff.block import Block
from nda_models.autodiff.differentiate import MODES
from nda_models.autodiff.graph import Graph, check_theta
from nda_models.autodiff.node import constant, variable
from nda_models.autodiff.ops import add, exp, log, multiply
from nda_models.core.constraints import is_integer

SQUARE = Block("square", "x1²", lambda a: a * a, (lambda o, a: 2 * a,), ("2·x1",))
WEIGHTED_SUM = Block(
    "weighted_sum", "x1 + 2·x2 − x3", lambda a, b, c: a + 2 * b - c,
    (lambda o, a, b, c: 1.0, lambda o, a, b, c: 2.0, lambda o, a, b, c: -1.0),
    ("1", "2", "−1"),
)  # fmt: skip
SQUARED_SUM = Block(
    "squared_sum", "(x1 + 2·x2)²", lambda a, b: (a + 2 * b) ** 2,
    (lambda o, a, b: 2 * (a + 2 * b), lambda o, a, b: 4 * (a + 2 * b)),
    ("2·(x1 + 2·x2)", "4·(x1 + 2·x2)"),
)  # fmt: skip
SQUARED_ERROR = Block(
    "squared_error", "(x1 − x2)²", lambda y, t: (y - t) ** 2,
    (lambda o, y, t: 2 * (y - t), lambda o, y, t: -2 * (y - t)),
    ("2·(x1 − x2)", "−2·(x1 − x2)"),
)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class LectureExample:
    """A lecture example, differentiated.

    Attributes:
        number: 1, 2 or 3.
        formula: g written as on the slide.
        graph: Its ``Graph`` at θ.
        result: The ``AutodiffResult`` of the chosen mode.
        value: g(θ).
        gradient: ∇g(θ), one entry per input.
        input_names: Labels of the inputs (``θ1..`` or ``w, b``).
        theta: The point θ.
    """

    number: int
    formula: str
    graph: Graph
    result: object
    value: float
    gradient: tuple
    input_names: tuple
    theta: tuple


def _example1(theta):
    t1, t2, t3 = (variable(v, f"θ{i + 1}") for i, v in enumerate(theta))
    squares = [SQUARE(t, name=f"f{i + 1}") for i, t in enumerate((t1, t2, t3))]
    return Graph(WEIGHTED_SUM(*squares, name="f4"), inputs=[t1, t2, t3])


def _example2(theta):
    t1, t2, t3 = (variable(v, f"θ{i + 1}") for i, v in enumerate(theta))
    f1 = SQUARED_SUM(t1, t2, name="f1")
    f2 = SQUARED_SUM(t2, t3, name="f2")
    f3 = SQUARED_SUM(f1, f2, name="f3")
    return Graph(log(f3, name="f4"), inputs=[t1, t2, t3])


def _example3(theta, x, y_true):
    w, b = variable(theta[0], "w"), variable(theta[1], "b")
    u = multiply(w, constant(x, "x"), name="u")
    v = add(u, b, name="v")
    y = exp(v, name="y")
    loss = SQUARED_ERROR(y, constant(y_true, "y*"), name="ℓ")
    return Graph(loss, inputs=[w, b])


EXAMPLES = {
    1: ("g(θ) = θ1² + 2·θ2² − θ3²", (1.0, -1.0, 1.0)),
    2: (
        "g(θ) = f4(f3(f1(θ1, θ2), f2(θ2, θ3))), f1 = f2 = f3 = (x1 + 2·x2)², f4 = log",
        (1.0, -2.0, 1.0),
    ),
    3: ("u = w·x, v = u + b, y = e^v, ℓ = (y − y*)², θ = (w, b)", (0.5, 0.0)),
}
EXAMPLE3_DEFAULTS = {"x": 2.0, "y_true": 2.0}


def lecture_example(k, theta=None, *, mode="reverse", x=None, y_true=None,
                    record_messages=True):  # fmt: skip
    """Builds lecture example ``k`` at ``theta`` and differentiates it.

    Args:
        k: 1, 2 or 3 (see the module docstring).
        theta: The point; default (1, −1, 1), (1, −2, 1) and (w, b) = (0.5, 0).
        mode: ``"reverse"`` (backpropagation) or ``"forward"``.
        x: Example 3 only: the input x (default 2).
        y_true: Example 3 only: the target y* (default 2).
        record_messages: Keep every message for printing.

    Returns:
        A ``LectureExample`` with ``.value``, ``.gradient``, ``.graph`` and
        ``.result`` (whose ``.messages`` trace the computation).

    Raises:
        TypeError: If ``k`` is not an int or ``theta`` holds non-numbers.
        ValueError: For an unknown example or mode, a ``theta`` of the wrong
            length, ``x``/``y_true`` given to examples 1 and 2, or a θ outside
            the domain (example 2 needs f3 > 0 for the log).

    Example:
        >>> example = lecture_example(2)
        >>> round(example.value, 4), example.gradient
        (4.3944, (-1.3333333333333333, -2.6666666666666665, 0.0))
    """
    if not is_integer(k):
        raise TypeError(f"`k` must be an int in {sorted(EXAMPLES)}. Received: k={k!r}")
    if k not in EXAMPLES:
        raise ValueError(
            f"There is no lecture example {k}. Use one of {sorted(EXAMPLES)}. "
            f"Received: k={k!r}"
        )
    run = MODES.lookup("mode", mode)
    formula, default = EXAMPLES[k]
    theta = default if theta is None else check_theta(theta)
    if len(theta) != len(default):
        raise ValueError(
            f"Example {k} takes {len(default)} values of theta. "
            f"Received: theta={theta!r}"
        )
    graph = _build(k, theta, x, y_true)
    result = run(graph, record_messages=record_messages)
    return LectureExample(
        number=int(k),
        formula=formula,
        graph=graph,
        result=result,
        value=result.value,
        gradient=result.gradient,
        input_names=result.input_names,
        theta=theta,
    )


def _build(k, theta, x, y_true):
    if k != 3:
        if x is not None or y_true is not None:
            raise ValueError(
                "`x` and `y_true` only apply to example 3. Drop them. "
                f"Received: k={k}, x={x!r}, y_true={y_true!r}"
            )
        return _example1(theta) if k == 1 else _example2(theta)
    x = EXAMPLE3_DEFAULTS["x"] if x is None else x
    y_true = EXAMPLE3_DEFAULTS["y_true"] if y_true is None else y_true
    return _example3(theta, x, y_true)
