"""The gradient table of a step-through page: each ∂g/∂θ_i once it is final.

Part of ``graph_story``. Beside each input the page shows ∂g/∂θ_i of the
selected mode, from the step after which it can no longer change (reverse
mode: the input's last message; forward mode: the end of its pass), and the
finite-difference check (``finite_differences``) with their agreement.
"""

import dataclasses

from nda_models.autodiff import story_text as text
from nda_models.autodiff.finite_differences import finite_difference_gradient


@dataclasses.dataclass(frozen=True)
class GradientRow:
    """One input: its value, the gradient per mode, the finite difference."""

    element: str
    name: str
    theta: float
    gradient: dict
    finite_difference: float | None


def gradient_rows(graph, results, timeline):
    finite = finite_difference_gradient(graph)
    rows = []
    for i, x in enumerate(graph.inputs):
        gradient = {mode: result.gradient[i] for mode, result in results.items()}
        row = GradientRow(f"r{i}", graph.label(x), x.value, gradient, finite[i])
        rows.append(row)
    _gradient_steps(graph, results, timeline, rows)
    return tuple(rows)


def _gradient_steps(graph, results, timeline, rows):
    """Each ∂g/∂θ_i appears in the table once it is final in that mode."""
    start = timeline.forward_steps
    for mode, result in results.items():
        final = _final_steps(graph, result)
        for i, row in enumerate(rows):
            value = row.gradient[mode]
            if value is None or final[i] is None:
                timeline.set(
                    row.element + "g", "text", "not computed", at=0, modes=[mode]
                )
                continue
            at = start + final[i]
            timeline.set(row.element + "g", "text", "…", at=0, modes=[mode])
            timeline.set(row.element, "data-gradient", repr(value), at=at, modes=[mode])
            timeline.set(
                row.element + "g", "text", text.number(value), at=at, modes=[mode]
            )
            check = text.agreement(value, row.finite_difference)
            timeline.set(row.element + "c", "text", check, at=at, modes=[mode])


def _final_steps(graph, result):
    """The step after which each input's gradient is final (None: not computed)."""
    count = len(result.messages)
    first = min(count, 1)
    final = []
    for i, x in enumerate(graph.inputs):
        if result.gradient[i] is None:
            final.append(None)
            continue
        steps = [
            s
            for s, m in enumerate(result.messages, start=1)
            if (result.mode == "reverse" and graph.nodes[m.edge[0]] is x)
            or (result.mode == "forward" and m.pass_index == i)
        ]
        final.append(max(steps, default=first))
    return final
