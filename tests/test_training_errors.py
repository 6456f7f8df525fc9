"""Every rejection the Trainer promises, and divergence handling."""

import re

import numpy as np
import pytest

import nda_models as nda
from nda_models import TrainingDivergedError
from nda_models.training import Trainer


def linear_model():
    return nda.build_model("linear_regressor", input_dim=2)


def data(n=50):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 2)).astype(np.float32)
    return x, (x @ [2.0, -3.0] + 5).astype(np.float32)


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"batch_size": 0}, ValueError, "batch_size` must be an integer >= 1"),
        ({"batch_size": 2.5}, TypeError, "batch_size` must be an integer"),
        ({"sampling": "permutaion"}, ValueError, "Did you mean 'permutation'"),
        ({"optimizer": "adma"}, ValueError, "Did you mean 'adam'"),
        ({"optimizer": 3}, TypeError, "optimizer` must be one of"),
        ({"learning_rate": -0.1}, ValueError, "learning_rate` must be a finite"),
        ({"learning_rate": "fast"}, TypeError, "learning_rate` must be a number"),
        ({"schedule": "robins_monro"}, ValueError, "Did you mean 'robbins_monro'"),
        ({"schedule": 3}, TypeError, "schedule` must be None"),
        ({"schedule": "robbins_monro", "power": 0.5}, ValueError, "square-summable"),
        ({"schedule": "robbins_monro", "power": 1.5}, ValueError, "not summable"),
        ({"schedule": "robbins_monro", "tau": 0}, ValueError, "tau` .* > 0"),
        ({"optimizer": "momentum", "momentum": 1.0}, ValueError, "momentum` must"),
        ({"seed": -1}, ValueError, r"seed` must be an integer in \[0, 4294967295\]"),
        ({"metrics": ["acc"]}, ValueError, "Unknown metric"),
        (
            {"loss": "mean_sqared_error"},
            ValueError,
            "Did you mean 'mean_squared_error'",
        ),
        ({"loss": 3}, TypeError, "loss` must be None"),
        ({"log_every": 0}, ValueError, "log_every"),
        ({"steps_per_execution": 0}, ValueError, "steps_per_execution"),
    ],
)
def test_bad_constructor_arguments(options, error, match):
    with pytest.raises(error, match=match):
        Trainer(linear_model(), **options)


def test_bad_models():
    with pytest.raises(TypeError, match="must be a keras.Model"):
        Trainer("linear_regressor")
    import keras

    unregistered = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="not in the registry"):
        Trainer(unregistered)
    Trainer(unregistered, loss="mse")  # an explicit loss is enough


@pytest.mark.parametrize(
    ("x", "y", "error", "match"),
    [
        (np.zeros(5, np.float32), np.zeros(5), ValueError, "must be 2-D"),
        (np.zeros((5, 3), np.float32), np.zeros(5), ValueError, "input_dim=2"),
        (np.zeros((5, 2), np.float32), np.zeros(4), ValueError, r"shape \(5,\)"),
        (np.zeros((5, 2), np.float32), None, ValueError, "`y` is required"),
        (np.array([[0.0, np.nan]] * 5), np.zeros(5), ValueError, "row 0, column 1"),
        (np.zeros((0, 2), np.float32), np.zeros(0), ValueError, "no rows"),
        ("abc", np.zeros(5), TypeError, "numeric array"),
        (np.zeros((5, 2)), np.array(["a"] * 5), TypeError, "must be numeric"),
    ],
)
def test_bad_fit_data(x, y, error, match):
    trainer = Trainer(linear_model())
    with pytest.raises(error, match=match):
        trainer.fit(x, y)


def test_labels_outside_the_classes_are_refused():
    x = np.zeros((6, 4), np.float32)
    model = nda.build_model("softmax_classifier", input_dim=4, num_classes=3)
    trainer = Trainer(model)
    with pytest.raises(ValueError, match=r"outside 0..2.*Received: y contains \[3\]"):
        trainer.fit(x, np.array([0, 1, 2, 3, 0, 1]))
    with pytest.raises(ValueError, match="integer class indices"):
        trainer.fit(x, np.array([0, 1, 0.5, 1, 0, 1]))
    binary = Trainer(nda.build_model("logistic_neuron", input_dim=4))
    with pytest.raises(ValueError, match="outside 0..1"):
        binary.fit(x, np.array([0, 1, 2, 1, 0, 1]))


