"""Trainer convergence against independent oracles (lstsq, NumPy GD)."""

import numpy as np
import pytest
import support
from sklearn.datasets import load_iris

import nda_models as nda
from nda_models.training import Trainer


def lecture_data(n=400, seed=0):
    return support.lecture_data(n, seed)


def lstsq(x, y):
    design = np.c_[np.ones(len(x)), x]
    return np.linalg.lstsq(design, y, rcond=None)[0]


def parameters(model):
    kernel, bias = model.get_weights()
    return np.r_[bias, kernel.ravel()]


@pytest.mark.parametrize(
    ("batch_size", "learning_rate", "epochs"),
    [(1, 0.01, 4), (32, 0.1, 40), (400, 0.3, 150)],
)
def test_linear_regressor_reaches_lstsq(batch_size, learning_rate, epochs):
    x, y = lecture_data()
    model = nda.build_model("linear_regressor", input_dim=2)
    trainer = Trainer(model, learning_rate=learning_rate, batch_size=batch_size, seed=1)
    trainer.fit(x, y, epochs=epochs)
    np.testing.assert_allclose(parameters(model), lstsq(x, y), atol=0.05)


def test_uniform_sampling_with_decaying_step_reaches_lstsq():
    x, y = lecture_data()
    model = nda.build_model("linear_regressor", input_dim=2)
    trainer = Trainer(
        model, learning_rate=0.05, batch_size=8, sampling="uniform",
        schedule="robbins_monro", tau=200, power=0.75, seed=3,
    )  # fmt: skip
    trainer.fit(x, y, epochs=20)
    np.testing.assert_allclose(parameters(model), lstsq(x, y), atol=0.05)


@pytest.mark.parametrize(
    ("optimizer", "learning_rate"), [("momentum", 0.005), ("adam", 0.1)]
)
def test_other_optimizers_reach_lstsq(optimizer, learning_rate):
    x, y = lecture_data()
    model = nda.build_model("linear_regressor", input_dim=2)
    trainer = Trainer(
        model, optimizer=optimizer, learning_rate=learning_rate,
        schedule="robbins_monro", tau=50, seed=0,
    )  # fmt: skip
    trainer.fit(x, y, epochs=40)
    np.testing.assert_allclose(parameters(model), lstsq(x, y), atol=0.05)


def test_full_batch_gd_decreases_loss_at_every_step_like_numpy():
    x, y = lecture_data(n=100)
    model = nda.build_model("linear_regressor", input_dim=2)
    history = Trainer(model, learning_rate=0.05, batch_size=10_000).fit(x, y, epochs=30)
    losses = np.array(history.history["loss"])
    assert np.all(np.diff(losses) < 0)
    # NumPy oracle: Θ ← Θ - η (2/n) Xᵀ(XΘ - y), starting at zero.
    design, theta = np.c_[np.ones(len(x)), x], np.zeros(3)
    oracle = []
    for _ in range(30):
        residual = design @ theta - y
        oracle.append(np.mean(residual**2))
        theta -= 0.05 * 2 * design.T @ residual / len(x)
    np.testing.assert_allclose(losses, oracle, rtol=1e-4)
    np.testing.assert_allclose(parameters(model), theta, atol=1e-4)


def test_perceptron_separates_iris_setosa():
    iris = load_iris()
    x = iris.data[:, 2:4].astype(np.float32)
    y = (iris.target == 0).astype(np.int32)
    model = nda.build_model("perceptron", input_dim=2)
    trainer = Trainer(model, learning_rate=1.0, batch_size=1, seed=0)
    history = trainer.fit(x, y, epochs=10)
    assert trainer.evaluate(x, y)["accuracy"] == 1.0
    predictions = trainer.predict(x)[:, 0]
    np.testing.assert_array_equal(predictions, y)
    assert "accuracy" in history.history


def test_same_seed_gives_identical_weights_and_other_seed_differs():
    x, y = lecture_data(n=200)

    def run(seed):
        model = nda.build_model(
            "mlp_regressor", input_dim=2, hidden_units=(8,), dropout=0.2, seed=7
        )
        Trainer(model, batch_size=16, sampling="uniform", seed=seed).fit(x, y, epochs=3)
        return model.get_weights()

    first, second, other = run(5), run(5), run(6)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(a, c) for a, c in zip(first, other, strict=True))


def test_history_has_keras_keys_and_evaluate_matches_numpy():
    x, y = lecture_data(n=120)
    model = nda.build_model("linear_regressor", input_dim=2)
    trainer = Trainer(model, learning_rate=0.1, seed=0)
    history = trainer.fit(x, y, epochs=3, validation_data=(x[:50], y[:50]))
    assert set(history.history) == {
        "loss", "mean_absolute_error", "val_loss", "val_mean_absolute_error",
        "learning_rate",
    }  # fmt: skip
    assert all(len(v) == 3 for v in history.history.values())
    prediction = x @ model.get_weights()[0][:, 0] + model.get_weights()[1][0]
    result = trainer.evaluate(x, y, batch_size=7)
    assert result["loss"] == pytest.approx(np.mean((prediction - y) ** 2), rel=1e-5)
    assert result["mean_absolute_error"] == pytest.approx(
        np.mean(np.abs(prediction - y)), rel=1e-5
    )
    assert history.history["val_loss"][-1] == pytest.approx(
        trainer.evaluate(x[:50], y[:50])["loss"], rel=1e-5
    )


def test_classifier_loss_includes_l2_penalty_and_nll():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 3)).astype(np.float32)
    y = rng.integers(0, 3, size=60).astype(np.int32)
    model = nda.build_model(
        "mlp_classifier", input_dim=3, num_classes=3, hidden_units=(4,), l2=0.1, seed=0
    )
    trainer = Trainer(model, seed=0)
    trainer.fit(x, y, epochs=1)
    probabilities = trainer.predict(x)
    nll = -np.mean(np.log(probabilities[np.arange(60), y]))
    penalty = 0.1 * np.sum(model.get_layer("hidden_1").kernel.numpy() ** 2)
    result = trainer.evaluate(x, y)
    assert result["loss"] == pytest.approx(nll + penalty, rel=1e-4)
    assert result["accuracy"] == pytest.approx(np.mean(probabilities.argmax(1) == y))


def test_logistic_neuron_learns_a_linear_boundary():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(200, 2)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int32)
    model = nda.build_model("logistic_neuron", input_dim=2)
    trainer = Trainer(model, learning_rate=0.5, batch_size=16, seed=0)
    history = trainer.fit(x, y, epochs=15)
    assert history.history["accuracy"][-1] > 0.95
