"""Exercise on the slide "Gradient descent": the Robbins–Monro conditions.

``robbins_monro``: which of five step-size schedules are "square summable,
but not summable", Σ η_t = ∞ and Σ η_t² < ∞? For η_t ∝ 1/t^p (or the
package's η0/(1 + t/τ)^p, which behaves the same for large t) that is
1/2 < p ≤ 1; a constant step fails the second condition, a geometric one
the first.

Example:
    >>> from nda_models.exercises import get_exercise
    >>> ex = get_exercise("robbins_monro", seed=0)
    >>> ex.check(ex.solution()).correct
    True
"""

from nda_models.exercises.answer_forms import Letters
from nda_models.exercises.draws import pick
from nda_models.exercises.exercise import ANSWER, Exercise
from nda_models.exercises.feedback import Feedback
from nda_models.exercises.registry import register_exercise

LABELS = ("A", "B", "C", "D", "E")
POWERS = (0.25, 0.5, 0.6, 0.75, 0.9, 1.0, 1.5, 2.0)


def formula(schedule):
    """The schedule in LaTeX, e.g. ``\\eta_t = 0.5 / t^{0.75}``."""
    eta0, kind = schedule["eta0"], schedule["kind"]
    if kind == "constant":
        return f"\\eta_t = {eta0:g}"
    if kind == "geometric":
        return f"\\eta_t = {eta0:g} \\cdot {schedule['gamma']:g}^t"
    if kind == "power":
        return f"\\eta_t = {eta0:g} / t^{{{schedule['p']:g}}}"
    return f"\\eta_t = {eta0:g} / (1 + t/{schedule['tau']:g})^{{{schedule['p']:g}}}"


def verdict(schedule):
    """``(satisfies, mistake name if chosen or missed, reason)``."""
    kind = schedule["kind"]
    if kind == "constant":
        reason = (
            "a constant step has Σ η_t² = ∞: SGD keeps fluctuating in the "
            "region of confusion instead of settling."
        )
        return False, "squares_diverge", reason
    if kind == "geometric":
        reason = (
            f"Σ η0·γ^t = η0·γ/(1 − γ) is finite (γ = {schedule['gamma']:g}): "
            "the steps die out before the iterates travel far enough."
        )
        return False, "steps_summable", reason
    p = schedule["p"]
    if p <= 0.5:
        reason = (
            f"Σ η_t² behaves as Σ 1/t^{2 * p:g}, which diverges (2p ≤ 1): the "
            "steps stay too large to settle."
        )
        return False, "squares_diverge", reason
    if p > 1:
        reason = (
            f"Σ η_t behaves as Σ 1/t^{p:g}, which converges (p > 1): the "
            "steps shrink so fast the iterates may stop short of the optimum."
        )
        return False, "steps_summable", reason
    reason = (
        f"with 1/2 < p = {p:g} ≤ 1, Σ 1/t^{p:g} diverges and Σ 1/t^{2 * p:g} "
        "converges, so it satisfies both."
    )
    return True, "missed", reason


@register_exercise
class RobbinsMonro(Exercise):
    """Pick the schedules with Σ η_t = ∞ and Σ η_t² < ∞."""

    name = "robbins_monro"
    title = "step sizes that are square summable but not summable"
    slide = "Gradient descent"
    tolerance = None  # letters, no numbers

    def draw(self, rng):
        while True:
            powers = rng.choice(POWERS, size=4, replace=False)
            schedules = [self._power(rng, float(p)) for p in powers]
            schedules.append(self._other(rng))
            order = rng.permutation(len(schedules))
            schedules = [dict(schedules[i], label=LABELS[k])
                         for k, i in enumerate(order)]  # fmt: skip
            kept = sum(verdict(s)[0] for s in schedules)
            if 0 < kept < 4:
                return {"schedules": schedules}

    def _power(self, rng, p):
        schedule = {"kind": pick(rng, ["power", "robbins_monro"]), "p": p,
                    "eta0": pick(rng, [0.1, 0.5, 1.0])}  # fmt: skip
        if schedule["kind"] == "robbins_monro":
            schedule["tau"] = pick(rng, [10, 100])
        return schedule

    def _other(self, rng):
        if pick(rng, ["constant", "geometric"]) == "constant":
            return {"kind": "constant", "eta0": pick(rng, [0.01, 0.1])}
        return {"kind": "geometric", "eta0": 0.5, "gamma": pick(rng, [0.9, 0.99])}

    def form(self):
        return Letters(LABELS)

    def statement(self):
        rows = "\n".join(
            f"- **{s['label']}**: ${formula(s)}$" for s in self.params["schedules"]
        )
        return (
            'Gradient descent takes $\\eta_t$ either constant or "square summable, '
            'but not summable": $\\sum_{t=1}^\\infty \\eta_t = \\infty$ and '
            "$\\sum_{t=1}^\\infty \\eta_t^2 < \\infty$ (the Robbins–Monro "
            "conditions; $t = 1, 2, \\ldots$). Which of these schedules satisfy "
            f"**both** conditions?\n\n{rows}"
        )

    def solve(self):
        return [s["label"] for s in self.params["schedules"] if verdict(s)[0]]

    def _grade(self, given):
        given = given[ANSWER]
        found, hints, right, wrong = [], [], [], []
        for schedule in self.params["schedules"]:
            label = schedule["label"]
            keeps, name, reason = verdict(schedule)
            if (label in given) == keeps:
                right.append(label)
                continue
            wrong.append(label)
            found.append(name)
            hints.append(f"{label} {'was left out' if keeps else 'fails'}: {reason}")
        if not wrong:
            chosen = ", ".join(sorted(given)) or "none"
            return Feedback(True, f"{chosen}: exactly the schedules with Σ η_t = ∞ "
                            "and Σ η_t² < ∞.", right=tuple(right))  # fmt: skip
        return Feedback(False, " ".join(hints), right=tuple(right), wrong=tuple(wrong),
                        mistakes=tuple(found))  # fmt: skip
