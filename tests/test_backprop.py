"""Tests of backprop_trace against tf.GradientTape and finite differences.

Oracles: a whole-model tf.GradientTape (parameter gradients, and the chain
rule linking them to the messages), a float64 NumPy re-implementation of the
forward pass with central differences, and the lecture's closed forms of the
messages at the heads ((softmax - one_hot)/M, (sigmoid - y)/M, 2(ŷ - y)/M).
"""

import numpy as np
import pytest

import nda_models as nda

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

from nda_models.training.backprop import backprop_trace  # noqa: E402
from nda_models.zoo import default_loss, training_view  # noqa: E402


def _batch(m=6, d=4, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(m, d)).astype(np.float32)
    y = rng.integers(0, classes, size=m).astype(np.int32)
    return x, y


def _tiny_mlp(activation="tanh", l2=0.0):
    return nda.build_model(
        "mlp_classifier",
        input_dim=4,
        num_classes=3,
        hidden_units=(5,),
        activation=activation,
        l2=l2,
        seed=3,
    )


def _tape_gradients(model, x, y):
    """Whole-model tape: the gradients a training step would apply."""
    loss = default_loss(model)
    with tf.GradientTape() as tape:
        value = loss(y, training_view(model)(x, training=True))
        if model.losses:
            value = value + tf.add_n(model.losses)
    grads = tape.gradient(value, model.trainable_variables)
    return float(value), {
        v.path: g.numpy() for v, g in zip(model.trainable_variables, grads, strict=True)
    }


# --- float64 NumPy oracle of the tiny MLP: x -> tanh(x W1 + b1) -> W2 + b2 -> NLL


def _weights64(model):
    hidden, logits = model.get_layer("hidden_1"), model.get_layer("logits")
    return [
        np.asarray(v, dtype=np.float64)
        for v in (*hidden.get_weights(), *logits.get_weights())
    ]


def _log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def _loss_from_hidden(h, w2, b2, y):
    logp = _log_softmax(h @ w2 + b2)
    return -logp[np.arange(len(y)), y].mean()


def _loss64(weights, x, y):
    w1, b1, w2, b2 = weights
    return _loss_from_hidden(np.tanh(x.astype(np.float64) @ w1 + b1), w2, b2, y)


def _central_difference(f, array, index, eps=1e-6):
    saved = array[index]
    array[index] = saved + eps
    up = f()
    array[index] = saved - eps
    down = f()
    array[index] = saved
    return (up - down) / (2 * eps)


def test_parameter_gradients_equal_whole_model_tape():
    model = nda.build_model(
        "mlp_classifier", input_dim=4, num_classes=3, hidden_units=(5, 3), seed=1
    )
    x, y = _batch()
    trace = backprop_trace(model, x, y)
    loss, expected = _tape_gradients(model, x, y)
    assert trace.loss == pytest.approx(loss, rel=1e-6)
    for layer in trace.layers:
        for name, grad in layer.parameter_gradients.items():
            np.testing.assert_allclose(
                grad, expected[f"{layer.name}/{name}"], atol=1e-7
            )
    found = {f"{t.name}/{n}" for t in trace.layers for n in t.parameter_gradients}
    assert found == set(expected)


def test_messages_match_tape_through_the_chain_rule():
    """∂L/∂b = Σ_rows δ and ∂L/∂W = aᵀδ, with δ = message · relu'(z) at each Dense."""
    model = nda.build_model(
        "mlp_classifier", input_dim=4, num_classes=3, hidden_units=(5, 3), seed=2
    )
    x, y = _batch(m=8)
    trace = backprop_trace(model, x, y)
    _, expected = _tape_gradients(model, x, y)
    below = x
    for name in ("hidden_1", "hidden_2", "logits"):
        layer = trace[name]
        local = (layer.activation > 0) if name != "logits" else 1.0
        delta = layer.upstream_gradient * local
        np.testing.assert_allclose(
            delta.sum(axis=0), expected[f"{name}/bias"], atol=1e-6
        )
        np.testing.assert_allclose(
            below.T @ delta, expected[f"{name}/kernel"], atol=1e-6
        )
        below = layer.activation


def test_parameter_gradients_match_finite_differences():
    model = _tiny_mlp()
    x, y = _batch(m=5)
    trace = backprop_trace(model, x, y)
    weights = _weights64(model)
    assert trace.loss == pytest.approx(_loss64(weights, x, y), rel=1e-5)
    checks = [
        (0, (0, 0), "hidden_1", "kernel"),
        (0, (3, 4), "hidden_1", "kernel"),
        (1, (2,), "hidden_1", "bias"),
        (2, (4, 1), "logits", "kernel"),
        (3, (0,), "logits", "bias"),
    ]
    for k, index, layer, var in checks:
        numeric = _central_difference(lambda: _loss64(weights, x, y), weights[k], index)
        got = trace[layer].parameter_gradients[var][index]
        assert got == pytest.approx(numeric, abs=2e-6), (layer, var, index)


def test_activation_message_matches_finite_differences():
    model = _tiny_mlp()
    x, y = _batch(m=5)
    trace = backprop_trace(model, x, y)
    w1, b1, w2, b2 = _weights64(model)
    h = np.tanh(x.astype(np.float64) @ w1 + b1)
    np.testing.assert_allclose(trace["hidden_1"].activation, h, atol=1e-6)
    for index in [(0, 0), (2, 3), (4, 1)]:
        numeric = _central_difference(lambda: _loss_from_hidden(h, w2, b2, y), h, index)
        assert trace["hidden_1"].upstream_gradient[index] == pytest.approx(
            numeric, abs=2e-6
        )


