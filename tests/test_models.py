"""The zoo's contract test, builder validation, and the lecture's math oracles.

Every oracle below is the lecture's formula written independently in NumPy;
the models' losses and gradients (from tf.GradientTape) must equal it.
"""

import numpy as np
import pytest

import nda_models as nda
from nda_models.zoo import default_loss, training_view

RNG = np.random.default_rng(0)
N, D, C = 7, 4, 3


def _build(name, **hparams):
    if "num_classes" in nda.describe_model(name).required:
        hparams.setdefault("num_classes", C)
    return nda.build_model(name, input_dim=D, **hparams)


def _labels(name):
    task = nda.describe_model(name).task
    if task == "regression":
        return RNG.normal(size=N).astype("float32")
    high = C if task == "multiclass" else 2
    return RNG.integers(0, high, size=N).astype("int32")


def _loss_and_grads(model, x, y, loss=None):
    import tensorflow as tf

    view, loss = training_view(model), loss or default_loss(model)
    with tf.GradientTape() as tape:
        value = loss(y, view(x, training=True)) + sum(model.losses)
    return value.numpy(), tape.gradient(value, model.trainable_variables)


def _set_random_weights(model, scale=0.5):
    model.set_weights(
        [
            RNG.normal(scale=scale, size=w.shape).astype("float32")
            for w in model.get_weights()
        ]
    )


@pytest.mark.parametrize("name", nda.list_models())
def test_contract(name, tmp_path):
    """Builds, right shape, finite, a gradient for every variable, .keras round trip."""
    import keras

    model = _build(name)
    _set_random_weights(model)
    spec = nda.describe_model(name)
    x = RNG.normal(size=(N, D)).astype("float32")
    out = model.predict(x, verbose=0)
    width = C if spec.task == "multiclass" else 1
    assert model.name == name
    assert out.shape == (N, width)
    assert np.all(np.isfinite(out))
    if spec.task == "multiclass":
        np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)
    _, grads = _loss_and_grads(model, x, _labels(name))
    assert len(grads) == len(model.trainable_variables) > 0
    for var, grad in zip(model.trainable_variables, grads, strict=True):
        assert grad is not None, var.path
        assert np.all(np.isfinite(grad.numpy()))
    path = tmp_path / f"{name}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), out)


@pytest.mark.parametrize("name", nda.list_models())
def test_declared_output_kind_is_what_the_model_outputs(name):
    """``describe_model(name).output_kind``, checked against the built output."""
    rng = np.random.default_rng(1)  # its own draws: RNG feeds the oracles below
    model = _build(name)
    # Large weights, so that an unsquashed output leaves [0, 1].
    model.set_weights([rng.normal(scale=5.0, size=w.shape) for w in model.weights])
    out = model.predict(rng.normal(size=(N, D)).astype("float32"), verbose=0)
    kind = nda.describe_model(name).output_kind
    if kind == "regression":  # real values: not confined to [0, 1]
        assert out.shape == (N, 1) and np.max(np.abs(out)) > 1
    elif kind == "binary_probability":  # in [0, 1], and not only 0 or 1
        assert out.shape == (N, 1) and np.all((out >= 0) & (out <= 1))
        assert np.any((out > 0.01) & (out < 0.99))
    elif kind == "binary_decision":  # the step's 0 or 1, nothing else
        assert out.shape == (N, 1) and set(np.unique(out)) <= {0.0, 1.0}
    else:
        assert kind == "multiclass_probability"
        assert out.shape == (N, C) and np.all(out >= 0)
        np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)


def test_one_module_registers_the_zoo_classes_for_loading(tmp_path):
    """A fresh process loads a saved perceptron (its Step layer) with
    safe_mode once nda_models.zoo.custom_objects is imported, not before."""
    import subprocess
    import sys

    path = tmp_path / "perceptron.keras"
    _build("perceptron").save(path)
    code = (
        "import sys, keras\n"
        "try:\n"
        f"    keras.saving.load_model({str(path)!r}, safe_mode=True)\n"
        "except Exception as error:\n"
        "    print('refused:', type(error).__name__)\n"
        "import nda_models.zoo.custom_objects\n"
        f"model = keras.saving.load_model({str(path)!r}, safe_mode=True)\n"
        "print(type(model.layers[-1]).__module__, model.layers[-1].name)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == [
        "refused: TypeError",
        "nda_models.zoo.layers decision",
    ]


