"""Activation functions and loss functions, plotted and checked against the formulas.

Lecture 12, slides "Activation functions" (ReLU, sigmoid, softmax, tanh) and
"Loss functions" (MSE, binary cross-entropy, negative log-likelihood with a
LogSoftmax last layer). It evaluates ``keras.activations`` and the
zoo's losses (``nda_models.zoo.get_loss``) beside the NumPy formulas of
the slides, prints the largest absolute difference of each, and plots them.
It also checks the derivatives backpropagation uses, ReLU'(z) = [z > 0],
σ' = σ(1 − σ), tanh' = 1 − tanh² and the softmax Jacobian diag(p) − ppᵀ,
against automatic differentiation (``tf.GradientTape``, float64) and central
finite differences.

Figures: ``activations.png`` and ``losses.png`` (curves = NumPy formulas,
dots = Keras / zoo values on a coarser grid) and
``activation_derivatives.png`` (each function beside its derivative:
formula curves, autodiff dots).
"""

import numpy as np

from nda_models.core.lazy_module import lazy_module
from nda_models.lecture.activation_derivatives import DERIVATIVES, softmax_jacobian
from nda_models.lecture.activation_formulas import ACTIVATIONS
from nda_models.lecture.formula_check import (
    check_activation_derivatives,
    check_activations,
    check_losses,
    keras_derivative,
    keras_softmax_jacobian,
)
from nda_models.lecture.loss_formulas import LOSS_FORMULAS
from nda_models.lecture.script_io import pyplot
from nda_models.zoo import get_loss

keras = lazy_module("keras")

__all__ = [
    "activation_figure",
    "derivative_figure",
    "formula_table",
    "derivative_table",
    "loss_figure",
]


def formula_table():
    """Prints the largest difference between each Keras activation or zoo
    loss and the slide's NumPy formula; returns the rows (kind, name, error)."""
    print("Max abs error, Keras / nda_models vs the NumPy formula of the slide")
    print(f"{'kind':<11}{'name':<26}{'max abs error':>14}")
    rows = []
    for kind, checks in (("activation", check_activations()), ("loss", check_losses())):
        for name, error in checks:
            print(f"{kind:<11}{name:<26}{error:>14.3e}")
            rows.append((kind, name, error))
    return rows


def derivative_table():
    """Prints each derivative formula's largest difference from automatic
    differentiation and from central finite differences; returns the rows."""
    print("\nDerivatives: formula vs autodiff (tf.GradientTape) and finite differences")
    print(f"{'activation':<20}{'vs autodiff':>14}{'vs finite diff.':>17}")
    rows = check_activation_derivatives()
    for name, autodiff, finite in rows:
        print(f"{name:<20}{autodiff:>14.3e}{finite:>17.3e}")
    return rows


def derivative_figure():
    """Each activation beside its derivative (formula lines, autodiff dots),
    and a column of the softmax Jacobian. Returns the Figure (open)."""
    plt = pyplot()
    z = np.linspace(-5, 5, 400)
    dots = np.linspace(-4.75, 4.75, 20)  # avoids ReLU's kink at 0
    fig, axes = plt.subplots(1, 4, figsize=(16, 3.9), layout="constrained")
    formulas = {"relu": "[z > 0]", "sigmoid": "σ(z)(1 − σ(z))", "tanh": "1 − tanh²(z)"}
    for ax, (name, derivative) in zip(axes, DERIVATIVES.items(), strict=False):
        ax.plot(z, ACTIVATIONS[name](z), color="grey", lw=1, label=f"{name}(z)")
        ax.plot(z, derivative(z), color="C0", label=f"{name}'(z) = {formulas[name]}")
        ax.plot(dots, keras_derivative(name, dots), "o", ms=4, color="C1",
                label="autodiff (GradientTape)")  # fmt: skip
        ax.set_title(f"{name} and its derivative")
        ax.set_xlabel("pre-activation z (unitless)")
        ax.axhline(0, color="grey", lw=0.5)
        ax.legend(fontsize=7)
    axes[0].set_ylabel("value (unitless)")
    # Softmax of (z, 0, 1): column ∂p_k/∂z of the Jacobian diag(p) − ppᵀ.
    jacobians = np.array([softmax_jacobian([v, 0.0, 1.0])[:, 0] for v in z])
    autodiff = np.array([keras_softmax_jacobian([v, 0.0, 1.0])[:, 0] for v in dots])
    labels = ("∂p_1/∂z_1 = p_1(1 − p_1)", "∂p_2/∂z_1 = −p_2·p_1",
              "∂p_3/∂z_1 = −p_3·p_1")  # fmt: skip
    for k, label in enumerate(labels):
        axes[3].plot(z, jacobians[:, k], color=f"C{k}", label=label)
        axes[3].plot(dots, autodiff[:, k], "o", ms=3, color=f"C{k}")
    axes[3].plot([], [], "ko", ms=3, label="autodiff (tape.jacobian)")
    axes[3].set_title("softmax of (z, 0, 1): Jacobian column")
    axes[3].set_xlabel("z, the first logit (unitless)")
    axes[3].axhline(0, color="grey", lw=0.5)
    axes[3].legend(fontsize=7)
    fig.suptitle("The derivatives backpropagation uses match their formulas: "
                 "formulas (lines) = automatic differentiation (dots)")  # fmt: skip
    return fig


