"""What a mode of automatic differentiation returns: g(θ), ∇g(θ), messages."""

import dataclasses


@dataclasses.dataclass(frozen=True)
class AutodiffResult:
    """The value, the gradient and the messages that produced it.

    Attributes:
        mode: ``"forward"`` or ``"reverse"``.
        value: g(θ).
        gradient: ∂g/∂θ_i, one entry per input (a tuple). In forward mode
            restricted with ``wrt=``, entries not computed are ``None``.
        input_names: Labels of the inputs, in gradient order.
        passes: Passes over the graph after the forward pass: d for forward
            mode (one per input), 1 for reverse mode.
        messages: Every ``Message`` in sending order (empty if not recorded).
        graph: The ``Graph`` differentiated.

    Example:
        >>> from nda_models.autodiff import reverse_mode, trace
        >>> result = reverse_mode(trace(lambda t: t[0] * t[1], (2.0, 3.0)))
        >>> result.gradient
        (3.0, 2.0)
    """

    mode: str
    value: float
    gradient: tuple
    input_names: tuple
    passes: int
    messages: tuple
    graph: object = dataclasses.field(repr=False, compare=False)
