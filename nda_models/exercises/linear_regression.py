"""Exercises on the slides "Least Squares" and "Gradient descent".

- ``least_squares``: the closed form of J_RSS(w, b) = ½ Σ (y_i − w·x_i − b)²,
  from the normal equations.
- ``gd_step``: one full-batch gradient-descent step on the mean of the
  slide's per-example losses J_i = ½(y_i − Θᵀx_i − b)².

Example:
    >>> from nda_models.exercises import get_exercise
    >>> ex = get_exercise("least_squares", seed=0)
    >>> ex.check({"w": 0.0, "b": 0.0}).correct
    False
"""

import numpy as np

from nda_models.exercises.answer_forms import Fields, Number, Vector
from nda_models.exercises.draws import number, numbers, pick, vector
from nda_models.exercises.exercise import Exercise, Mistake
from nda_models.exercises.registry import register_exercise


@register_exercise
class LeastSquares(Exercise):
    """Fit ŷ = w·x + b to five points with the normal equations."""

    name = "least_squares"
    title = "the closed form of least squares (normal equations)"
    slide = "Least Squares"
    hints = {
        "w": "solve the normal equations (Σx_i²)·w + (Σx_i)·b = Σx_i·y_i and "
        "(Σx_i)·w + n·b = Σy_i.",
        "b": "once w is known, ∂J/∂b = 0 gives b = ȳ − w·x̄.",
    }

    def draw(self, rng):
        x = sorted(float(v) for v in rng.choice(7, size=5, replace=False))
        w, b = number(rng, -2, 2), number(rng, -3, 3)
        y = [round(b + w * xi + float(rng.normal(0, 0.5)), 1) + 0.0 for xi in x]
        return {"x": x, "y": y}

    def form(self):
        return Fields({"w": (Number(), "w"), "b": (Number(), "b")})

    def statement(self):
        x, y = self.params["x"], self.params["y"]
        table = "| $i$ | " + " | ".join(str(i + 1) for i in range(len(x))) + " |\n"
        table += "|---" * (len(x) + 1) + "|\n"
        table += "| $x_i$ | " + " | ".join(f"{v:g}" for v in x) + " |\n"
        table += "| $y_i$ | " + " | ".join(f"{v:g}" for v in y) + " |"
        return (
            "Fit $\\hat y = w x + b$ to the $n = 5$ points below by minimising the "
            "residual sum of squares $J_{RSS}(w, b) = \\frac{1}{2} \\sum_{i=1}^n "
            "(y_i - w x_i - b)^2$. In this linear model the solution has a closed "
            "form: set $\\partial J_{RSS}/\\partial w = \\partial J_{RSS}/\\partial b "
            "= 0$ (the normal equations) and solve for $w$ and $b$.\n\n" + table
        )

    def _points(self):
        return np.array(self.params["x"]), np.array(self.params["y"])

    def solve(self):
        x, y = self._points()
        # Normal equations: [Σx², Σx; Σx, n] (w, b) = (Σxy, Σy).
        matrix = np.array([[x @ x, x.sum()], [x.sum(), len(x)]])
        w, b = np.linalg.solve(matrix, np.array([x @ y, y.sum()]))
        return {"w": float(w), "b": float(b)}

    def mistakes(self):
        x, y = self._points()
        w = self.solve()["w"]
        return [
            Mistake("through_origin",
                    "You fitted a line through the origin: b is a parameter too, and "
                    "∂J/∂b = −Σ(y_i − w·x_i − b) = 0 adds the second normal equation.",
                    {"w": float(x @ y / (x @ x)), "b": 0.0}),
            Mistake("b_is_mean_y",
                    "b is not ȳ: ∂J/∂b = 0 gives b = ȳ − w·x̄.",
                    {"b": float(y.mean())}),
            Mistake("b_sign",
                    "b = ȳ − w·x̄: check the sign of w·x̄.",
                    {"b": float(y.mean() + w * x.mean())}),
        ]  # fmt: skip


