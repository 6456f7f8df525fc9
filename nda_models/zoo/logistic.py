"""The simple neuron / logistic regression (lecture: "The Simple Neuron")."""

from nda_models.core.lazy_module import lazy_module
from nda_models.zoo.inputs import feature_input
from nda_models.zoo.registry import register_model

keras = lazy_module("keras")


@register_model(
    task="binary",
    output_kind="binary_probability",
    loss="binary_crossentropy",
    metrics=("accuracy",),
    loss_input="logits",
)
def logistic_neuron(*, input_dim, normalization=None):
    """Logistic regression p(x) = σ(Θᵀx + b) trained on binary cross-entropy.

    The lecture's simple artificial neuron with a sigmoid activation. The
    loss BCE = -[y log p + (1 - y) log(1 - p)] is computed from the logit
    z = Θᵀx + b (layer ``"logits"``) in one stable step; the model's output
    is the probability p of class 1.

    Args:
        input_dim: Number of features d.
        normalization: ``None`` or ``(mean, variance)`` of the training split.

    Returns:
        A ``keras.Model`` named ``"logistic_neuron"``, output shape (n, 1).

    Example:
        >>> model = logistic_neuron(input_dim=2)
    """
    inputs, x = feature_input(input_dim, normalization)
    logits = keras.layers.Dense(
        1, kernel_initializer="zeros", bias_initializer="zeros", name="logits"
    )(x)
    outputs = keras.layers.Activation("sigmoid", name="probabilities")(logits)
    return keras.Model(inputs, outputs, name="logistic_neuron")
