"""Tests of the pure-Python autodiff engine (nda_models.autodiff).

Oracles: values and gradients computed by hand from the slides' formulas
(closed forms below), and central finite differences of NumPy/math versions
of each function, never the engine's own output.
"""

import math

import numpy as np
import pytest

from nda_models.autodiff import (
    Block,
    Graph,
    add,
    constant,
    differentiate,
    divide,
    exp,
    forward_mode,
    forward_pass_table,
    gradient_summary,
    lecture_example,
    local_derivatives_table,
    log,
    messages_table,
    multiply,
    negate,
    power,
    relu,
    reverse_mode,
    sigmoid,
    subtract,
    tanh,
    to_dot,
    trace,
    variable,
    write_dot,
)

MODES = ("reverse", "forward")


def central_differences(function, theta, h=1e-6):
    """∂f/∂θ_i ≈ (f(θ + h e_i) − f(θ − h e_i)) / 2h, on plain floats."""
    theta = np.asarray(theta, dtype=float)
    gradient = []
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = h
        gradient.append((function(theta + step) - function(theta - step)) / (2 * h))
    return np.array(gradient)


# Closed forms from the slides, as plain NumPy.
def example1_numpy(t):
    return t[0] ** 2 + 2 * t[1] ** 2 - t[2] ** 2


def example2_numpy(t):
    def f(a, b):
        return (a + 2 * b) ** 2

    return np.log(f(f(t[0], t[1]), f(t[1], t[2])))


def example3_numpy(t, x, y_true):
    return (np.exp(t[0] * x + t[1]) - y_true) ** 2


# --- the lecture's examples -------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_example1_matches_hand_values(mode):
    example = lecture_example(1, mode=mode)
    assert example.value == 2.0  # 1 + 2·1 − 1
    assert example.gradient == (2.0, -4.0, -2.0)  # (2θ1, 4θ2, −2θ3)
    assert example.input_names == ("θ1", "θ2", "θ3")


@pytest.mark.parametrize("mode", MODES)
def test_example2_matches_slides(mode):
    example = lecture_example(2, mode=mode)
    assert example.value == pytest.approx(math.log(81))
    np.testing.assert_allclose(example.gradient, (-4 / 3, -8 / 3, 0.0), rtol=1e-15)


@pytest.mark.parametrize("mode", MODES)
def test_example3_matches_slide_formulas(mode):
    w, b, x, y_true = 0.3, -0.2, 1.5, 0.7
    example = lecture_example(3, (w, b), mode=mode, x=x, y_true=y_true)
    y = math.exp(w * x + b)
    assert example.value == pytest.approx((y - y_true) ** 2, rel=1e-14)
    # Slide: ∂ℓ/∂w = 2(y − y*)·y·1·x, ∂ℓ/∂b = 2(y − y*)·y·1.
    expected = (2 * (y - y_true) * y * x, 2 * (y - y_true) * y)
    np.testing.assert_allclose(example.gradient, expected, rtol=1e-14)
    assert example.input_names == ("w", "b")


def test_example3_defaults():
    example = lecture_example(3)
    y = math.exp(0.5 * 2.0 + 0.0)
    assert example.value == pytest.approx((y - 2.0) ** 2)
    assert example.theta == (0.5, 0.0)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("mode", MODES)
def test_examples_match_finite_differences(seed, mode):
    rng = np.random.default_rng(seed)
    theta1 = rng.uniform(-2, 2, size=3)
    e1 = lecture_example(1, theta1, mode=mode)
    np.testing.assert_allclose(
        e1.gradient, central_differences(example1_numpy, theta1), rtol=1e-6, atol=1e-7
    )
    theta2 = rng.uniform(0.5, 2, size=3)
    e2 = lecture_example(2, theta2, mode=mode)
    assert e2.value == pytest.approx(example2_numpy(theta2), rel=1e-12)
    np.testing.assert_allclose(
        e2.gradient, central_differences(example2_numpy, theta2), rtol=1e-5, atol=1e-7
    )
    theta3, x, y_true = rng.uniform(-1, 1, size=2), rng.uniform(-2, 2), rng.normal()
    e3 = lecture_example(3, theta3, mode=mode, x=x, y_true=y_true)
    fd = central_differences(lambda t: example3_numpy(t, x, y_true), theta3)
    np.testing.assert_allclose(e3.gradient, fd, rtol=1e-6, atol=1e-7)


