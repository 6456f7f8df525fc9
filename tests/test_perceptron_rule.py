"""The perceptron trained by the Trainer at M = 1 is Rosenblatt's rule, step by step.

Oracle: the slide's rule written in NumPy, Θ ← Θ + η(y − ŷ)x, b ← b + η(y − ŷ)
with ŷ = step(Θᵀx + b) = [s > 0], on the iris petals in cm (slide "Perceptron
Example"), in the same example order as the Trainer reads them.
"""

import numpy as np
import pytest

import nda_models as nda


def numpy_rosenblatt(x, y, eta, epochs):
    """Returns (Θ, b) after every single-example update, as rows (w1, w2, b)."""
    w, b = np.zeros(x.shape[1], np.float32), np.float32(0.0)
    rows = []
    for _ in range(epochs):
        for xi, yi in zip(x, y, strict=True):
            y_hat = np.float32(xi @ w + b > 0)
            w = w + np.float32(eta) * (yi - y_hat) * xi
            b = b + np.float32(eta) * (yi - y_hat)
            rows.append([*w, b])
    return np.array(rows, np.float64)


@pytest.mark.parametrize("eta", [1.0, 0.1])
def test_trainer_at_batch_size_1_is_rosenblatts_rule_on_the_iris_petals(eta):
    import tensorflow as tf

    from nda_models.lecture import ParameterTrajectory

    ds = nda.load_dataset("iris_setosa", seed=0)
    x, y = ds.x_train[:60], ds.y_train[:60]  # raw petal length and width, cm
    epochs = 3
    expected = numpy_rosenblatt(x, y, eta, epochs)
    assert 0 < len(np.unique(expected, axis=0)) < len(expected)  # some steps skip

    model = nda.build_model("perceptron", input_dim=2)
    trainer = nda.Trainer(model, learning_rate=eta, batch_size=1)
    data = tf.data.Dataset.from_tensor_slices((x, y)).batch(1)  # this exact order
    trajectory = ParameterTrajectory(layer="logits")
    trainer.fit(data, epochs=epochs, callbacks=[trajectory])
    np.testing.assert_array_equal(trajectory.iterations[1:], np.arange(1, 181))
    np.testing.assert_allclose(trajectory.path[1:], expected, atol=1e-5)


def test_a_correct_point_on_the_boundary_does_not_move_the_trainer():
    """The issue's case, through Trainer.fit: x = (4.7, 1.4), y = 0 at Θ = 0."""
    model = nda.build_model("perceptron", input_dim=2)
    trainer = nda.Trainer(model, learning_rate=1.0, batch_size=1, seed=0)
    trainer.fit(np.array([[4.7, 1.4]], "float32"), np.array([0]), epochs=3)
    kernel, bias = model.get_layer("logits").get_weights()
    np.testing.assert_array_equal(kernel.ravel(), [0.0, 0.0])
    np.testing.assert_array_equal(bias, [0.0])
