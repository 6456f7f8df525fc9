"""Multi-layer perceptrons (lecture: "Deep Neural Network", hidden layers)."""

from nda_models.core.lazy_module import lazy_module
from nda_models.zoo.activations import get_activation
from nda_models.zoo.heads import softmax_head
from nda_models.zoo.hparams import FRACTION, NON_NEGATIVE, check_units
from nda_models.zoo.inputs import feature_input
from nda_models.zoo.registry import register_model

keras = lazy_module("keras")


def hidden_layers(x, hidden_units, activation, dropout, l2, seed):
    """Stacks Dense(units, activation) [+ Dropout] for each hidden layer.

    Args:
        x: Input tensor.
        hidden_units: Sizes of the hidden layers, e.g. (64, 32).
        activation: ``"relu"``, ``"tanh"`` or ``"sigmoid"``.
        dropout: Dropout rate after each hidden layer (0 disables it).
        l2: L2 penalty on every hidden kernel (0 disables it); it enters the
            training loss through ``model.losses``.
        seed: Seed of the weight initialisers and dropout masks, or ``None``.
    """
    hidden_units = check_units("hidden_units", hidden_units)
    activation = get_activation(activation)
    dropout = FRACTION.check("dropout", dropout)
    l2 = NON_NEGATIVE.check("l2", l2)
    for index, units in enumerate(hidden_units, start=1):
        x = keras.layers.Dense(
            units,
            activation=activation,
            kernel_initializer=keras.initializers.GlorotUniform(
                seed=_offset(seed, index)
            ),
            kernel_regularizer=keras.regularizers.L2(l2) if l2 else None,
            name=f"hidden_{index}",
        )(x)
        if dropout:
            x = keras.layers.Dropout(
                dropout, seed=_offset(seed, 100 + index), name=f"dropout_{index}"
            )(x)
    return x


def _offset(seed, k):
    return None if seed is None else int(seed) + k


@register_model(
    task="regression",
    output_kind="regression",
    loss="mean_squared_error",
    metrics=("mean_absolute_error",),
)
def mlp_regressor(
    *,
    input_dim,
    hidden_units=(64, 64),
    activation="relu",
    dropout=0.0,
    l2=0.0,
    seed=None,
    normalization=None,
):
    """Multi-layer perceptron for regression: hidden layers, one linear output.

    Args:
        input_dim: Number of features d.
        hidden_units: Sizes of the hidden layers.
        activation: Hidden activation: ``"relu"``, ``"tanh"`` or ``"sigmoid"``.
        dropout: Dropout rate after each hidden layer.
        l2: L2 penalty on hidden kernels.
        seed: Seed of initialisers and dropout, or ``None``.
        normalization: ``None`` or ``(mean, variance)`` of the training split.

    Returns:
        A ``keras.Model`` named ``"mlp_regressor"``, output shape (n, 1).

    Example:
        >>> model = mlp_regressor(input_dim=10, hidden_units=(32,))
    """
    inputs, x = feature_input(input_dim, normalization)
    x = hidden_layers(x, hidden_units, activation, dropout, l2, seed)
    init = keras.initializers.GlorotUniform(seed=_offset(seed, 0))
    outputs = keras.layers.Dense(1, kernel_initializer=init, name="prediction")(x)
    return keras.Model(inputs, outputs, name="mlp_regressor")


@register_model(
    task="multiclass",
    output_kind="multiclass_probability",
    loss="negative_log_likelihood",
    metrics=("accuracy",),
    loss_input="log_probabilities",
)
def mlp_classifier(
    *,
    input_dim,
    num_classes,
    hidden_units=(64, 64),
    activation="relu",
    dropout=0.0,
    l2=0.0,
    seed=None,
    normalization=None,
):
    """Multi-layer perceptron classifier: hidden layers, LogSoftmax, NLL loss.

    Args:
        input_dim: Number of features d.
        num_classes: Number of classes c >= 2.
        hidden_units: Sizes of the hidden layers.
        activation: Hidden activation: ``"relu"``, ``"tanh"`` or ``"sigmoid"``.
        dropout: Dropout rate after each hidden layer.
        l2: L2 penalty on hidden kernels.
        seed: Seed of initialisers and dropout, or ``None``.
        normalization: ``None`` or ``(mean, variance)`` of the training split.

    Returns:
        A ``keras.Model`` named ``"mlp_classifier"``, output shape (n, c),
        the class probabilities.

    Example:
        >>> model = mlp_classifier(input_dim=64, num_classes=10)
    """
    inputs, x = feature_input(input_dim, normalization)
    x = hidden_layers(x, hidden_units, activation, dropout, l2, seed)
    init = keras.initializers.GlorotUniform(seed=_offset(seed, 0))
    outputs = softmax_head(x, num_classes, kernel_initializer=init)
    return keras.Model(inputs, outputs, name="mlp_classifier")
