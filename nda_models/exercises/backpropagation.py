"""Exercises on the lecture's automatic-differentiation Examples 1–3.

The solutions come from the package's own engine (``nda_models.autodiff``,
the teaching point of these slides): each graph is the one
``lecture_example(k)`` builds, at the exercise's numbers.

- ``example1_gradient``: g(θ) = θ1² + 2·θ2² − θ3² and ∇g(θ).
- ``example2_gradient``: g(θ) = f4(f3(f1(θ1, θ2), f2(θ2, θ3))) with
  f1 = f2 = f3 = (x1 + 2·x2)², f4 = log, and ∇g(θ).
- ``example3_backward``: u = w·x, v = u + b, y = e^v, ℓ = (y − y*)²:
  ∂ℓ/∂w and ∂ℓ/∂b by the chain rule.

Example:
    >>> from nda_models.exercises import get_exercise
    >>> ex = get_exercise("example3_backward", seed=0)
    >>> sorted(ex.params), sorted(ex.solution())
    (['b', 'w', 'x', 'y_star'], ['dl_db', 'dl_dw'])
"""

import math

from nda_models.autodiff import lecture_example
from nda_models.exercises.answer_forms import Fields, Number, Vector
from nda_models.exercises.draws import number, vector
from nda_models.exercises.exercise import Exercise, Mistake
from nda_models.exercises.registry import register_exercise


class _GradientOf(Exercise):
    """Shared by Examples 1 and 2: answer g(θ) and ∇g(θ) at an integer θ."""

    example = 0
    hints = {"g": "evaluate the blocks in the order of the graph (forward pass).",
             "gradient": "send the messages back from g, multiplying local "
             "derivatives along each path and summing over paths."}  # fmt: skip

    def form(self):
        return Fields({"g": (Number(), "g(θ)"), "gradient": (Vector(3), "∇g(θ)")})

    def solve(self):
        result = lecture_example(self.example, self.params["theta"])
        return {"g": result.value, "gradient": list(result.gradient)}


@register_exercise
class Example1Gradient(_GradientOf):
    """Example 1 at a random integer point."""

    name = "example1_gradient"
    title = "Example 1: the gradient of θ1² + 2θ2² − θ3²"
    slide = "Example 1"
    example = 1

    def draw(self, rng):
        theta = [int(v) for v in rng.choice([-3, -2, -1, 1, 2, 3], size=3)]
        return {"theta": theta}

    def statement(self):
        return (
            "Example 1: $g(\\theta) = \\theta_1^2 + 2\\theta_2^2 - \\theta_3^2$, drawn "
            "as three square blocks $f_1, f_2, f_3$ ($f_i = \\theta_i^2$) feeding "
            "$f_4(x_1, x_2, x_3) = x_1 + 2x_2 - x_3$. Run the forward pass and the "
            "backward pass at $\\theta = " + vector(self.params["theta"]) + "$: "
            "give $g(\\theta)$ and $\\nabla g(\\theta) = (\\partial g/\\partial "
            "\\theta_1, \\partial g/\\partial \\theta_2, \\partial g/\\partial "
            "\\theta_3)$."
        )

    def mistakes(self):
        t1, t2, t3 = self.params["theta"]
        return [
            Mistake("forgot_square_derivative",
                    "∇g(θ) misses the local derivative of the squares: "
                    "∂f_i/∂θ_i = 2θ_i.",
                    {"gradient": [t1, 2 * t2, -t3]}),
            Mistake("dropped_weights",
                    "∇g(θ) lost the weights of f4 = x1 + 2x2 − x3: its local "
                    "derivatives (1, 2, −1) multiply the messages.",
                    {"gradient": [2 * t1, 2 * t2, 2 * t3]}),
            Mistake("sign_theta3",
                    "∂g/∂θ3 has the wrong sign: g subtracts θ3², so ∂g/∂θ3 = −2θ3.",
                    {"gradient": [2 * t1, 4 * t2, 2 * t3]}),
            Mistake("plus_theta3",
                    "g(θ) adds θ3²: g subtracts it, θ1² + 2θ2² − θ3².",
                    {"g": t1**2 + 2 * t2**2 + t3**2}),
        ]  # fmt: skip


