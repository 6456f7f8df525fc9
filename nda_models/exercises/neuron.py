"""Exercises on "Simple artificial neuron", "Logistic Regression", "The Perceptron".

- ``sigmoid_derivative``: σ′(z) = σ(z)(1 − σ(z)).
- ``perceptron_update``: Rosenblatt's rule Θ ← Θ + η(y − ŷ)x, b ← b + η(y − ŷ),
  ŷ = step(Θᵀx + b) with step(s) = 1 if s > 0 else 0.
- ``bce``: the mean binary cross-entropy of a mini-batch,
  (1/M) Σ −[y_i log p_i + (1 − y_i) log(1 − p_i)], natural log.

Example:
    >>> from nda_models.exercises import get_exercise
    >>> ex = get_exercise("sigmoid_derivative", seed=0)
    >>> 0 < ex.solution() <= 0.25
    True
"""

import math

import numpy as np

from nda_models.exercises.answer_forms import Fields, Number, Vector
from nda_models.exercises.draws import number, numbers, pick, vector
from nda_models.exercises.exercise import ANSWER, Exercise, Mistake
from nda_models.exercises.registry import register_exercise


def sigmoid(z):
    """σ(z) = 1 / (1 + e^{−z})."""
    return 1.0 / (1.0 + math.exp(-z))


@register_exercise
class SigmoidDerivative(Exercise):
    """σ′(z) at one point."""

    name = "sigmoid_derivative"
    title = "the derivative of the sigmoid"
    slide = "Activation functions"
    answer_label = "σ′(z)"
    hints = {ANSWER: "differentiate (1 + e^{−z})^{−1} and write the result with σ(z)."}

    def draw(self, rng):
        return {"z": number(rng, -3, 3, decimals=2)}

    def form(self):
        return Number()

    def statement(self):
        return (
            "The logistic neuron outputs $\\hat y = \\sigma(\\Theta^T x + b)$ with "
            "the sigmoid $\\sigma(z) = \\frac{1}{1 + e^{-z}}$. Backpropagation "
            "through it multiplies the message by the local derivative "
            f"$\\sigma'(z)$. Compute $\\sigma'(z)$ at $z = {self.params['z']:g}$."
        )

    def solve(self):
        s = sigmoid(self.params["z"])
        return s * (1.0 - s)

    def mistakes(self):
        s = sigmoid(self.params["z"])
        return [
            Mistake("gave_sigmoid",
                    "That is σ(z) itself; its derivative is σ′(z) = σ(z)(1 − σ(z)).",
                    {ANSWER: s}),
            Mistake("squared",
                    "σ′(z) = σ(z)(1 − σ(z)), not σ(z)²: d/dz (1 + e^{−z})^{−1} = "
                    "e^{−z}/(1 + e^{−z})².",
                    {ANSWER: s * s}),
            Mistake("one_minus",
                    "That is 1 − σ(z) = σ(−z); multiply it by σ(z).",
                    {ANSWER: 1.0 - s}),
        ]  # fmt: skip


