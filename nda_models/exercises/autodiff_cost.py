"""Exercise on "Forward mode" against "Backpropagation": what a gradient costs.

``forward_reverse_cost``: for a graph g: R^d → R^m, forward mode carries
the derivatives with respect to one input θ_i per pass (d passes for the
whole Jacobian), reverse mode those of one output with respect to every
input per backward pass (m passes). For the lecture's scalar g (m = 1),
backpropagation needs one pass where forward mode needs d.

Example:
    >>> from nda_models.exercises import get_exercise
    >>> ex = get_exercise("forward_reverse_cost", seed=0)
    >>> ex.solution() == {"forward_passes": ex.params["d"],
    ...                   "reverse_passes": ex.params["m"]}
    True
"""

from nda_models.exercises.answer_forms import Count, Fields
from nda_models.exercises.draws import pick
from nda_models.exercises.exercise import Exercise, Mistake
from nda_models.exercises.registry import register_exercise


@register_exercise
class ForwardReverseCost(Exercise):
    """Passes needed by forward and reverse mode for a full Jacobian."""

    name = "forward_reverse_cost"
    title = "forward against reverse mode: passes for all the derivatives"
    slide = "Forward mode of automatic differentiation"
    tolerance = None  # whole numbers, compared exactly
    hints = {
        "forward_passes": "one forward-mode pass follows ∂/∂θ_i for one input θ_i.",
        "reverse_passes": "one backward pass sends the messages of one output back "
        "to all the inputs at once.",
    }

    def draw(self, rng):
        return {
            "d": pick(rng, [10, 50, 100, 1000, 10_000]),
            "m": pick(rng, [1, 2, 3, 5]),
        }

    def form(self):
        return Fields({
            "forward_passes": (Count(), "the forward-mode count"),
            "reverse_passes": (Count(), "the reverse-mode count"),
        })  # fmt: skip

    def statement(self):
        d, m = self.params["d"], self.params["m"]
        outputs = "one output $g(\\theta)$" if m == 1 else f"$m = {m}$ outputs"
        partial = "g" if m == 1 else "g_j"
        return (
            f"A computational graph takes $d = {d}$ inputs $\\theta_1, \\ldots, "
            f"\\theta_d$ and has {outputs}. After the forward pass that computes "
            "the values, how many derivative passes through the graph does "
            "**forward mode** need, and how many does **reverse mode** "
            "(backpropagation) need, to obtain every partial derivative "
            f"$\\partial {partial}/\\partial \\theta_i$? Each pass works as the slides "
            "describe it."
        )

    def solve(self):
        return {"forward_passes": self.params["d"], "reverse_passes": self.params["m"]}

    def mistakes(self):
        d, m = self.params["d"], self.params["m"]
        found = [
            Mistake("forward_once",
                    "Forward mode gets ∂g/∂θ_i for one input θ_i per pass: the slide "
                    "repeats it \"for every entry θ_i\", d passes.",
                    {"forward_passes": 1}),
            Mistake("reverse_per_input",
                    "One backward pass gives the derivatives of one output with "
                    "respect to all the inputs simultaneously: one pass per output.",
                    {"reverse_passes": d}),
        ]  # fmt: skip
        if m > 1:
            found.append(Mistake(
                "one_pass_per_derivative",
                "Each pass yields a whole column (forward) or row (reverse) of the "
                "Jacobian, not a single derivative.",
                {"forward_passes": d * m, "reverse_passes": d * m},
            ))  # fmt: skip
        return found