def test_no_other_zoo_module_registers_keras_classes():
    import pathlib

    zoo = pathlib.Path(nda.__file__).parent / "zoo"
    registering = sorted(
        path.name
        for path in zoo.glob("*.py")
        if "register_keras_serializable" in path.read_text(encoding="utf-8")
    )
    assert registering == ["custom_objects.py"]


def test_normalization_inside_model():
    import keras

    mean, var = np.array([1.0, 2.0, 3.0, 4.0]), np.array([4.0, 1.0, 9.0, 0.25])
    model = _build("linear_regressor", normalization=(mean, var))
    model.get_layer("prediction").set_weights(
        [np.ones((D, 1), "float32"), np.zeros(1, "float32")]
    )
    x = RNG.normal(size=(N, D)).astype("float32")
    expected = ((x - mean) / np.sqrt(var)).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(
        model.predict(x, verbose=0), expected, rtol=1e-4, atol=1e-4
    )
    assert isinstance(model.get_layer("normalization"), keras.layers.Normalization)


@pytest.mark.parametrize(
    ("hparams", "error", "match"),
    [
        (
            {"hidden_units": (8, 0)},
            ValueError,
            r"`hidden_units` must be an integer >= 1.*=0",
        ),
        ({"hidden_units": "8"}, TypeError, r"sequence of layer sizes.*'8'"),
        (
            {"activation": "gelu"},
            ValueError,
            r"Unknown activation.*'relu'.*Received: activation='gelu'",
        ),
        (
            {"dropout": 1.0},
            ValueError,
            r"`dropout` must be in \[0, 1\)\. Received: dropout=1.0",
        ),
        ({"l2": -1e-3}, ValueError, r"`l2` must be a finite number >= 0"),
        ({"num_classes": 1}, ValueError, r"`num_classes` must be an integer >= 2 \("),
        (
            {"normalization": ([0.0], [1.0])},
            ValueError,
            r"input_dim=4 values\. Received: 1 and 1",
        ),
        ({"normalization": 3}, TypeError, r"must be a pair \(mean, variance\)"),
    ],
)
def test_builder_validation(hparams, error, match):
    with pytest.raises(error, match=match):
        _build("mlp_classifier", **hparams)


def test_input_dim_validation():
    with pytest.raises(
        ValueError, match=r"`input_dim` must be an integer >= 1\. Received: input_dim=0"
    ):
        nda.build_model("linear_regressor", input_dim=0)
    with pytest.raises(TypeError, match=r"Received: input_dim=2.5"):
        nda.build_model("linear_regressor", input_dim=2.5)


def _dense(model, layer):
    kernel, bias = model.get_layer(layer).get_weights()
    return kernel.astype("float64"), bias.astype("float64")


def test_linear_regressor_mse_and_gradient_oracle():
    """Slide "Least Squares": ∂J_i/∂w = -(y_i - Θᵀx_i - b)·x_i, ∂J_i/∂b = -(y_i - ŷ_i).

    Keras's MSE is mean_i (y_i - ŷ_i)², so its gradient is (2/M) Σ_i of those.
    """
    model = _build("linear_regressor")
    _set_random_weights(model)
    x = RNG.normal(size=(N, D)).astype("float32")
    y = _labels("linear_regressor")
    loss, (g_kernel, g_bias) = _loss_and_grads(model, x, y)
    w, b = _dense(model, "prediction")
    residual = y - (x @ w + b).ravel()
    np.testing.assert_allclose(loss, np.mean(residual**2), rtol=1e-5)
    expected_w = 2 * np.mean(-residual[:, None] * x, axis=0)
    np.testing.assert_allclose(
        g_kernel.numpy().ravel(), expected_w, rtol=1e-4, atol=1e-6
    )
    np.testing.assert_allclose(g_bias.numpy(), [2 * np.mean(-residual)], rtol=1e-4)


