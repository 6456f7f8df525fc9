"""Exercises on "Incremental gradient methods" and "Mini-batching".

- ``sgd_step``: one SGD step on one example with the slides' loss
  ½(y − ŷ)², ŷ = Θᵀx + b: Θ ← Θ + η(y − ŷ)x, b ← b + η(y − ŷ).
- ``minibatch_variance``: the variance of a mini-batch gradient, σ²/M with
  replacement and σ²/M · (n − M)/(n − 1) without.

Example:
    >>> from nda_models.exercises import get_exercise
    >>> ex = get_exercise("sgd_step", seed=0)
    >>> sorted(ex.params)
    ['b', 'eta', 'theta', 'x', 'y']
"""

import numpy as np

from nda_models.exercises.answer_forms import Fields, Number, Vector
from nda_models.exercises.draws import number, numbers, pick, vector
from nda_models.exercises.exercise import Exercise, Mistake
from nda_models.exercises.registry import register_exercise


@register_exercise
class SGDStep(Exercise):
    """One stochastic-gradient step of linear regression on one example."""

    name = "sgd_step"
    title = "one SGD step on one example"
    slide = "Incremental gradient methods"
    hints = {
        "theta": "compute ŷ = Θᵀx + b, then ∇_Θ J_i = −(y − ŷ)·x.",
        "b": "∇_b J_i = −(y − ŷ).",
    }

    def draw(self, rng):
        return {
            "theta": numbers(rng, 2, -1, 1),
            "b": number(rng, -1, 1),
            "x": numbers(rng, 2, -3, 3),
            "y": number(rng, -3, 3),
            "eta": pick(rng, [0.05, 0.1, 0.2]),
        }

    def form(self):
        return Fields({"theta": (Vector(2), "Θ"), "b": (Number(), "b")})

    def statement(self):
        p = self.params
        return (
            "SGD picks one example $i(t)$ and steps along its gradient only: "
            "$\\Theta_{t+1} = \\Theta_t - \\eta \\nabla J_{i(t)}(\\Theta_t)$, here "
            "with the loss of the slide *Least Squares*, "
            "$J_i(\\Theta, b) = \\frac{1}{2}(y_i - \\hat y_i)^2$, "
            "$\\hat y_i = \\Theta^T x_i + b$. From "
            f"$\\Theta = {vector(p['theta'])}$, $b = {p['b']:g}$, take one step with "
            f"$\\eta = {p['eta']:g}$ on the example $x = {vector(p['x'])}$, "
            f"$y = {p['y']:g}$. Give the new $\\Theta$ and $b$."
        )

    def _residual(self):
        p = self.params
        return p["y"] - float(np.dot(p["theta"], p["x"])) - p["b"]

    def _step(self, theta_factor, b_factor):
        """Θ + theta_factor·x, b + b_factor (theta_factor may be a vector)."""
        p = self.params
        theta = np.array(p["theta"]) + theta_factor * np.array(p["x"])
        return {"theta": [float(v) for v in theta], "b": float(p["b"] + b_factor)}

    def solve(self):
        step = self.params["eta"] * self._residual()  # η(y − ŷ)
        return self._step(step, step)

    def mistakes(self):
        eta, r = self.params["eta"], self._residual()
        no_x = {"theta": [t + eta * r for t in self.params["theta"]]}
        return [
            Mistake("sign",
                    "The step went the wrong way: −∇J_i = (y − ŷ)·x, so "
                    "Θ ← Θ + η(y − ŷ)x and b ← b + η(y − ŷ).",
                    self._step(-eta * r, -eta * r)),
            Mistake("no_half",
                    "Your step is twice too long: the slides' loss ½(y − ŷ)² has "
                    "the gradient −(y − ŷ)·x, the ½ cancels the 2 of the square.",
                    self._step(2 * eta * r, 2 * eta * r)),
            Mistake("forgot_x",
                    "Θ is missing the factor x: ∂ŷ/∂Θ = x, so Θ ← Θ + η(y − ŷ)·x "
                    "(only b has ∂ŷ/∂b = 1).",
                    no_x),
            Mistake("b_not_updated",
                    "b is a parameter too: b ← b + η(y − ŷ).",
                    {"b": self.params["b"]}),
            Mistake("forgot_eta",
                    "You forgot the step size η: Θ ← Θ + η(y − ŷ)x.",
                    self._step(r, r)),
        ]  # fmt: skip


