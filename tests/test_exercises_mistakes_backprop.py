"""Typical mistakes on the autodiff Examples 1–3 and on forward against reverse
mode, each refused with its own hint.

Each case (exercise, mistake, a NumPy function of the params giving the wrong
answer or None where it cannot be told apart, words of the hint) runs through
``exercise_support.check_mistake`` on ten seeds.
"""

import numpy as np
import pytest
from exercise_support import check_mistake

from nda_models.exercises import get_exercise


def ex1_grad(p, gradient=None, g=None):
    t = np.array(p["theta"], float)
    right = {"g": t[0] ** 2 + 2 * t[1] ** 2 - t[2] ** 2,
             "gradient": list(t * [2, 4, -2])}  # fmt: skip
    return {
        **right,
        **({"gradient": list(gradient(t))} if gradient else {}),
        **({"g": g(t)} if g else {}),
    }


def ex2_parts(p):
    t1, t2, t3 = p["theta"]
    a, c = t1 + 2 * t2, t2 + 2 * t3
    s = a * a + 2 * c * c
    grad = np.array([4 * a / s, 8 * a / s + 8 * c / s, 16 * c / s])
    return a, c, s, grad


def ex2(p, g=None, gradient=None):
    a, c, s, grad = ex2_parts(p)
    return {
        "g": np.log(s * s) if g is None else g,
        "gradient": list(grad if gradient is None else gradient),
    }


def ex3(p, factor=1.0, dw=None, db=None):
    y = np.exp(p["w"] * p["x"] + p["b"])
    d_b = factor * 2 * (y - p["y_star"]) * y
    return {
        "dl_dw": d_b * p["x"] if dw is None else dw(d_b, y),
        "dl_db": d_b if db is None else db(d_b, y),
    }


def ex3_rest(p):
    return ex3(p)


CASES = [
    (
        "example1_gradient",
        "forgot_square_derivative",
        lambda p: ex1_grad(p, gradient=lambda t: t * [1, 2, -1]),
        "∂f_i/∂θ_i = 2θ_i",
    ),
    (
        "example1_gradient",
        "dropped_weights",
        lambda p: ex1_grad(p, gradient=lambda t: 2 * t),
        "weights of f4",
    ),
    (
        "example1_gradient",
        "sign_theta3",
        lambda p: ex1_grad(p, gradient=lambda t: t * [2, 4, 2]),
        "∂g/∂θ3 has the wrong sign",
    ),
    (
        "example1_gradient",
        "plus_theta3",
        lambda p: ex1_grad(p, g=lambda t: t @ t + t[1] ** 2),
        "g subtracts it",
    ),
    (
        "example2_gradient",
        "missed_path",
        lambda p: ex2(
            p, gradient=ex2_parts(p)[3] - [0, 8 * ex2_parts(p)[1] / ex2_parts(p)[2], 0]
        ),
        "all paths sum",
    ),
    (
        "example2_gradient",
        "forgot_log",
        lambda p: ex2(
            p, g=ex2_parts(p)[2] ** 2, gradient=ex2_parts(p)[3] * ex2_parts(p)[2] ** 2
        ),
        "∂f4/∂f3 = 1/f3",
    ),
    (
        "example2_gradient",
        "log10",
        lambda p: ex2(
            p, g=np.log10(ex2_parts(p)[2] ** 2), gradient=ex2_parts(p)[3] / np.log(10)
        ),
        "natural logarithm",
    ),
    (
        "example3_backward",
        "forgot_du_dw",
        lambda p: ex3(p, dw=lambda d, y: d),
        "is off by the factor x",
    ),
    (
        "example3_backward",
        "x_in_dl_db",
        lambda p: ex3(p, db=lambda d, y: d * p["x"]),
        "∂v/∂b = 1",
    ),
    ("example3_backward", "half_loss", lambda p: ex3(p, factor=0.5), "without ½"),
    (
        "example3_backward",
        "forgot_dy_dv",
        lambda p: ex3(p, dw=lambda d, y: d * p["x"] / y, db=lambda d, y: d / y),
        "∂y/∂v = e^v = y",
    ),
    ("example3_backward", "sign", lambda p: ex3(p, factor=-1.0), "overshoots"),
    (
        "example3_backward",
        "swapped",
        lambda p: {"dl_dw": ex3_rest(p)["dl_db"], "dl_db": ex3_rest(p)["dl_dw"]},
        "You swapped ∂ℓ/∂w and ∂ℓ/∂b",
    ),
    (
        "forward_reverse_cost",
        "swapped",
        lambda p: {"forward_passes": p["m"], "reverse_passes": p["d"]},
        "You swapped",
    ),
    (
        "forward_reverse_cost",
        "forward_once",
        lambda p: {"forward_passes": 1, "reverse_passes": p["m"]},
        "for every entry θ_i",
    ),
    (
        "forward_reverse_cost",
        "reverse_per_input",
        lambda p: {"forward_passes": p["d"], "reverse_passes": p["d"]},
        "one pass per output",
    ),
    (
        "forward_reverse_cost",
        "one_pass_per_derivative",
        lambda p: (
            None
            if p["m"] == 1
            else {"forward_passes": p["d"] * p["m"], "reverse_passes": p["d"] * p["m"]}
        ),
        "a whole column",
    ),
]


@pytest.mark.parametrize(
    "name, mistake, wrong, words", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_mistake_is_refused_with_its_hint(name, mistake, wrong, words):
    check_mistake(name, mistake, wrong, words)


def test_the_brief_example_message_reads_as_promised():
    ex = get_exercise("example3_backward", seed=2)
    answer = ex3(ex.params, dw=lambda d, y: d)
    assert str(ex.check(answer)) == (
        f"Not yet: ∂ℓ/∂b is right; ∂ℓ/∂w is off by the factor x = {ex.params['x']:g}: "
        "did you forget ∂u/∂w = x?"
    )
