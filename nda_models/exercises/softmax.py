"""Exercises on the slides "Activation functions" and "Loss functions" (c classes).

- ``softmax``: softmax(z)_k = e^{z_k} / Σ_ℓ e^{z_ℓ}.
- ``log_softmax``: the LogSoftmax layer, z_k − log Σ_ℓ e^{z_ℓ}.
- ``softmax_nll``: NLLLoss = −log softmax_y(z) for the class y (counted
  from 0). The slide writes NLLLoss without its minus sign; the loss
  minimised is the negative log-likelihood.

Example:
    >>> from nda_models.exercises import get_exercise
    >>> ex = get_exercise("softmax", seed=0)
    >>> round(sum(ex.solution()), 6)
    1.0
"""

import numpy as np

from nda_models.exercises.answer_forms import Number, Vector
from nda_models.exercises.draws import numbers, vector
from nda_models.exercises.exercise import ANSWER, Exercise, Mistake
from nda_models.exercises.registry import register_exercise

_CLASSES = 3


def log_softmax(z):
    """z − log Σ e^z, shifted by max z so no exponential overflows."""
    z = np.asarray(z, dtype=np.float64)
    shifted = z - z.max()
    return shifted - np.log(np.exp(shifted).sum())


def _as_list(values):
    return [float(v) for v in values]


class _Logits(Exercise):
    """Shared by the three: c = 3 logits z in [−2, 3), one decimal."""

    def draw(self, rng):
        return {"logits": numbers(rng, _CLASSES, -2, 3)}

    def _z(self):
        return np.array(self.params["logits"])


@register_exercise
class Softmax(_Logits):
    """softmax of three logits."""

    name = "softmax"
    title = "the softmax of three logits"
    slide = "Activation functions"
    answer_label = "softmax(z)"
    hints = {ANSWER: "exponentiate every logit, then divide each by the sum."}

    def form(self):
        return Vector(_CLASSES)

    def statement(self):
        return (
            "The last layer of a classifier with $c = 3$ classes turns its logits "
            f"$z = {vector(self.params['logits'])}$ into probabilities with "
            "$\\mathrm{softmax}(z)_k = \\frac{e^{z_k}}{\\sum_{\\ell=1}^c "
            "e^{z_\\ell}}$. Compute the three probabilities."
        )

    def solve(self):
        return _as_list(np.exp(log_softmax(self._z())))

    def mistakes(self):
        z = self._z()
        return [
            Mistake("divided_by_sum",
                    "You normalised the logits themselves: softmax exponentiates "
                    "first, e^{z_k} / Σ_ℓ e^{z_ℓ}.",
                    {ANSWER: _as_list(z / z.sum())}),
            Mistake("not_normalised",
                    "Each e^{z_k} must be divided by Σ_ℓ e^{z_ℓ}, so that the "
                    "probabilities sum to 1.",
                    {ANSWER: _as_list(np.exp(z))}),
            Mistake("gave_log_softmax",
                    "Those are log-probabilities (the LogSoftmax layer); softmax is "
                    "their exponential.",
                    {ANSWER: _as_list(log_softmax(z))}),
            Mistake("negated",
                    "You used e^{−z_k}: softmax is e^{+z_k} / Σ_ℓ e^{z_ℓ}, the "
                    "largest logit gets the largest probability.",
                    {ANSWER: _as_list(np.exp(log_softmax(-z)))}),
        ]  # fmt: skip


