"""One call: trace g at θ, then run forward or reverse mode.

In the spirit of ``jax.jvp`` / ``jax.vjp``: forward mode pushes one tangent
e_i through the graph per input (d passes, one column of the Jacobian each);
reverse mode pulls the cotangent 1 back from the output (one pass, the whole
gradient).
"""

from nda_models.autodiff.forward_mode import forward_mode
from nda_models.autodiff.graph import trace
from nda_models.autodiff.reverse_mode import reverse_mode
from nda_models.core.name_table import NameTable

#: The two modes of automatic differentiation: name -> ``run(graph, ...)``.
MODES = NameTable(
    {"forward": forward_mode, "reverse": reverse_mode}, noun="autodiff mode"
)


def differentiate(function, theta, *, mode="reverse", names=None, record_messages=True):
    """Computes g(θ) and ∇g(θ) with our pure-Python engine.

    Args:
        function: ``function(theta) -> Node``; ``theta`` is a tuple of
            variable nodes (see ``trace``).
        theta: The point, d real numbers.
        mode: ``"reverse"`` (backpropagation, 1 pass) or ``"forward"``
            (d passes).
        names: Display names of the inputs (default ``θ1..θd``).
        record_messages: Keep every message for printing.

    Returns:
        An ``AutodiffResult`` (``.value``, ``.gradient``, ``.messages``).

    Raises:
        ValueError: For an unknown mode or a bad ``theta``.

    Example:
        >>> result = differentiate(lambda t: t[0] * t[1].exp(), (2.0, 0.0))
        >>> result.value, result.gradient
        (2.0, (1.0, 2.0))
    """
    run = MODES.lookup("mode", mode)
    graph = trace(function, theta, names=names)
    return run(graph, record_messages=record_messages)
