"""Checks Keras's activations and the zoo's losses against the slide formulas.

Lecture: "Activation functions" and "Loss functions". Each implementation
used by the models is evaluated on the same inputs as the NumPy formula of
``activation_formulas`` / ``loss_formulas``, and the largest absolute
difference is reported (float32 round-off, ~1e-7 relative, is expected).
"""

import numpy as np

from nda_models.core.lazy_module import lazy_module
from nda_models.lecture import (
    activation_derivatives,
    activation_formulas,
    loss_formulas,
)
from nda_models.zoo import get_loss

keras = lazy_module("keras")
tf = lazy_module("tensorflow")


def check_activations(z=None, *, seed=0):
    """Returns ``[(name, max_abs_error)]`` of ``keras.activations`` vs NumPy.

    Args:
        z: Inputs for the elementwise activations; default 401 points in
            [−10, 10]. Softmax is checked on random (64, 5) logits of scale 5.
        seed: Seed of the softmax logits.

    Example:
        >>> errors = dict(check_activations())
        >>> list(errors)
        ['relu', 'sigmoid', 'softmax', 'tanh']
        >>> max(errors.values()) < 1e-6  # float32 round-off on values up to 10
        True
    """
    z = np.linspace(-10.0, 10.0, 401) if z is None else np.asarray(z, dtype=np.float64)
    logits = 5.0 * np.random.default_rng(seed).standard_normal((64, 5))
    rows = []
    for name, formula in activation_formulas.ACTIVATIONS.items():
        inputs = logits if name == "softmax" else z
        ours = keras.ops.convert_to_numpy(
            getattr(keras.activations, name)(inputs.astype(np.float32))
        )
        rows.append((name, _max_error(ours, formula(inputs))))
    return rows


def check_losses(*, n=64, seed=0):
    """Returns ``[(name, max_abs_error)]`` of the zoo's losses vs NumPy, per example.

    The zoo losses (``nda_models.zoo.get_loss``) are evaluated per example
    (``loss.call``, before the batch mean): MSE on real targets, BCE on
    logits, NLL on the log-probabilities of a LogSoftmax layer.

    Example:
        >>> errors = dict(check_losses())
        >>> list(errors)
        ['mean_squared_error', 'binary_crossentropy', 'negative_log_likelihood']
        >>> max(errors.values()) < 1e-4  # float32 round-off on losses up to ~100
        True
    """
    rng = np.random.default_rng(seed)
    logits = (3.0 * rng.standard_normal((n, 4))).astype(np.float32)
    y_real = rng.standard_normal((n, 1)).astype(np.float32)
    y_bin = rng.integers(0, 2, size=(n, 1)).astype(np.float32)
    y_cls = rng.integers(0, 4, size=n).astype(np.int32)
    log_probs = keras.activations.log_softmax(logits)
    cases = {
        "mean_squared_error": (y_real, logits[:, :1], logits[:, 0]),
        "binary_crossentropy": (y_bin, logits[:, :1], logits[:, 0]),
        "negative_log_likelihood": (y_cls, log_probs, logits),
    }
    rows = []
    for name, (y, model_output, formula_input) in cases.items():
        ours = keras.ops.convert_to_numpy(get_loss(name).call(y, model_output))
        reference = loss_formulas.LOSS_FORMULAS[name](y.reshape(-1), formula_input)
        rows.append((name, _max_error(ours.reshape(-1), reference.reshape(-1))))
    return rows


def _max_error(ours, reference):
    return float(np.max(np.abs(np.asarray(ours, dtype=np.float64) - reference)))


def check_activation_derivatives(z=None, *, seed=0, eps=1e-6):
    """Checks each derivative formula against autodiff and finite differences.

    Autodiff: ``tf.GradientTape`` on ``keras.activations`` in float64 (the
    elementwise derivative, and the full softmax Jacobian with
    ``tape.jacobian``). Finite differences: central, (f(z + ε) − f(z − ε))/2ε,
    on the NumPy formulas of the activations.

    Args:
        z: Points for the elementwise derivatives; default 400 points in
            [−6, 6] that avoid ReLU's kink at 0. Softmax: 8 random vectors
            of 5 logits of scale 3.
        seed: Seed of the softmax logits.
        eps: ε of the finite differences.

    Returns:
        ``[(name, max_abs_error_vs_autodiff, max_abs_error_vs_finite_differences)]``.

    Example:
        >>> rows = check_activation_derivatives()
        >>> [name for name, _, _ in rows]
        ['relu', 'sigmoid', 'tanh', 'softmax (Jacobian)']
        >>> max(autodiff for _, autodiff, _ in rows) < 1e-12  # float64 round-off
        True
        >>> max(finite for _, _, finite in rows) < 1e-8  # central differences' O(ε²)
        True
    """
    if z is None:
        z = np.linspace(-6.0, 6.0, 400)  # even count: 0 is not a grid point
    z = np.asarray(z, dtype=np.float64)
    rows = []
    for name, derivative in activation_derivatives.DERIVATIVES.items():
        autodiff = keras_derivative(name, z)
        formula = activation_formulas.ACTIVATIONS[name]
        finite = (formula(z + eps) - formula(z - eps)) / (2 * eps)
        exact = derivative(z)
        rows.append((name, _max_error(autodiff, exact), _max_error(finite, exact)))
    logits = 3.0 * np.random.default_rng(seed).standard_normal((8, 5))
    rows.append(("softmax (Jacobian)", *_softmax_jacobian_errors(logits, eps)))
    return rows


def _softmax_jacobian_errors(logits, eps):
    """Max errors of autodiff's and finite differences' softmax Jacobians."""
    soft = activation_formulas.softmax
    errors_auto, errors_fd = [], []
    for vector in logits:
        jacobian = keras_softmax_jacobian(vector)
        columns = [
            (soft(vector + step) - soft(vector - step)) / (2 * eps)
            for step in np.eye(len(vector)) * eps
        ]
        finite = np.stack(columns, axis=1)  # column j: ∂p/∂z_j
        exact = activation_derivatives.softmax_jacobian(vector)
        errors_auto.append(_max_error(jacobian, exact))
        errors_fd.append(_max_error(finite, exact))
    return max(errors_auto), max(errors_fd)


def keras_derivative(name, z):
    """d/dz of ``keras.activations.<name>`` at each z, by ``tf.GradientTape``.

    Example:
        >>> keras_derivative("sigmoid", [0.0])
        array([0.25])
    """
    variable = tf.Variable(np.asarray(z, dtype=np.float64))
    with tf.GradientTape() as tape:
        out = getattr(keras.activations, name)(variable)
    return tape.gradient(out, variable).numpy()


def keras_softmax_jacobian(z):
    """∂p_i/∂z_j of ``keras.activations.softmax`` at one vector z, by autodiff.

    Example:
        >>> keras_softmax_jacobian([0.0, 0.0])  # diag(p) − ppᵀ with p = (½, ½)
        array([[ 0.25, -0.25],
               [-0.25,  0.25]])
    """
    variable = tf.Variable(np.asarray(z, dtype=np.float64))
    with tf.GradientTape() as tape:
        out = keras.activations.softmax(variable[None, :])[0]
    return tape.jacobian(out, variable).numpy()