@register_exercise
class GradientDescentStep(Exercise):
    """One full-batch gradient-descent step of linear regression."""

    name = "gd_step"
    title = "one step of gradient descent"
    slide = "Gradient descent"
    hints = {
        "theta": "compute every residual y_i − ŷ_i first, then ∇_Θ J = −(1/n) "
        "Σ (y_i − ŷ_i)·x_i.",
        "b": "∇_b J = −(1/n) Σ (y_i − ŷ_i).",
    }

    def draw(self, rng):
        return {
            "theta": numbers(rng, 2, -1, 1),
            "b": number(rng, -1, 1),
            "x": [numbers(rng, 2, -2, 2) for _ in range(3)],
            "y": numbers(rng, 3, -3, 3),
            "eta": pick(rng, [0.05, 0.1, 0.2]),
        }

    def form(self):
        return Fields({"theta": (Vector(2), "Θ"), "b": (Number(), "b")})

    def statement(self):
        p = self.params
        rows = "\n".join(
            f"- $x_{i + 1} = {vector(x)}$, $y_{i + 1} = {y:g}$"
            for i, (x, y) in enumerate(zip(p["x"], p["y"], strict=True))
        )
        return (
            "Gradient descent on the finite-sum problem $J(\\Theta, b) = \\frac{1}{n} "
            "\\sum_{i=1}^n J_i(\\Theta, b)$ with the per-example loss of the slide "
            "*Least Squares*, $J_i = \\frac{1}{2}(y_i - \\Theta^T x_i - b)^2$, and "
            "$\\hat y_i = \\Theta^T x_i + b$. Take one step "
            "$\\Theta_{t+1} = \\Theta_t - \\eta \\frac{1}{n} \\sum_{i=1}^n "
            "\\nabla J_i(\\Theta_t)$ (and the same for $b$) from "
            f"$\\Theta = {vector(p['theta'])}$, $b = {p['b']:g}$ with "
            f"$\\eta = {p['eta']:g}$ on the $n = 3$ examples:\n\n{rows}"
        )

    def _gradients(self):
        """Per-example gradients (rows) of Θ and of b."""
        p = self.params
        x, y = np.array(p["x"]), np.array(p["y"])
        residual = y - x @ np.array(p["theta"]) - p["b"]
        return -residual[:, None] * x, -residual

    def _step(self, grad_theta, grad_b, eta):
        p = self.params
        theta = np.array(p["theta"]) - eta * grad_theta
        return {"theta": [float(v) for v in theta], "b": float(p["b"] - eta * grad_b)}

    def solve(self):
        g_theta, g_b = self._gradients()
        return self._step(g_theta.mean(axis=0), g_b.mean(), self.params["eta"])

    def mistakes(self):
        g_theta, g_b = self._gradients()
        eta, mean_t, mean_b = self.params["eta"], g_theta.mean(axis=0), g_b.mean()
        return [
            Mistake("sign",
                    "The step went up the gradient: gradient descent subtracts, "
                    "Θ_{t+1} = Θ_t − η∇J(Θ_t), and ∇J_i = −(y_i − ŷ_i)·x_i already "
                    "carries a minus.",
                    self._step(-mean_t, -mean_b, eta)),
            Mistake("sum_not_mean",
                    "You summed the n gradients: J is the mean (1/n) Σ J_i, so the "
                    "step uses (1/n) Σ ∇J_i.",
                    self._step(g_theta.sum(axis=0), g_b.sum(), eta)),
            Mistake("no_half",
                    "Your step is twice too long: with J_i = ½(y_i − ŷ_i)² the ½ "
                    "cancels the 2 of the square, ∇J_i = −(y_i − ŷ_i)·x_i.",
                    self._step(2 * mean_t, 2 * mean_b, eta)),
            Mistake("one_example",
                    "You used the first example only (that is an SGD step): gradient "
                    "descent averages the gradients of all n examples.",
                    self._step(g_theta[0], g_b[0], eta)),
            Mistake("forgot_eta",
                    "You forgot the step size: Θ_{t+1} = Θ_t − η∇J(Θ_t).",
                    self._step(mean_t, mean_b, 1.0)),
        ]  # fmt: skip
