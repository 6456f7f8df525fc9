"""Learning-rate schedules and optimizers."""

import keras
import numpy as np
import pytest

import nda_models as nda
from nda_models.training import RobbinsMonro, Trainer
from nda_models.training.loop.optimizers import get_optimizer


@pytest.mark.parametrize("power", [0.51, 0.75, 1.0])
def test_robbins_monro_follows_its_formula(power):
    schedule = RobbinsMonro(0.2, tau=10.0, power=power)
    steps = np.array([0, 1, 10, 100, 1000])
    expected = 0.2 / (1 + steps / 10.0) ** power
    actual = [float(schedule(int(t))) for t in steps]
    np.testing.assert_allclose(actual, expected, rtol=1e-6)


@pytest.mark.parametrize("power", [0.5, 0.3, 1.01, 2.0])
def test_robbins_monro_refuses_powers_outside_the_summability_range(power):
    with pytest.raises(ValueError, match=r"square-summable.*not summable"):
        RobbinsMonro(0.1, power=power)


def test_robbins_monro_is_keras_serializable():
    schedule = RobbinsMonro(0.1, tau=5.0, power=0.75)
    restored = keras.optimizers.schedules.deserialize(
        keras.optimizers.schedules.serialize(schedule)
    )
    assert isinstance(restored, RobbinsMonro)
    assert restored.get_config() == schedule.get_config()


def test_trainer_applies_the_schedule_at_every_step():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 2)).astype(np.float32)
    y = x.sum(axis=1).astype(np.float32)
    trainer = Trainer(
        nda.build_model("linear_regressor", input_dim=2), learning_rate=0.1,
        schedule="robbins_monro", tau=4.0, power=0.75, batch_size=10, seed=0,
    )  # fmt: skip
    history = trainer.fit(x, y, epochs=3)
    steps = np.array([4, 8, 12])  # η after each epoch of 4 steps
    np.testing.assert_allclose(
        history.history["learning_rate"], 0.1 / (1 + steps / 4.0) ** 0.75, rtol=1e-5
    )


def test_constant_schedule_keeps_the_rate():
    trainer = Trainer(nda.build_model("linear_regressor", input_dim=2),
                      learning_rate=0.3, schedule="constant")  # fmt: skip
    assert trainer.learning_rate == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("name", "cls", "momentum"),
    [("sgd", keras.optimizers.SGD, 0.0), ("momentum", keras.optimizers.SGD, 0.8),
     ("adam", keras.optimizers.Adam, None)],
)  # fmt: skip
def test_optimizer_names_map_to_keras_optimizers(name, cls, momentum):
    optimizer = get_optimizer(name, 0.01, momentum=0.8)
    assert isinstance(optimizer, cls)
    if momentum is not None:
        assert optimizer.momentum == pytest.approx(momentum)


def test_momentum_matches_the_heavy_ball_rule():
    """One-weight oracle: v ← μv − η g, w ← w + v on J(w) = (w - 3)² (full batch)."""
    x = np.ones((4, 1), np.float32)
    y = np.full(4, 3.0, np.float32)
    model = nda.build_model("linear_regressor", input_dim=1)
    model.get_layer("prediction").trainable_weights[1].assign([0.0])
    trainer = Trainer(model, optimizer="momentum", momentum=0.5, learning_rate=0.1,
                      batch_size=4)  # fmt: skip
    trainer.fit(x, y, epochs=5)
    w, b, v_w, v_b = 0.0, 0.0, 0.0, 0.0
    for _ in range(5):
        g = 2 * (w + b - 3.0)
        v_w, v_b = 0.5 * v_w - 0.1 * g, 0.5 * v_b - 0.1 * g
        w, b = w + v_w, b + v_b
    kernel, bias = model.get_weights()
    assert kernel[0, 0] == pytest.approx(w, rel=1e-5)
    assert bias[0] == pytest.approx(b, rel=1e-5)
