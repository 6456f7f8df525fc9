"""Classification heads and the view of a model that its loss reads.

Classifiers output probabilities for inference, but the loss is computed
from an earlier layer in one stable step: logits for the sigmoid and the
perceptron, log-probabilities of a LogSoftmax layer for softmax outputs.
``training_view`` returns the model that outputs what the loss reads.
"""

from nda_models.core.lazy_module import lazy_module
from nda_models.zoo.hparams import NUM_CLASSES
from nda_models.zoo.losses import get_loss
from nda_models.zoo.registry import get_spec

keras = lazy_module("keras")


def softmax_head(x, num_classes, kernel_initializer="glorot_uniform"):
    """Adds Dense logits -> LogSoftmax -> probabilities on top of ``x``.

    The LogSoftmax layer ``"log_probabilities"`` is the lecture's last layer
    for the NLL loss; ``"probabilities"`` = exp(log-probabilities) =
    softmax(z) is what inference returns.
    """
    num_classes = NUM_CLASSES.check("num_classes", num_classes)
    logits = keras.layers.Dense(
        num_classes, kernel_initializer=kernel_initializer, name="logits"
    )(x)
    log_probs = keras.layers.Activation("log_softmax", name="log_probabilities")(logits)
    return keras.layers.Activation("exponential", name="probabilities")(log_probs)


def training_view(model, loss_input=None):
    """Returns the model whose output the loss reads, sharing ``model``'s weights.

    Args:
        model: A zoo model (or any Keras model).
        loss_input: Layer name; ``None`` looks it up in the registry by
            ``model.name`` (and uses ``model`` itself for unregistered models
            or models whose loss reads their output).

    Returns:
        ``model`` or a functional ``keras.Model`` ending at that layer.

    Example:
        >>> view = training_view(nda.build_model("logistic_neuron", input_dim=2))
    """
    if loss_input is None:
        loss_input = _registered_loss_input(model.name)
    if loss_input is None:
        return model
    try:
        layer = model.get_layer(loss_input)
    except ValueError:
        raise ValueError(
            f"Model {model.name!r} has no layer named {loss_input!r} for the loss "
            "to read. Pass `loss=` explicitly or name the layer. Received layers: "
            f"{[layer.name for layer in model.layers]}"
        ) from None
    return keras.Model(model.input, layer.output, name=f"{model.name}_{loss_input}")


def _registered_loss_input(name):
    spec = get_spec(name)
    return None if spec is None else spec.loss_input


def default_loss(model):
    """Returns the registered default loss object of a zoo model.

    Raises:
        ValueError: if ``model.name`` is not a registered model (then pass
            ``loss=`` explicitly).
    """
    spec = get_spec(model.name)
    if spec is None:
        raise ValueError(
            f"Model {model.name!r} is not in the registry, so it has no default "
            "loss. Pass `loss=` (e.g. 'mean_squared_error'). Received: "
            f"model.name={model.name!r}"
        )
    return get_loss(spec.loss)