@register_exercise
class MinibatchVariance(Exercise):
    """Var[g_M] of a mini-batch gradient, with and without replacement."""

    name = "minibatch_variance"
    title = "the variance of a mini-batch gradient falls like 1/M"
    slide = "Mini-batching"
    hints = {
        "with_replacement": "compute σ² = (1/n) Σ (∇J_i − ∇J)² first; M "
        "independent draws divide it by M.",
        "without_replacement": "the M draws are no longer independent: "
        "σ²/M · (n − M)/(n − 1).",
    }

    def draw(self, rng):
        return {"gradients": numbers(rng, 6, -3, 3), "batch_size": pick(rng, [2, 3, 4])}

    def form(self):
        return Fields({
            "with_replacement": (Number(), "Var[g_M] with replacement"),
            "without_replacement": (Number(), "Var[g_M] without replacement"),
        })  # fmt: skip

    def statement(self):
        p = self.params
        n, m = len(p["gradients"]), p["batch_size"]
        return (
            f"At a fixed $\\Theta$ the $n = {n}$ training examples have the "
            "per-example gradients (one coordinate) "
            f"$\\nabla J_i = {vector(p['gradients'])}$, so the full gradient "
            "$\\nabla J$ is their mean and their variance is "
            "$\\sigma^2 = \\frac{1}{n} \\sum_{i=1}^n (\\nabla J_i - \\nabla J)^2$. "
            "The mini-batch gradient $g_M = \\frac{1}{M} \\sum_{i \\in batch} "
            f"\\nabla J_i$ with $M = {m}$ is an unbiased estimate of $\\nabla J$. "
            "Give its variance $\\mathrm{Var}[g_M]$ when the $M$ indices are drawn "
            "(a) uniformly **with** replacement (*Random Uniform*: independent "
            "draws) and (b) **without** replacement (*Permutation Based*: one "
            "slice of a shuffled data set; the draws are negatively correlated, "
            "which multiplies the variance by $(n - M)/(n - 1)$)."
        )

    def _values(self, variance, m):
        n = len(self.params["gradients"])
        return {
            "with_replacement": float(variance / m),
            "without_replacement": float(variance / m * (n - m) / (n - 1)),
        }

    def solve(self):
        grads = np.array(self.params["gradients"])
        return self._values(grads.var(), self.params["batch_size"])

    def mistakes(self):
        grads, m = np.array(self.params["gradients"]), self.params["batch_size"]
        n, variance = len(grads), grads.var()
        right = self.solve()
        return [
            Mistake("sample_variance",
                    "σ² here is the variance of the n values themselves, "
                    "(1/n) Σ (∇J_i − ∇J)², not the sample estimate with 1/(n − 1).",
                    self._values(grads.var(ddof=1), m)),
            Mistake("divided_by_m_squared",
                    "Var[(1/M) Σ ∇J_i] = (1/M²)·M·σ² = σ²/M: the sum of M "
                    "independent terms has M times the variance.",
                    self._values(variance / m, m)),
            Mistake("not_divided",
                    "That is the variance of one example's gradient (M = 1): "
                    "averaging M draws divides it by M.",
                    self._values(variance * m, m)),
            Mistake("standard_deviation",
                    "That is a standard deviation: the variance is σ²/M, not σ/√M.",
                    {k: float(np.sqrt(v)) for k, v in right.items()}),
            Mistake("no_correction",
                    "Without replacement the draws are not independent: multiply "
                    "σ²/M by the finite-population correction (n − M)/(n − 1).",
                    {"without_replacement": right["with_replacement"]}),
            Mistake("correction_over_n",
                    "The finite-population correction is (n − M)/(n − 1), not "
                    "(n − M)/n: at M = 1 it is 1 (one draw is the same with or "
                    "without replacement).",
                    {"without_replacement": float(variance / m * (n - m) / n)}),
        ]  # fmt: skip