def test_softmax_head_message_is_softmax_minus_one_hot_over_m():
    model = nda.build_model("softmax_classifier", input_dim=4, num_classes=3)
    model.get_layer("logits").set_weights(
        [np.random.default_rng(1).normal(size=(4, 3)), np.array([0.1, -0.2, 0.3])]
    )
    x, y = _batch(m=7)
    trace = backprop_trace(model, x, y)
    z = trace["logits"].activation.astype(np.float64)
    softmax = np.exp(_log_softmax(z))
    one_hot = np.eye(3)[y]
    np.testing.assert_allclose(
        trace["logits"].upstream_gradient, (softmax - one_hot) / len(y), atol=1e-7
    )
    np.testing.assert_allclose(
        trace["log_probabilities"].upstream_gradient, -one_hot / len(y), atol=1e-7
    )
    assert [t.name for t in trace.layers] == ["logits", "log_probabilities"]


def test_logistic_neuron_message_at_logit_is_sigmoid_minus_y_over_m():
    model = nda.build_model("logistic_neuron", input_dim=2)
    model.get_layer("logits").set_weights([np.array([[1.5], [-0.5]]), np.array([0.2])])
    rng = np.random.default_rng(4)
    x = rng.normal(size=(9, 2))
    y = rng.integers(0, 2, size=9)
    trace = backprop_trace(model, x, y)
    z = x @ np.array([1.5, -0.5]) + 0.2
    expected = (1 / (1 + np.exp(-z)) - y) / len(y)
    np.testing.assert_allclose(
        trace["logits"].upstream_gradient[:, 0], expected, atol=1e-6
    )


def test_regression_message_is_twice_the_residual_over_m():
    model = nda.build_model("linear_regressor", input_dim=2)
    model.get_layer("prediction").set_weights(
        [np.array([[2.0], [-3.0]]), np.array([1.0])]
    )
    rng = np.random.default_rng(5)
    x = rng.normal(size=(10, 2))
    y = rng.normal(size=10)
    trace = backprop_trace(model, x, y, loss="mean_squared_error")
    residual = x @ np.array([2.0, -3.0]) + 1.0 - y
    np.testing.assert_allclose(
        trace["prediction"].upstream_gradient[:, 0], 2 * residual / 10, atol=1e-5
    )
    np.testing.assert_allclose(
        trace["prediction"].parameter_gradients["bias"],
        [2 * residual.mean()],
        atol=1e-5,
    )


def test_l2_penalty_enters_loss_and_gradients():
    model = _tiny_mlp(l2=0.1)
    x, y = _batch(m=5)
    trace = backprop_trace(model, x, y)
    w1, b1, w2, b2 = _weights64(model)
    penalty = 0.1 * np.sum(w1**2)
    assert trace.loss == pytest.approx(
        _loss64([w1, b1, w2, b2], x, y) + penalty, rel=1e-5
    )
    _, expected = _tape_gradients(model, x, y)
    np.testing.assert_allclose(
        trace["hidden_1"].parameter_gradients["kernel"],
        expected["hidden_1/kernel"],
        atol=1e-6,
    )


def test_normalization_layer_is_traced_without_parameters():
    mean, var = np.array([1.0, 2.0]), np.array([4.0, 9.0])
    model = nda.build_model("linear_regressor", input_dim=2, normalization=(mean, var))
    x = np.array([[3.0, 5.0], [1.0, 2.0]])
    trace = backprop_trace(model, x, [0.0, 1.0])
    np.testing.assert_allclose(
        trace["normalization"].activation, (x - mean) / np.sqrt(var), atol=1e-6
    )
    assert trace["normalization"].parameter_gradients == {}


def test_table_lists_forward_then_backward():
    model = _tiny_mlp()
    x, y = _batch()
    text = str(backprop_trace(model, x, y))
    forward, backward = text.split("BACKWARD PASS")
    assert (
        forward.index("hidden_1")
        < forward.index("log_probabilities")
        < forward.index("  loss ")
    )
    assert (
        backward.index("log_probabilities")
        < backward.index("logits")
        < backward.index("hidden_1")
    )
    assert "∂loss/∂kernel" in backward


def test_rejects_mismatched_batch():
    model = _tiny_mlp()
    x, y = _batch()
    with pytest.raises(ValueError, match="one per row of x"):
        backprop_trace(model, x, y[:-1])


def test_rejects_non_model():
    with pytest.raises(TypeError, match="functional keras.Model"):
        backprop_trace(object(), np.zeros((2, 2)), [0, 1], loss="mean_squared_error")


def test_rejects_shared_layers():
    inputs = keras.Input(shape=(2,))
    dense = keras.layers.Dense(2, name="shared")
    model = keras.Model(inputs, dense(dense(inputs)))
    with pytest.raises(ValueError, match="called 2 times"):
        backprop_trace(model, np.zeros((2, 2)), np.zeros(2), loss="mean_squared_error")


def test_unknown_layer_name_lists_layers():
    trace = backprop_trace(_tiny_mlp(), *_batch())
    with pytest.raises(KeyError, match="hidden_1"):
        trace["hiden_1"]