def test_bad_fit_arguments():
    x, y = data()
    trainer = Trainer(linear_model())
    with pytest.raises(ValueError, match="verbose"):
        trainer.fit(x, y, verbose=3)
    with pytest.raises(ValueError, match="validation_data` must be a pair"):
        trainer.fit(x, y, validation_data=x)
    with pytest.raises(ValueError, match="x_val"):
        trainer.fit(x, y, validation_data=(x[:, :1], y))
    with pytest.raises(TypeError, match="list of keras.callbacks.Callback"):
        trainer.fit(x, y, callbacks=[print])
    with pytest.raises(ValueError, match="epochs` must be an integer >= 0"):
        trainer.fit(x, y, epochs=-1)


def test_divergence_raises_names_step_and_rate_and_rolls_back():
    x, y = data()
    model = linear_model()
    trainer = Trainer(model, learning_rate=1e3, batch_size=10, seed=0)
    with pytest.raises(
        RuntimeError, match=r"diverged at step \d+ .*learning_rate=1000.*smaller"
    ):
        trainer.fit(x, y, epochs=20)
    assert all(np.all(np.isfinite(w)) for w in model.get_weights())
    assert all(np.all(np.isfinite(v.numpy())) for v in trainer.optimizer.variables)


def test_divergence_with_a_schedule_reports_the_rate_of_that_step():
    x, y = data()
    trainer = Trainer(
        linear_model(), learning_rate=1e3, schedule="robbins_monro", tau=1.0,
        power=1.0, batch_size=10, seed=0,
    )  # fmt: skip
    with pytest.raises(TrainingDivergedError) as error:
        trainer.fit(x, y, epochs=20)
    match = re.search(
        r"at step (\d+) \(epoch (\d+)\).* with learning_rate=(\S+?)\. Use",
        str(error.value),
    )
    step, epoch, rate = int(match.group(1)), int(match.group(2)), float(match.group(3))
    # Steps count from 1: step s is the update at t = s - 1, η_t = η_0 / (1 + t/τ).
    assert rate == pytest.approx(1e3 / (1 + (step - 1) / 1.0), rel=1e-4)
    assert (error.value.step, error.value.epoch) == (step, epoch)
    assert error.value.learning_rate == pytest.approx(rate, rel=1e-5)
    # 50 rows in batches of 10: 5 steps per epoch, epochs also count from 1.
    assert epoch == (step - 1) // 5 + 1


def test_exploding_but_finite_loss_is_divergence():
    """Adam with η = 1e6 makes the loss explode while it stays finite."""
    import nda_models as nda
    from nda_models.training import Trainer

    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype("float32")
    y = rng.integers(0, 3, size=256).astype("int32")
    model = nda.build_model("mlp_classifier", input_dim=8, num_classes=3, seed=0)
    before = [w.copy() for w in model.get_weights()]
    trainer = Trainer(model, optimizer="adam", learning_rate=1e6, seed=0)
    with pytest.raises(RuntimeError, match=r"Training diverged at step \d+.*1e\+06"):
        trainer.fit(x, y, epochs=2)
    for weights in model.get_weights():
        assert np.all(np.isfinite(weights))
    # The roll-back restores the start of the failing graph call (here step 0).
    for old, new in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)


def test_divergence_factor_none_only_stops_on_nan():
    import nda_models as nda
    from nda_models.training import Trainer

    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 8)).astype("float32")
    y = rng.integers(0, 3, size=64).astype("int32")
    model = nda.build_model("mlp_classifier", input_dim=8, num_classes=3, seed=0)
    trainer = Trainer(
        model, optimizer="adam", learning_rate=1e6, seed=0, divergence_factor=None
    )
    history = trainer.fit(x, y, epochs=1)
    assert history.history["loss"][-1] > 1e3


@pytest.mark.parametrize(
    ("factor", "error", "match"),
    [
        (1.0, ValueError, r"`divergence_factor` must be a finite number > 1"),
        ("big", TypeError, r"must be None or a number > 1.*'big'"),
    ],
)
def test_divergence_factor_validation(factor, error, match):
    import nda_models as nda
    from nda_models.training import Trainer

    model = nda.build_model("linear_regressor", input_dim=2)
    with pytest.raises(error, match=match):
        Trainer(model, divergence_factor=factor)


def test_divergence_on_a_raw_regression_target_says_to_scale_the_target():
    """Trainer(model) at its defaults (SGD, η = 0.01) on load_diabetes's
    target (25 to 346) diverges within a few epochs (with these seeds at step
    7; with some initial weights it survives longer); the features are
    already scaled, so the message must name the target."""
    import keras
    from sklearn.datasets import load_diabetes

    import nda_models as nda
    from nda_models.training import Trainer

    x, y = load_diabetes(return_X_y=True)
    keras.utils.set_random_seed(0)
    trainer = Trainer(nda.build_model("mlp_regressor", input_dim=10), seed=0)
    with pytest.raises(
        TrainingDivergedError, match=r"regression target in the hundreds"
    ):
        trainer.fit(x.astype("float32"), y.astype("float32"), epochs=3)
