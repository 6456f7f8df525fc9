"""Multinomial logistic regression (lecture: "Loss functions", c classes)."""

from nda_models.core.lazy_module import lazy_module
from nda_models.zoo.heads import softmax_head
from nda_models.zoo.inputs import feature_input
from nda_models.zoo.registry import register_model

keras = lazy_module("keras")


@register_model(
    task="multiclass",
    output_kind="multiclass_probability",
    loss="negative_log_likelihood",
    metrics=("accuracy",),
    loss_input="log_probabilities",
)
def softmax_classifier(*, input_dim, num_classes, normalization=None):
    """c-class logistic regression: softmax(Θ_kᵀx + b_k), trained on NLL.

    One Dense layer of ``num_classes`` logits, then the lecture's LogSoftmax
    layer; the loss is the negative log-likelihood of the log-probabilities
    (PyTorch's NLLLoss with LogSoftmax), whose gradient with respect to the
    logits is softmax - one-hot. Inference returns the probabilities.
    Weights start at zero (the problem is convex).

    Args:
        input_dim: Number of features d.
        num_classes: Number of classes c >= 2.
        normalization: ``None`` or ``(mean, variance)`` of the training split.

    Returns:
        A ``keras.Model`` named ``"softmax_classifier"``, output shape (n, c).

    Example:
        >>> model = softmax_classifier(input_dim=4, num_classes=3)
    """
    inputs, x = feature_input(input_dim, normalization)
    outputs = softmax_head(x, num_classes, kernel_initializer="zeros")
    return keras.Model(inputs, outputs, name="softmax_classifier")
