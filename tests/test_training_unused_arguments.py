"""No Trainer argument is silently ignored, and NumPy scalars count as numbers."""

import keras
import numpy as np
import pytest

import nda_models as nda
from nda_models.training import RobbinsMonro, Trainer


def model():
    return nda.build_model("linear_regressor", input_dim=2)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"optimizer": "sgd", "momentum": 0.5}, r"`momentum` has no effect.*'sgd'"),
        ({"optimizer": "adam", "momentum": 0.5}, r"`momentum` has no effect.*'adam'"),
        (
            {"optimizer": keras.optimizers.SGD(0.1), "learning_rate": 0.5},
            r"`learning_rate` has no effect.*SGD object",
        ),
        (
            {"optimizer": keras.optimizers.SGD(0.1), "momentum": 0.5},
            r"`momentum` has no effect.*SGD object",
        ),
        (
            {"optimizer": keras.optimizers.Adam(), "schedule": "robbins_monro"},
            r"`schedule` has no effect.*Adam object",
        ),
        ({"tau": 50}, r"`tau` has no effect.*schedule=None"),
        ({"schedule": "constant", "power": 0.75}, r"`power` has no effect.*'constant'"),
        (
            {"schedule": RobbinsMonro(0.1), "learning_rate": 0.5},
            r"`learning_rate` has no effect.*RobbinsMonro schedule",
        ),
        ({"schedule": RobbinsMonro(0.1), "tau": 10}, r"`tau` has no effect"),
        ({"log_every": 5}, r"`log_every` has no effect.*without log_dir"),
        ({"loss_input": "prediction"}, r"`loss_input` has no effect.*loss=None"),
    ],
)
def test_an_argument_without_effect_is_refused(options, match):
    with pytest.raises(ValueError, match=match):
        Trainer(model(), **options)


def test_evaluate_refuses_a_batch_size_for_a_batched_dataset():
    import tensorflow as tf

    x = np.zeros((8, 2), np.float32)
    batches = tf.data.Dataset.from_tensor_slices((x, x[:, 0])).batch(4)
    trainer = Trainer(model())
    with pytest.raises(
        ValueError, match=r"`batch_size` has no effect.*already batched"
    ):
        trainer.evaluate(batches, batch_size=2)
    assert trainer.evaluate(batches)["loss"] >= 0


def test_arguments_that_take_effect_are_accepted():
    trainer = Trainer(model(), optimizer="momentum", momentum=0.5)
    assert float(trainer.optimizer.momentum) == 0.5
    trainer = Trainer(model(), schedule="robbins_monro", tau=10, power=0.75)
    schedule = trainer.optimizer._learning_rate
    assert (schedule.tau, schedule.power) == (10.0, 0.75)
    own = keras.optimizers.SGD(0.2)
    assert Trainer(model(), optimizer=own).learning_rate == pytest.approx(0.2)
    assert Trainer(model()).learning_rate == pytest.approx(0.01)  # the default


def test_numpy_scalars_are_accepted_wherever_numbers_are():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 2)).astype(np.float32)
    y = (x @ [2.0, -3.0] + 5).astype(np.float32)
    trainer = Trainer(
        model(), learning_rate=np.float32(0.05), batch_size=np.int64(8),
        seed=np.int64(0), divergence_factor=np.float32(1e4),
        schedule="robbins_monro", tau=np.float64(50), power=np.float32(1.0),
        steps_per_execution=np.int32(3),
    )  # fmt: skip
    history = trainer.fit(x, y, epochs=np.int64(2), verbose=np.int64(0))
    assert len(history.history["loss"]) == 2
    assert trainer.evaluate(x, y, batch_size=np.int64(16))["loss"] >= 0
    mlp = nda.build_model(
        "mlp_classifier", input_dim=np.int64(2), num_classes=np.int64(3),
        hidden_units=(np.int64(4),), dropout=np.float32(0.1), seed=np.int64(0),
    )  # fmt: skip
    Trainer(mlp, optimizer="momentum", momentum=np.float32(0.5))
    data = nda.load_dataset("iris", seed=np.int64(1))
    batches = data.as_tf_dataset("train", np.int64(16), seed=np.int64(0))
    assert next(iter(batches))[0].shape[0] == 16
