"""Rosenblatt's perceptron, 1958 (lecture: "The Perceptron")."""

from nda_models.core.lazy_module import lazy_module
from nda_models.core.name_table import Lazy
from nda_models.zoo.inputs import feature_input
from nda_models.zoo.registry import register_model

keras = lazy_module("keras")
# The zoo's Keras layer, imported (and registered) at the first build.
Step = Lazy("nda_models.zoo.custom_objects:Step")


@register_model(
    task="binary",
    output_kind="binary_decision",
    loss="perceptron_criterion",
    metrics=("accuracy",),
    loss_input="logits",
)
def perceptron(*, input_dim, normalization=None):
    """Rosenblatt's perceptron: a linear binary classifier ŷ = step(Θᵀx + b).

    Trained on the perceptron criterion (ŷ - y)·s with ŷ = step(s) held
    constant, computed from the score s = Θᵀx + b (layer ``"logits"``): SGD
    with batch size 1 and step η then performs exactly Rosenblatt's rule
    Θ <- Θ + η(y - ŷ)x, b <- b + η(y - ŷ), so a correctly classified point
    (a point on the boundary s = 0 has ŷ = 0) changes nothing. With M > 1 the
    step is the batch mean of these updates. Weights start at zero, as
    Rosenblatt's.
    The output is the hard decision in {0, 1}; it has no probabilities.

    Args:
        input_dim: Number of features d.
        normalization: ``None`` or ``(mean, variance)`` of the training split.

    Returns:
        A ``keras.Model`` named ``"perceptron"``, output shape (n, 1).

    Example:
        >>> model = perceptron(input_dim=2)
    """
    inputs, x = feature_input(input_dim, normalization)
    scores = keras.layers.Dense(
        1, kernel_initializer="zeros", bias_initializer="zeros", name="logits"
    )(x)
    outputs = Step(name="decision")(scores)
    return keras.Model(inputs, outputs, name="perceptron")