@register_exercise
class PerceptronUpdate(Exercise):
    """One step of Rosenblatt's rule on one example."""

    name = "perceptron_update"
    title = "one update of the perceptron"
    slide = "The Perceptron"
    hints = {
        "theta": "compute s = Θᵀx + b, then ŷ = step(s), then Θ + η(y − ŷ)x.",
        "b": "b ← b + η(y − ŷ).",
    }

    def draw(self, rng):
        while True:
            p = {
                "theta": numbers(rng, 2, -1, 1),
                "b": number(rng, -1, 1),
                "x": numbers(rng, 2, 0.5, 5),
                "eta": pick(rng, [0.1, 0.2, 0.5]),
            }
            score = float(np.dot(p["theta"], p["x"])) + p["b"]
            if abs(score) >= 0.05:  # no point on (or next to) the boundary
                y_hat = int(score > 0)
                p["y"] = 1 - y_hat if rng.random() < 0.8 else y_hat
                return p

    def form(self):
        return Fields({"theta": (Vector(2), "Θ"), "b": (Number(), "b")})

    def statement(self):
        p = self.params
        return (
            "The perceptron classifies with $\\hat y = \\mathrm{step}(\\Theta^T x + "
            "b)$, where $\\mathrm{step}(s) = 1$ if $s > 0$ and $0$ otherwise. "
            "Rosenblatt's rule updates it on one example: "
            "$\\Theta \\leftarrow \\Theta + \\eta (y - \\hat y) x$, "
            "$b \\leftarrow b + \\eta (y - \\hat y)$. From "
            f"$\\Theta = {vector(p['theta'])}$, $b = {p['b']:g}$, apply one update "
            f"with $\\eta = {p['eta']:g}$ on the petal $x = {vector(p['x'])}$ "
            f"(length and width in cm), $y = {p['y']}$ "
            f"({'Iris setosa' if p['y'] else 'not setosa'})."
        )

    def _score(self):
        p = self.params
        return float(np.dot(p["theta"], p["x"])) + p["b"]

    def _step(self, error):
        """Θ + η·error·x, b + η·error."""
        p = self.params
        theta = np.array(p["theta"]) + p["eta"] * error * np.array(p["x"])
        return {"theta": [float(v) for v in theta], "b": p["b"] + p["eta"] * error}

    def solve(self):
        return self._step(self.params["y"] - int(self._score() > 0))

    def mistakes(self):
        y, score = self.params["y"], self._score()
        error = y - int(score > 0)
        used_score = Mistake(
            "used_score",
            "You used the score s = Θᵀx + b in place of ŷ = step(s) (that is the "
            "delta rule of a linear neuron): the perceptron's error y − ŷ is −1, 0 "
            "or 1.",
            self._step(y - score),
        )
        theta, x = np.array(self.params["theta"]), np.array(self.params["x"])
        if error == 0:
            return [used_score, Mistake(
                "moved_when_correct",
                "This example is already classified right (ŷ = y), so y − ŷ = 0 and "
                "nothing changes: Rosenblatt's rule moves Θ and b only on mistakes.",
                self._step(2 * y - 1),
            )]  # fmt: skip
        return [
            Mistake("sign",
                    "The update went the wrong way: Θ + η(y − ŷ)x moves the score "
                    "towards the right class (y − ŷ = +1 raises it, −1 lowers it).",
                    self._step(-error)),
            used_score,
            Mistake("forgot_bias",
                    "b is updated too, as a weight on a constant input 1: "
                    "b ← b + η(y − ŷ).",
                    {"b": self.params["b"]}),
            Mistake("forgot_eta",
                    "You forgot the step size: Θ ← Θ + η(y − ŷ)x.",
                    {"theta": [float(v) for v in theta + error * x],
                     "b": self.params["b"] + error}),
        ]  # fmt: skip


@register_exercise
class BinaryCrossEntropy(Exercise):
    """The mean BCE of a mini-batch of three predictions."""

    name = "bce"
    title = "the binary cross-entropy of a mini-batch"
    slide = "Loss functions"
    answer_label = "J"
    hints = {ANSWER: "compute BCELoss(i) for each example, then their mean."}

    def draw(self, rng):
        labels = [int(v) for v in rng.permutation([0, 1, pick(rng, [0, 1])])]
        return {"p": numbers(rng, 3, 0.05, 0.95, decimals=2), "y": labels}

    def form(self):
        return Number()

    def statement(self):
        p, y = self.params["p"], self.params["y"]
        return (
            "A logistic neuron predicts $p(x_i) = P[y_i = 1 \\mid x_i]$. On a "
            f"mini-batch of $M = {len(p)}$ examples it gives $p = {vector(p)}$ for "
            f"the labels $y = {vector(y)}$. Compute the mini-batch loss "
            "$J = \\frac{1}{M} \\sum_{i=1}^M \\mathrm{BCELoss}(i)$ with "
            "$\\mathrm{BCELoss}(i) = -[y_i \\log p(x_i) + (1 - y_i) \\log(1 - "
            "p(x_i))]$ (natural logarithm)."
        )

    def _mean(self, log=np.log, sign=-1.0, swap=False):
        p, y = np.array(self.params["p"]), np.array(self.params["y"])
        if swap:
            y = 1 - y
        return float(sign * np.mean(y * log(p) + (1 - y) * log(1 - p)))

    def solve(self):
        return self._mean()

    def mistakes(self):
        m = len(self.params["p"])
        identity = lambda v: v  # noqa: E731 - the probabilities, not their logs
        return [
            Mistake("no_minus",
                    "Your loss is negative: log p < 0, and the minus in −[y log p + "
                    "(1 − y) log(1 − p)] makes every loss positive.",
                    {ANSWER: -self._mean()}),
            Mistake("sum_not_mean",
                    "You summed the M losses: the mini-batch loss is their mean, "
                    "(1/M) Σ BCELoss(i).",
                    {ANSWER: m * self._mean()}),
            Mistake("log10",
                    "You used log base 10: the loss uses the natural logarithm.",
                    {ANSWER: self._mean(log=np.log10)}),
            Mistake("swapped_classes",
                    "You paired y = 1 with log(1 − p): p(x) = P[y = 1 | x], so an "
                    "example of class 1 costs −log p and one of class 0 −log(1 − p).",
                    {ANSWER: self._mean(swap=True)}),
            Mistake("probability_not_log",
                    "You used the probabilities, not their logarithms: BCELoss(i) = "
                    "−[y_i log p(x_i) + (1 − y_i) log(1 − p(x_i))].",
                    {ANSWER: self._mean(log=identity)}),
        ]  # fmt: skip
