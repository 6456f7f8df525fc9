"""Our autodiff engine against TensorFlow, the independent oracle.

The lecture's examples and random expression graphs are rebuilt with
TensorFlow ops in float64; values and every partial derivative must match
``tf.GradientTape`` (reverse mode) and ``tf.autodiff.ForwardAccumulator``
(forward mode, one pass per basis vector e_i).
"""

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nda_models.autodiff import differentiate, lecture_example

tf = pytest.importorskip("tensorflow")

MODES = ("reverse", "forward")


def tape_gradient(function, theta):
    """g(θ) and ∇g(θ) by tf.GradientTape."""
    t = tf.constant(theta, dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = function(t)
    return float(y), tape.gradient(y, t).numpy()


def accumulator_gradient(function, theta):
    """∇g(θ) by tf.autodiff.ForwardAccumulator, one JVP per basis vector."""
    t = tf.constant(theta, dtype=tf.float64)
    gradient = []
    for i in range(len(theta)):
        tangent = tf.one_hot(i, len(theta), dtype=tf.float64)
        with tf.autodiff.ForwardAccumulator(t, tangent) as accumulator:
            y = function(t)
        gradient.append(float(accumulator.jvp(y)))
    return np.array(gradient)


# --- the three lecture examples in TensorFlow --------------------------------


def tf_example1(t):
    return t[0] ** 2 + 2 * t[1] ** 2 - t[2] ** 2


def tf_example2(t):
    def f(a, b):
        return (a + 2 * b) ** 2

    return tf.math.log(f(f(t[0], t[1]), f(t[1], t[2])))


def tf_example3(x, y_true):
    return lambda t: (tf.exp(t[0] * x + t[1]) - y_true) ** 2


CASES = [
    (1, None, {}, tf_example1),
    (1, (0.3, 2.0, -1.5), {}, tf_example1),
    (2, None, {}, tf_example2),
    (2, (0.7, 0.4, 1.1), {}, tf_example2),
    (3, None, {}, tf_example3(2.0, 2.0)),
    (3, (-0.4, 0.9), {"x": -1.3, "y_true": 0.5}, tf_example3(-1.3, 0.5)),
]


@pytest.mark.parametrize("k, theta, options, tf_function", CASES)
@pytest.mark.parametrize("mode", MODES)
def test_lecture_examples_match_tensorflow(k, theta, options, tf_function, mode):
    example = lecture_example(k, theta, mode=mode, **options)
    value, tape = tape_gradient(tf_function, example.theta)
    assert example.value == pytest.approx(value, rel=1e-13)
    np.testing.assert_allclose(example.gradient, tape, rtol=1e-12, atol=1e-14)
    forward = accumulator_gradient(tf_function, example.theta)
    np.testing.assert_allclose(example.gradient, forward, rtol=1e-12, atol=1e-14)


# --- random expression graphs ------------------------------------------------
# A recipe is a list of steps (op, operand positions, exponent); it is drawn
# with plain math values so that every op stays inside its domain, then
# replayed once with our nodes and once with TensorFlow tensors.

SAFE = {
    "add": lambda a, b: True,
    "subtract": lambda a, b: True,
    "multiply": lambda a, b: abs(a * b) < 1e3,
    "divide": lambda a, b: abs(b) > 0.2,
    "power_int": lambda a, b: abs(a) < 10,
    "power": lambda a, b: 0.2 < a < 10 and abs(b) < 3,
    "exp": lambda a, b: a < 5,
    "log": lambda a, b: a > 0.2,
    "relu": lambda a, b: abs(a) > 1e-3,
    "sigmoid": lambda a, b: True,
    "tanh": lambda a, b: True,
    "negate": lambda a, b: True,
}
MATH = {
    "add": lambda a, b, n: a + b,
    "subtract": lambda a, b, n: a - b,
    "multiply": lambda a, b, n: a * b,
    "divide": lambda a, b, n: a / b,
    "power_int": lambda a, b, n: a**n,
    "power": lambda a, b, n: a**b,
    "exp": lambda a, b, n: math.exp(a),
    "log": lambda a, b, n: math.log(a),
    "relu": lambda a, b, n: max(a, 0.0),
    "sigmoid": lambda a, b, n: 1 / (1 + math.exp(-a)),
    "tanh": lambda a, b, n: math.tanh(a),
    "negate": lambda a, b, n: -a,
}
OURS = {
    "add": lambda a, b, n: a + b,
    "subtract": lambda a, b, n: a - b,
    "multiply": lambda a, b, n: a * b,
    "divide": lambda a, b, n: a / b,
    "power_int": lambda a, b, n: a**n,
    "power": lambda a, b, n: a**b,
    "exp": lambda a, b, n: a.exp(),
    "log": lambda a, b, n: a.log(),
    "relu": lambda a, b, n: a.relu(),
    "sigmoid": lambda a, b, n: a.sigmoid(),
    "tanh": lambda a, b, n: a.tanh(),
    "negate": lambda a, b, n: -a,
}
TF = {
    "add": lambda a, b, n: tf.add(a, b),
    "subtract": lambda a, b, n: tf.subtract(a, b),
    "multiply": lambda a, b, n: tf.multiply(a, b),
    "divide": lambda a, b, n: tf.divide(a, b),
    "power_int": lambda a, b, n: tf.pow(a, tf.constant(n, tf.float64)),
    "power": lambda a, b, n: tf.pow(a, b),
    "exp": lambda a, b, n: tf.exp(a),
    "log": lambda a, b, n: tf.math.log(a),
    "relu": lambda a, b, n: tf.nn.relu(a),
    "sigmoid": lambda a, b, n: tf.sigmoid(a),
    "tanh": lambda a, b, n: tf.tanh(a),
    "negate": lambda a, b, n: tf.negative(a),
}


def random_recipe(seed, d, steps):
    """θ and a random recipe whose every step is inside its op's domain."""
    rng = random.Random(seed)
    theta = [rng.uniform(-2.0, 2.0) for _ in range(d)]
    values, recipe = list(theta), []
    while len(recipe) < steps:
        op = rng.choice(sorted(SAFE))
        i, j = rng.randrange(len(values)), rng.randrange(len(values))
        n = rng.choice((2, 3))  # integer exponent of "power_int"
        if not SAFE[op](values[i], values[j]):
            continue
        values.append(MATH[op](values[i], values[j], n))
        recipe.append((op, i, j, n))
    return theta, recipe


def replay(recipe, theta, ops, total):
    """Runs ``recipe`` on the inputs with ``ops``; g = sum of every node."""
    nodes = list(theta)
    for op, i, j, n in recipe:
        nodes.append(ops[op](nodes[i], nodes[j], n))
    return total(nodes)


def check_random_graph(seed, d, steps, *, forward_accumulator):
    theta, recipe = random_recipe(seed, d, steps)

    def ours(t):
        return replay(recipe, t, OURS, lambda nodes: sum(nodes[1:], nodes[0]))

    def theirs(t):
        return replay(recipe, [t[i] for i in range(d)], TF, tf.add_n)

    value, tape = tape_gradient(theirs, theta)
    for mode in MODES:
        result = differentiate(ours, theta, mode=mode)
        assert result.value == pytest.approx(value, rel=1e-11, abs=1e-12)
        np.testing.assert_allclose(result.gradient, tape, rtol=1e-10, atol=1e-11)
    if forward_accumulator:
        forward = accumulator_gradient(theirs, theta)
        np.testing.assert_allclose(result.gradient, forward, rtol=1e-10, atol=1e-11)


@pytest.mark.parametrize("seed", range(12))
def test_seeded_random_graphs_match_tensorflow(seed):
    check_random_graph(seed, d=1 + seed % 4, steps=4 + seed, forward_accumulator=True)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), d=st.integers(1, 4), steps=st.integers(1, 15))
def test_hypothesis_random_graphs_match_tensorflow(seed, d, steps):
    check_random_graph(seed, d, steps, forward_accumulator=False)