def test_example2_backward_messages_in_slide_order():
    result = lecture_example(2).result
    assert result.passes == 1
    sent = [(m.sender, m.receiver, m.value) for m in result.messages]
    expected = [  # ∂g/∂f3 = 1/81, then × 18 and × 36, then × local derivatives
        ("f4", "f3", 1 / 81),
        ("f3", "f1", 2 / 9),
        ("f3", "f2", 4 / 9),
        ("f2", "θ2", 0.0),
        ("f2", "θ3", 0.0),
        ("f1", "θ1", -4 / 3),
        ("f1", "θ2", -8 / 3),
    ]
    assert [s[:2] for s in sent] == [e[:2] for e in expected]
    np.testing.assert_allclose([s[2] for s in sent], [e[2] for e in expected])
    for m in result.messages:
        assert m.value == pytest.approx(m.incoming * m.local)
    # θ2 receives two messages and sums them: 0 + (−8/3).
    assert result.messages[-1].total == pytest.approx(-8 / 3)


def test_example2_forward_mode_one_pass_per_input():
    result = lecture_example(2, mode="forward").result
    assert result.passes == 3
    assert sorted({m.pass_index for m in result.messages}) == [0, 1, 2]
    for i, expected in enumerate((-4 / 3, -8 / 3, 0.0)):
        last = [m for m in result.messages if m.pass_index == i][-1]
        assert (last.sender, last.receiver) == ("f3", "f4")
        assert last.total == pytest.approx(expected)
    first = result.messages[0]  # pass θ1: θ1 → f1 carries 1 × ∂f1/∂θ1 = −6
    assert (first.sender, first.receiver, first.incoming, first.value) == (
        "θ1",
        "f1",
        1.0,
        -6.0,
    )


# --- elementary blocks against math + finite differences --------------------

UNARY = [
    (exp, math.exp, 0.7),
    (log, math.log, 1.7),
    (relu, lambda v: max(0.0, v), 0.4),
    (relu, lambda v: max(0.0, v), -0.4),
    (sigmoid, lambda v: 1 / (1 + math.exp(-v)), -0.8),
    (tanh, math.tanh, 0.3),
    (negate, lambda v: -v, 1.2),
]
BINARY = [
    (add, lambda a, b: a + b),
    (subtract, lambda a, b: a - b),
    (multiply, lambda a, b: a * b),
    (divide, lambda a, b: a / b),
    (power, lambda a, b: a**b),
]


@pytest.mark.parametrize("op, reference, at", UNARY)
@pytest.mark.parametrize("mode", MODES)
def test_unary_blocks(op, reference, at, mode):
    result = differentiate(lambda t: op(t[0]), (at,), mode=mode)
    assert result.value == pytest.approx(reference(at), rel=1e-14)
    fd = central_differences(lambda t: reference(t[0]), [at])
    np.testing.assert_allclose(result.gradient, fd, rtol=1e-7)


@pytest.mark.parametrize("op, reference", BINARY)
@pytest.mark.parametrize("mode", MODES)
def test_binary_blocks(op, reference, mode):
    theta = (1.3, -0.6)
    result = differentiate(lambda t: op(t[0], t[1]), theta, mode=mode)
    assert result.value == pytest.approx(reference(*theta), rel=1e-14)
    fd = central_differences(lambda t: reference(t[0], t[1]), theta)
    np.testing.assert_allclose(result.gradient, fd, rtol=1e-7)


def test_operators_build_the_same_blocks():
    def g(t):
        a, b = t
        return (a * b + 3.0) / (1.0 - a) ** 2 - (-b) + 2.0**a - 1.0 / b

    def g_numpy(t):
        a, b = t
        return (a * b + 3.0) / (1.0 - a) ** 2 + b + 2.0**a - 1.0 / b

    theta = (0.4, 1.3)
    result = differentiate(g, theta)
    assert result.value == pytest.approx(g_numpy(theta))
    np.testing.assert_allclose(
        result.gradient, central_differences(g_numpy, theta), rtol=1e-7
    )