def test_logistic_neuron_bce_and_gradient_oracle():
    """Logistic regression: BCE gradient (p - y)·x, averaged over the batch."""
    model = _build("logistic_neuron")
    _set_random_weights(model)
    x = RNG.normal(size=(N, D)).astype("float32")
    y = _labels("logistic_neuron")
    loss, (g_kernel, g_bias) = _loss_and_grads(model, x, y)
    w, b = _dense(model, "logits")
    p = 1 / (1 + np.exp(-(x @ w + b).ravel()))
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    np.testing.assert_allclose(loss, expected, rtol=1e-5)
    np.testing.assert_allclose(
        g_kernel.numpy().ravel(), np.mean((p - y)[:, None] * x, 0), rtol=1e-4, atol=1e-6
    )
    np.testing.assert_allclose(g_bias.numpy(), [np.mean(p - y)], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(model.predict(x, verbose=0).ravel(), p, rtol=1e-5)


def test_logistic_loss_is_stable_for_huge_logits():
    model = _build("logistic_neuron")
    model.get_layer("logits").set_weights(
        [np.full((D, 1), 500.0, "float32"), np.zeros(1, "float32")]
    )
    x = np.ones((2, D), "float32")  # logit z = 2000
    loss, grads = _loss_and_grads(model, x, np.array([0, 0], "int32"))
    np.testing.assert_allclose(
        loss, 2000.0, rtol=1e-5
    )  # -log(1 - σ(z)) = z + log(1 + e^-z)
    assert all(np.all(np.isfinite(g.numpy())) for g in grads)


def test_perceptron_sgd_step_is_the_perceptron_rule():
    """One SGD step of size η on one example is Rosenblatt's rule.

    Θ <- Θ + η(y − ŷ)x and b <- b + η(y − ŷ), ŷ = step(Θᵀx + b) = [s > 0].
    """
    import keras

    eta = 0.1
    for w0, y in [(np.zeros(D), 1), (np.zeros(D), 0), (np.ones(D), 0),
                  (np.ones(D), 1), (-np.ones(D), 1)]:  # fmt: skip
        model = _build("perceptron")
        model.get_layer("logits").set_weights(
            [w0.reshape(D, 1).astype("float32"), np.zeros(1, "float32")]
        )
        x = RNG.uniform(0.5, 1.5, size=(1, D)).astype("float32")
        _, grads = _loss_and_grads(model, x, np.array([y], "int32"))
        keras.optimizers.SGD(eta).apply(grads, model.trainable_variables)
        y_hat = float((x @ w0)[0] > 0)
        w, b = _dense(model, "logits")
        np.testing.assert_allclose(w.ravel(), w0 + eta * (y - y_hat) * x.ravel())
        np.testing.assert_allclose(b, [eta * (y - y_hat)], atol=1e-7)


def test_perceptron_point_on_the_boundary_with_label_0_is_not_an_update():
    """The issue's case: x = (4.7, 1.4), y = 0, Θ = 0, b = 0: s = 0, ŷ = 0 = y."""
    import keras

    model = nda.build_model("perceptron", input_dim=2)
    x = np.array([[4.7, 1.4]], "float32")
    loss, grads = _loss_and_grads(model, x, np.array([0], "int32"))
    keras.optimizers.SGD(1.0).apply(grads, model.trainable_variables)
    w, b = _dense(model, "logits")
    assert loss == 0.0
    np.testing.assert_array_equal(w.ravel(), [0.0, 0.0])
    np.testing.assert_array_equal(b, [0.0])
    # The same point labelled 1 is a mistake (ŷ = 0): Θ = η x, b = η.
    _, grads = _loss_and_grads(model, x, np.array([1], "int32"))
    keras.optimizers.SGD(1.0).apply(grads, model.trainable_variables)
    w, b = _dense(model, "logits")
    np.testing.assert_allclose(w.ravel(), [4.7, 1.4])
    np.testing.assert_allclose(b, [1.0])


def test_perceptron_outputs_step_decision():
    model = _build("perceptron")
    model.get_layer("logits").set_weights(
        [np.ones((D, 1), "float32"), np.array([-1.0], "float32")]
    )
    x = np.array([[0.0] * D, [1.0] * D], "float32")
    np.testing.assert_array_equal(model.predict(x, verbose=0).ravel(), [0.0, 1.0])


@pytest.mark.parametrize("name", ["softmax_classifier", "mlp_classifier"])
def test_nll_gradient_is_softmax_minus_one_hot(name):
    """NLL with LogSoftmax: ∂loss/∂logits = (softmax(z) - one_hot(y)) / M."""
    import tensorflow as tf

    model = _build(name)
    _set_random_weights(model)
    x = RNG.normal(size=(N, D)).astype("float32")
    y = _labels(name)
    logits_model = training_view(model, "logits")
    z = logits_model(x)
    with tf.GradientTape() as tape:
        tape.watch(z)
        log_probs = tf.nn.log_softmax(z)
        loss = default_loss(model)(y, log_probs)
    z = z.numpy().astype("float64")
    softmax = np.exp(z - z.max(1, keepdims=True))
    softmax /= softmax.sum(1, keepdims=True)
    one_hot = np.eye(C)[y]
    np.testing.assert_allclose(
        loss.numpy(), -np.mean(np.log(softmax[np.arange(N), y])), rtol=1e-5
    )
    grad = tape.gradient(loss, log_probs)  # message into the LogSoftmax output
    np.testing.assert_allclose(grad.numpy(), -one_hot / N, atol=1e-7)
    # and the full chain through LogSoftmax gives softmax - one_hot:
    zt = tf.constant(z, tf.float32)
    with tf.GradientTape() as tape2:
        tape2.watch(zt)
        loss2 = default_loss(model)(y, tf.nn.log_softmax(zt))
    np.testing.assert_allclose(
        tape2.gradient(loss2, zt).numpy(), (softmax - one_hot) / N, atol=1e-6
    )
    np.testing.assert_allclose(
        model.predict(x, verbose=0), softmax, rtol=1e-4, atol=1e-6
    )


def test_softmax_classifier_kernel_gradient_oracle():
    """∂NLL/∂W = xᵀ(softmax - one_hot) / M for c-class logistic regression."""
    model = _build("softmax_classifier")
    _set_random_weights(model)
    x = RNG.normal(size=(N, D)).astype("float32")
    y = _labels("softmax_classifier")
    _, (g_kernel, g_bias) = _loss_and_grads(model, x, y)
    w, b = _dense(model, "logits")
    z = x @ w + b
    softmax = np.exp(z - z.max(1, keepdims=True))
    softmax /= softmax.sum(1, keepdims=True)
    delta = (softmax - np.eye(C)[y]) / N
    np.testing.assert_allclose(g_kernel.numpy(), x.T @ delta, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(g_bias.numpy(), delta.sum(0), rtol=1e-4, atol=1e-6)


def test_nll_is_stable_for_huge_logits():
    model = _build("softmax_classifier")
    kernel = np.zeros((D, C), "float32")
    kernel[0] = [1000.0, 0.0, -1000.0]
    model.get_layer("logits").set_weights([kernel, np.zeros(C, "float32")])
    x = np.zeros((1, D), "float32")
    x[0, 0] = 1.0
    loss, grads = _loss_and_grads(model, x, np.array([2], "int32"))
    np.testing.assert_allclose(loss, 2000.0, rtol=1e-5)
    assert all(np.all(np.isfinite(g.numpy())) for g in grads)


def _mlp_forward_numpy(weights, x, activation):
    act = {
        "relu": lambda a: np.maximum(a, 0),
        "tanh": np.tanh,
        "sigmoid": lambda a: 1 / (1 + np.exp(-a)),
    }[activation]
    *hidden, (w_out, b_out) = list(zip(weights[::2], weights[1::2], strict=True))
    for w, b in hidden:
        x = act(x @ w + b)
    return x @ w_out + b_out


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_mlp_regressor_matches_numpy_and_finite_differences(activation):
    model = _build(
        "mlp_regressor", hidden_units=(5, 3), activation=activation, l2=0.01, seed=1
    )
    x = RNG.normal(size=(N, D)).astype("float32")
    y = _labels("mlp_regressor")
    weights = [w.astype("float64") for w in model.get_weights()]

    def loss_np(ws):
        pred = _mlp_forward_numpy(ws, x.astype("float64"), activation).ravel()
        penalty = 0.01 * sum(np.sum(w**2) for w in ws[0:4:2])  # L2 on hidden kernels
        return np.mean((y - pred) ** 2) + penalty

    np.testing.assert_allclose(
        model.predict(x, verbose=0).ravel(),
        _mlp_forward_numpy(weights, x, activation).ravel(),
        rtol=1e-4,
        atol=1e-5,
    )
    loss, grads = _loss_and_grads(model, x, y)
    np.testing.assert_allclose(loss, loss_np(weights), rtol=1e-4)
    eps = 1e-5
    for k, grad in enumerate(grads):
        for index in list(np.ndindex(weights[k].shape))[:3]:
            plus = [w.copy() for w in weights]
            minus = [w.copy() for w in weights]
            plus[k][index] += eps
            minus[k][index] -= eps
            numeric = (loss_np(plus) - loss_np(minus)) / (2 * eps)
            np.testing.assert_allclose(
                grad.numpy()[index], numeric, rtol=2e-3, atol=2e-5
            )


def test_mlp_dropout_only_in_training():
    model = _build("mlp_classifier", hidden_units=(16,), dropout=0.5, seed=0)
    x = RNG.normal(size=(N, D)).astype("float32")
    np.testing.assert_array_equal(model(x, training=False), model(x, training=False))
    assert not np.allclose(model(x, training=True), model(x, training=False))


def test_same_seed_same_weights():
    first = _build("mlp_classifier", seed=3).get_weights()
    second = _build("mlp_classifier", seed=3).get_weights()
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


def test_linear_regressor_without_bias_has_only_the_kernel():
    model = nda.build_model("linear_regressor", input_dim=2, use_bias=False)
    assert [v.name for v in model.trainable_variables] == ["kernel"]
    x = RNG.normal(size=(5, 2)).astype("float32")
    model.get_layer("prediction").kernel.assign([[2.0], [-1.0]])
    np.testing.assert_allclose(
        model.predict(x, verbose=0).ravel(), x @ [2.0, -1.0], rtol=1e-6
    )


def test_linear_regressor_use_bias_must_be_a_bool():
    message = r"`use_bias` must be one of \[True, False\]\. Received: use_bias='no'"
    with pytest.raises(TypeError, match=message):
        nda.build_model("linear_regressor", input_dim=2, use_bias="no")


def test_one_check_says_what_a_model_argument_must_be(tmp_path):
    """The Trainer, save_model and backprop_trace refuse a non-model with the
    same check (it was written three times, with three messages)."""
    import pathlib

    calls = [
        lambda: nda.Trainer("perceptron"),
        lambda: nda.save_model("perceptron", tmp_path / "bundle"),
        lambda: nda.backprop_trace("perceptron", np.zeros((1, 2)), [0]),
    ]
    for call in calls:
        with pytest.raises(
            TypeError,
            match=r"^`model` must be a (functional )?keras\.Model.*e\.g\. "
            r"nda\.build_model\('perceptron', input_dim=2\)\. "
            r"Received: model of type str$",
        ):
            call()
    package = pathlib.Path(nda.__file__).parent
    checking = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "isinstance(model, keras.Model)" in path.read_text(encoding="utf-8")
    )
    assert checking == ["zoo/keras_model.py"]