@register_exercise
class Example2Gradient(_GradientOf):
    """Example 2 at a random integer point."""

    name = "example2_gradient"
    title = "Example 2: two paths from θ2 to g"
    slide = "Example 2"
    example = 2

    def draw(self, rng):
        while True:
            theta = [int(v) for v in rng.integers(-2, 3, size=3)]
            a, c = theta[0] + 2 * theta[1], theta[1] + 2 * theta[2]
            if a * a + 2 * c * c > 0:  # log needs f3 = (f1 + 2f2)² > 0
                return {"theta": theta}

    def statement(self):
        return (
            "Example 2: $g(\\theta) = f_4(f_3(f_1(\\theta_1, \\theta_2), "
            "f_2(\\theta_2, \\theta_3)))$ with $f_1(x_1, x_2) = f_2(x_1, x_2) = "
            "f_3(x_1, x_2) = (x_1 + 2x_2)^2$ and $f_4(x_1) = \\log(x_1)$ (natural "
            "logarithm). Run the forward pass and the backward pass at "
            f"$\\theta = {vector(self.params['theta'])}$: give $g(\\theta)$ and "
            "$\\nabla g(\\theta)$."
        )

    def _messages(self):
        """(a, c, s, ∂g/∂f1, ∂g/∂f2): f1 = a², f2 = c², f3 = s²."""
        t1, t2, t3 = self.params["theta"]
        a, c = t1 + 2 * t2, t2 + 2 * t3
        s = a * a + 2 * c * c
        return a, c, s, 2.0 / s, 4.0 / s

    def mistakes(self):
        a, c, s, d1, d2 = self._messages()
        g1, g3 = d1 * 2 * a, d2 * 4 * c
        f3_gradient = [s * s * d for d in (g1, d1 * 4 * a + d2 * 2 * c, g3)]
        return [
            Mistake("missed_path",
                    "∂g/∂θ2 misses the path through f2: θ2 feeds both f1 and f2, "
                    "and the contributions of all paths sum: ∂g/∂θ2 = "
                    "∂g/∂f1·∂f1/∂θ2 + ∂g/∂f2·∂f2/∂θ2.",
                    {"gradient": [g1, d1 * 4 * a, g3]}),
            Mistake("missed_path",
                    "∂g/∂θ2 misses the path through f1: θ2 feeds both f1 and f2, "
                    "and the contributions of all paths sum.",
                    {"gradient": [g1, d2 * 2 * c, g3]}),
            Mistake("forgot_log",
                    "You differentiated f3, not g = log f3: the last block f4 = log "
                    "sends back the message ∂f4/∂f3 = 1/f3 first.",
                    {"gradient": f3_gradient, "g": s * s}),
            Mistake("log10",
                    "log is the natural logarithm here, not log base 10.",
                    {"g": math.log10(s * s),
                     "gradient": [v / math.log(10) for v in (g1, d1 * 4 * a
                                                             + d2 * 2 * c, g3)]}),
        ]  # fmt: skip


@register_exercise
class Example3Backward(Exercise):
    """Example 3: ∂ℓ/∂w and ∂ℓ/∂b of one neuron with an exponential."""

    name = "example3_backward"
    title = "Example 3: backpropagation through u = wx, v = u + b, y = e^v"
    slide = "Example 3"
    hints = {"dl_dw": "∂ℓ/∂w = ∂ℓ/∂y · ∂y/∂v · ∂v/∂u · ∂u/∂w.",
             "dl_db": "∂ℓ/∂b = ∂ℓ/∂y · ∂y/∂v · ∂v/∂b."}  # fmt: skip

    def draw(self, rng):
        return {"w": number(rng, -1, 1), "x": number(rng, -2, 2),
                "b": number(rng, -1, 1), "y_star": number(rng, 0.5, 3)}  # fmt: skip

    def form(self):
        return Fields({"dl_dw": (Number(), "∂ℓ/∂w"), "dl_db": (Number(), "∂ℓ/∂b")})

    def statement(self):
        p = self.params
        return (
            "Example 3: the forward pass $u = wx$, $v = u + b$, $y = e^v$, "
            "$\\ell = (y - y^*)^2$ (no $\\frac{1}{2}$ here). At "
            f"$w = {p['w']:g}$, $b = {p['b']:g}$ with the input $x = {p['x']:g}$ and "
            f"the target $y^* = {p['y_star']:g}$, run the backward pass: give "
            "$\\partial \\ell/\\partial w$ and $\\partial \\ell/\\partial b$."
        )

    def solve(self):
        p = self.params
        result = lecture_example(3, (p["w"], p["b"]), x=p["x"], y_true=p["y_star"])
        dl_dw, dl_db = result.gradient
        return {"dl_dw": dl_dw, "dl_db": dl_db}

    def mistakes(self):
        right, x = self.solve(), self.params["x"]
        y = math.exp(self.params["w"] * x + self.params["b"])
        half = {k: v / 2 for k, v in right.items()}
        return [
            Mistake("forgot_du_dw",
                    f"∂ℓ/∂w is off by the factor x = {x:g}: did you forget "
                    "∂u/∂w = x?",
                    {"dl_dw": right["dl_db"]}),
            Mistake("x_in_dl_db",
                    "∂ℓ/∂b has a factor x too many: b enters through v = u + b, "
                    "∂v/∂b = 1, not through u = wx.",
                    {"dl_db": right["dl_dw"]}),
            Mistake("half_loss",
                    "Example 3's loss is ℓ = (y − y*)² without ½, so "
                    "∂ℓ/∂y = 2(y − y*).",
                    half),
            Mistake("forgot_dy_dv",
                    "The factor ∂y/∂v = e^v = y is missing: ∂ℓ/∂b = 2(y − y*)·y.",
                    {k: v / y for k, v in right.items()}),
            Mistake("sign",
                    "The sign is wrong: ∂ℓ/∂y = 2(y − y*), positive when y "
                    "overshoots the target y*.",
                    {k: -v for k, v in right.items()}),
        ]  # fmt: skip