def _keras_values(name, z):
    return keras.ops.convert_to_numpy(getattr(keras.activations, name)(z))


def activation_figure():
    """ReLU, sigmoid, tanh and softmax: NumPy formulas (lines) and
    ``keras.activations`` (dots). Returns the Figure (open)."""
    plt = pyplot()
    z = np.linspace(-5, 5, 401)
    dots = np.linspace(-5, 5, 21).astype(np.float32)
    fig, axes = plt.subplots(1, 4, figsize=(15, 3.8), layout="constrained")
    ranges = {
        "relu": "positive values only",
        "sigmoid": "[0, 1]: binary class",
        "tanh": "[−1, 1]",
    }
    for ax, name in zip(axes, ("relu", "sigmoid", "tanh"), strict=False):
        ax.plot(z, ACTIVATIONS[name](z), label="formula (NumPy)")
        ax.plot(dots, _keras_values(name, dots), "o", ms=4, label="keras.activations")
        ax.set_title(f"{name}: {ranges[name]}")
        ax.set_xlabel("pre-activation z (unitless)")
        ax.axhline(0, color="grey", lw=0.5)
    axes[0].legend(fontsize=8)
    axes[0].set_ylabel("activation a(z) (unitless)")
    # Softmax of the vector (z, 0, 1): three probabilities in [0, 1] summing to 1.
    vectors = np.column_stack([z, np.zeros_like(z), np.ones_like(z)])
    probs = ACTIVATIONS["softmax"](vectors)
    dot_vectors = np.column_stack([dots, np.zeros_like(dots), np.ones_like(dots)])
    keras_probs = _keras_values("softmax", dot_vectors)
    for k, label in enumerate(("z", "0", "1")):
        axes[3].plot(z, probs[:, k], label=f"softmax_k, z_k = {label}")
        axes[3].plot(dots, keras_probs[:, k], "o", ms=3, color=f"C{k}")
    axes[3].plot(z, probs.sum(axis=1), "k:", label="sum = 1")
    axes[3].set_title("softmax of (z, 0, 1): multi-class")
    axes[3].set_xlabel("z, the first logit (unitless)")
    axes[3].set_ylabel("probability")
    axes[3].legend(fontsize=7)
    fig.suptitle(
        "Activation functions: Keras (dots) computes the lecture's formulas (lines)"
    )
    return fig


def loss_figure():
    """MSE, BCE and NLL with LogSoftmax: formulas (lines) and the zoo's
    losses (dots). Returns the Figure (open)."""
    plt = pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(14, 4), layout="constrained")
    r = np.linspace(-3, 3, 301)
    dots = np.linspace(-3, 3, 13).astype(np.float32)
    axes[0].plot(r, LOSS_FORMULAS["mean_squared_error"](0.0, r), label="(y − ŷ)²")
    zoo = get_loss("mean_squared_error").call(np.zeros((13, 1)), dots[:, None])
    axes[0].plot(dots, np.asarray(zoo), "o", ms=4, label="zoo loss")
    axes[0].set(title="MSE (regression)", xlabel="prediction ŷ (y = 0, target units)",
                ylabel="loss of one example (target units²)")  # fmt: skip
    z = np.linspace(-6, 6, 301)
    zdots = np.linspace(-6, 6, 13).astype(np.float32)
    for y in (1.0, 0.0):
        axes[1].plot(
            z, LOSS_FORMULAS["binary_crossentropy"](y, z), label=f"y = {y:.0f}"
        )
        labels = np.full((13, 1), y, dtype=np.float32)
        zoo = get_loss("binary_crossentropy").call(labels, zdots[:, None])
        color = "C0" if y else "C1"
        axes[1].plot(zdots, np.asarray(zoo), "o", ms=4, color=color, label="zoo loss")
    axes[1].set(title="BCE (2 classes)", xlabel="logit z, p = σ(z) (unitless)",
                ylabel="loss of one example (nats)")  # fmt: skip
    # NLL of class 0 of 3, logits (z, 0, 0): −log softmax_0 = log(1 + 2e^{−z}).
    logits = np.column_stack([z, np.zeros_like(z), np.zeros_like(z)])
    axes[2].plot(z, LOSS_FORMULAS["negative_log_likelihood"](np.zeros(301), logits))
    dot_logits = np.column_stack([zdots, np.zeros(13), np.zeros(13)]).astype(np.float32)
    log_probs = dot_logits - np.log(np.exp(dot_logits).sum(axis=1, keepdims=True))
    zoo = get_loss("negative_log_likelihood").call(np.zeros(13, np.int32), log_probs)
    axes[2].plot(zdots, np.asarray(zoo), "o", ms=4)
    axes[2].set(title="NLL with LogSoftmax (c = 3)",
                xlabel="logit of the true class (unitless)",
                ylabel="loss of one example (nats)")  # fmt: skip
    axes[1].legend(fontsize=8)
    for ax in (axes[0], axes[2]):
        ax.legend(["formula (NumPy)", "zoo loss (Keras)"], fontsize=8)
    fig.suptitle("The zoo's losses (dots) equal the lecture's formulas (curves)")
    return fig
