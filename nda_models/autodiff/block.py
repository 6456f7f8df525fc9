"""An elementary function f_k: its value and its local partial derivatives.

Lecture 12, "Automatic Differentiation": g(θ) is seen as a composition of
elementary functions whose *local derivatives are easy to compute*, each
returning a single scalar. A ``Block`` is one such function, written down once
with the formula of each local derivative. Calling it on nodes runs the
forward pass of that block: it stores the output value and the local
derivatives with respect to every non-constant input.
"""

import dataclasses
import math
from collections.abc import Callable

from nda_models.autodiff.node import Node, as_node, check_name


@dataclasses.dataclass(frozen=True)
class Block:
    """An elementary function with hand-written local partial derivatives.

    Formulas name the inputs ``x1, x2, ...`` (the slides' notation); tables
    and DOT export substitute the actual input nodes.

    Attributes:
        name: Short name (``"multiply"``, ``"log"``).
        formula: The function, e.g. ``"(x1 + 2·x2)²"``.
        function: ``function(x1, ..., xn) -> float``.
        partials: One callable per input, ``partial(out, x1, ..., xn)``,
            returning ∂f/∂x_j; ``out`` is f's value, so e.g. exp's partial is
            just ``out``.
        partial_formulas: The formula of each partial, e.g. ``"2·(x1 + 2·x2)"``.

    Example:
        >>> from nda_models.autodiff import Block, variable
        >>> f = Block(
        ...     name="f",
        ...     formula="(x1 + 2·x2)²",
        ...     function=lambda x1, x2: (x1 + 2 * x2) ** 2,
        ...     partials=(
        ...         lambda out, x1, x2: 2 * (x1 + 2 * x2),
        ...         lambda out, x1, x2: 4 * (x1 + 2 * x2),
        ...     ),
        ...     partial_formulas=("2·(x1 + 2·x2)", "4·(x1 + 2·x2)"),
        ... )
        >>> f1 = f(variable(1.0, "θ1"), variable(-2.0, "θ2"), name="f1")
        >>> f1.value, f1.local_derivatives
        (9.0, (-6.0, -12.0))
    """

    name: str
    formula: str
    function: Callable
    partials: tuple
    partial_formulas: tuple

    def __post_init__(self):
        if not callable(self.function) or not all(map(callable, self.partials)):
            raise TypeError(
                "`function` and every entry of `partials` must be callable. "
                f"Received: function={self.function!r}, partials={self.partials!r}"
            )
        if len(self.partials) != len(self.partial_formulas) or not self.partials:
            raise ValueError(
                "A block needs one partial derivative and one partial formula per "
                "input (at least one input). Received: "
                f"{len(self.partials)} partials, "
                f"{len(self.partial_formulas)} partial_formulas"
            )

    @property
    def arity(self):
        """Number of inputs x1..xn."""
        return len(self.partials)

    def __call__(self, *inputs, name=None):
        """Forward pass of this block: value and local derivatives.

        Args:
            *inputs: ``Node`` objects or real numbers (numbers become constants).
            name: Display name of the output node.

        Returns:
            A ``Node`` of kind ``"block"``.

        Raises:
            ValueError: If the number of inputs is wrong, or the block is not
                defined at these inputs (log of a negative number, ...).
            TypeError: If an input is neither a ``Node`` nor a real number.
        """
        if len(inputs) != self.arity:
            raise ValueError(
                f"Block {self.name!r} ({self.formula}) takes {self.arity} "
                f"input(s). Pass exactly {self.arity}. Received: {len(inputs)} "
                f"inputs {inputs!r}"
            )
        parents = tuple(as_node(x, f"x{j + 1}") for j, x in enumerate(inputs))
        values = tuple(p.value for p in parents)
        out = self._evaluate(self.function, values, name)
        # Local derivatives only where a message can flow: constants get none.
        local = tuple(
            None
            if parent.kind == "constant"
            else self._evaluate(partial, (out, *values), name)
            for parent, partial in zip(parents, self.partials, strict=True)
        )
        return Node(
            out,
            kind="block",
            parents=parents,
            block=self,
            local=local,
            name=check_name(name),
        )

    def value_at(self, *values, name=None):
        """f(x1, ..., xn) at plain numbers, with no node built.

        Raises:
            ValueError: As ``__call__``, if f is not defined at ``values``.

        Example:
            >>> from nda_models.autodiff.ops import LOG
            >>> LOG.value_at(1.0)
            0.0
        """
        return self._evaluate(self.function, values, name)

    def _evaluate(self, function, arguments, name):
        try:
            result = float(function(*arguments))
        except (ArithmeticError, ValueError) as error:
            raise self._domain_error(name, arguments, str(error)) from None
        if not math.isfinite(result):
            raise self._domain_error(name, arguments, "non-finite result")
        return result

    def _domain_error(self, name, arguments, detail):
        where = f"Block {self.name!r} ({self.formula})"
        if name is not None:
            where += f" computing {name!r}"
        return ValueError(
            f"{where} is not defined or overflows at these inputs ({detail}). "
            "Choose inputs inside its domain. "
            f"Received: inputs={arguments[-self.arity :]!r}"
        )