def test_methods_match_functions():
    t = variable(0.3)
    for method, reference in (
        (t.exp, math.exp),
        (t.log, math.log),
        (t.relu, lambda v: v),
        (t.sigmoid, lambda v: 1 / (1 + math.exp(-v))),
        (t.tanh, math.tanh),
    ):
        assert method().value == pytest.approx(reference(0.3))


def test_sigmoid_is_stable_far_from_zero():
    assert sigmoid(variable(-800.0)).value == 0.0
    assert sigmoid(variable(800.0)).local_derivatives == (0.0,)


def test_reused_variable_sums_its_paths():
    # g = θ·θ: two edges from θ, messages θ + θ = 2θ.
    result = differentiate(lambda t: t[0] * t[0], (3.0,))
    assert result.gradient == (6.0,)
    assert [m.value for m in result.messages] == [3.0, 3.0]
    assert result.messages[-1].total == 6.0


def test_input_the_output_does_not_use_gets_zero():
    for mode in MODES:
        result = differentiate(lambda t: t[0].exp(), (0.0, 5.0), mode=mode)
        assert result.gradient == (1.0, 0.0)


def test_deep_graph_without_recursion_limit():
    d = 3000
    theta = np.linspace(-1, 1, d)
    graph = trace(lambda t: sum((x * x for x in t), 0.0), theta.tolist())
    gradient = reverse_mode(graph, record_messages=False).gradient
    np.testing.assert_allclose(gradient, 2 * theta)
    partial = forward_mode(graph, wrt=[0, d - 1], record_messages=False)
    assert partial.gradient[0] == pytest.approx(-2.0)
    assert partial.gradient[1] is None and partial.passes == 2


def test_constants_get_no_local_derivative():
    u = multiply(variable(3.0, "w"), constant(2.0, "x"), name="u")
    assert u.local_derivatives == (2.0, None)
    graph = Graph(u)
    assert [graph.label(n) for n in graph.nodes] == ["w", "x", "u"]
    assert [m.receiver for m in reverse_mode(graph).messages] == ["w"]


def test_custom_block_and_graph_labels():
    square = Block("square", "x1²", lambda a: a * a, (lambda o, a: 2 * a,), ("2·x1",))
    a, b = variable(2.0), variable(-1.0)
    graph = Graph(square(a) + b, inputs=[a, b])
    assert [graph.label(n) for n in graph.nodes] == ["θ1", "θ2", "f1", "f2"]
    assert reverse_mode(graph).gradient == (4.0, 1.0)


# --- printing ---------------------------------------------------------------


def test_tables_show_the_example2_numbers():
    example = lecture_example(2)
    forward = forward_pass_table(example.graph)
    assert "log(f3) = log(81)" in forward and "(1 + 2·(-2))²" in forward
    local = local_derivatives_table(example.graph)
    assert "∂f3/∂f2" in local and "1/81" in local
    messages = messages_table(example.result)
    assert messages.count("→") == 7 and "-8/3" in messages
    summary = gradient_summary(example.result)
    assert "log(81) ≈ 4.39445" in summary
    assert "(-4/3, -8/3, 0)" in summary


def test_forward_mode_table_has_one_block_per_pass():
    table = messages_table(lecture_example(1, mode="forward").result)
    assert table.count("pass ") == 3 and "seed ∂θ2/∂θ2 = 1" in table


def test_dot_export(tmp_path):
    example = lecture_example(2)
    text = to_dot(example.graph, example.result)
    assert text.startswith("digraph g {") and text.rstrip().endswith("}")
    assert text.count("->") == 7
    assert "message -4/3" in text and "∂g/∂θ2 = -8/3" in text
    path = tmp_path / "g.dot"
    png = write_dot(example.graph, path, result=example.result, png=False)
    assert png is None and path.read_text(encoding="utf-8") == text