@register_exercise
class LogSoftmax(_Logits):
    """LogSoftmax of three logits."""

    name = "log_softmax"
    title = "the LogSoftmax layer"
    slide = "Loss functions"
    answer_label = "log softmax(z)"
    hints = {ANSWER: "log softmax(z)_k = z_k − log Σ_ℓ e^{z_ℓ}: subtract the same "
             "number from every logit."}  # fmt: skip

    def form(self):
        return Vector(_CLASSES)

    def statement(self):
        return (
            '"The last layer of your network should be `LogSoftmax()`": it '
            "outputs the log-probabilities $\\log \\mathrm{softmax}(z)_k = z_k - "
            "\\log \\sum_{\\ell=1}^c e^{z_\\ell}$ in one stable step, never "
            "$\\log$ of a rounded probability. Compute them for the logits "
            f"$z = {vector(self.params['logits'])}$ (natural logarithm)."
        )

    def solve(self):
        return _as_list(log_softmax(self._z()))

    def mistakes(self):
        z = self._z()
        return [
            Mistake("gave_probabilities",
                    "Those are probabilities; LogSoftmax returns their logarithms "
                    "(all ≤ 0), z_k − log Σ_ℓ e^{z_ℓ}.",
                    {ANSWER: _as_list(np.exp(log_softmax(z)))}),
            Mistake("only_shifted",
                    "Subtracting max z only keeps e^z from overflowing; you still "
                    "need to subtract log Σ_ℓ e^{z_ℓ − max z}.",
                    {ANSWER: _as_list(z - z.max())}),
            Mistake("log10",
                    "You used log base 10: LogSoftmax uses the natural logarithm.",
                    {ANSWER: _as_list(log_softmax(z) / np.log(10))}),
        ]  # fmt: skip


@register_exercise
class SoftmaxNLL(_Logits):
    """The NLL of one example from its logits."""

    name = "softmax_nll"
    title = "the negative log-likelihood of a softmax classifier"
    slide = "Loss functions"
    answer_label = "NLLLoss"
    hints = {ANSWER: "compute log softmax(z) first (z_k − log Σ_ℓ e^{z_ℓ}), then "
             "take the entry of the true class and negate it."}  # fmt: skip

    def draw(self, rng):
        return {**super().draw(rng), "label": int(rng.integers(_CLASSES))}

    def form(self):
        return Number()

    def statement(self):
        p = self.params
        return (
            f"A classifier with $c = 3$ classes gives the logits $z = "
            f"{vector(p['logits'])}$ for an example of class $y = {p['label']}$ "
            "(classes are numbered from 0, so $y = 0$ is the first logit). Its "
            "loss is the negative log-likelihood $\\mathrm{NLLLoss} = -\\log "
            "\\mathrm{softmax}_y(z)$, read from the `LogSoftmax()` layer. Compute "
            "it (natural logarithm)."
        )

    def _nll(self, label):
        return float(-log_softmax(self._z())[label])

    def solve(self):
        return self._nll(self.params["label"])

    def mistakes(self):
        label, z = self.params["label"], self._z()
        found = [
            Mistake("no_minus",
                    "That is log softmax_y(z), which is negative: the loss is its "
                    "negative, −log softmax_y(z). (The slide writes NLLLoss without "
                    "the minus sign; the loss minimised is the negative "
                    "log-likelihood.)",
                    {ANSWER: -self.solve()}),
            Mistake("probability_not_log",
                    "You gave the probability softmax_y(z): the loss uses the "
                    "log-probability, −log softmax_y(z), as the LogSoftmax layer "
                    "outputs it.",
                    {ANSWER: float(np.exp(-self.solve()))}),
            Mistake("log10",
                    "You used log base 10: the loss uses the natural logarithm.",
                    {ANSWER: self.solve() / float(np.log(10))}),
            Mistake("forgot_normaliser",
                    "−z_y is only the first term: −log softmax_y(z) = −z_y + "
                    "log Σ_ℓ e^{z_ℓ}.",
                    {ANSWER: float(-z[label])}),
        ]  # fmt: skip
        if label >= 1:
            found.append(Mistake(
                "counted_from_one",
                f"Classes are numbered from 0: class y = {label} is entry "
                f"{label + 1} of z, {z[label]:g}; you used entry {label}.",
                {ANSWER: self._nll(label - 1)},
            ))  # fmt: skip
        return found
