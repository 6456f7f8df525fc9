"""Linear regression as a one-layer network (lecture: "Linear regression")."""

from nda_models.models.inputs import feature_input
from nda_models.registry import register_model


@register_model(
    task="regression", loss="mean_squared_error", metrics=("mean_absolute_error",)
)
def linear_regressor(*, input_dim, normalization=None):
    """Linear regression ŷ = Θᵀx + b trained on the mean squared error.

    The lecture's first model: an affine function of the inputs, one Dense
    unit with no activation. Weights start at zero, as in the slide
    "Regression Example", so gradient descent paths are reproducible.

    Args:
        input_dim: Number of features d.
        normalization: ``None`` or ``(mean, variance)`` of the training split,
            applied inside the model so it takes raw features.

    Returns:
        A ``keras.Model`` named ``"linear_regressor"``, output shape (n, 1).

    Example:
        >>> model = linear_regressor(input_dim=2)
    """
    import keras

    inputs, x = feature_input(input_dim, normalization)
    outputs = keras.layers.Dense(
        1, kernel_initializer="zeros", bias_initializer="zeros", name="prediction"
    )(x)
    return keras.Model(inputs, outputs, name="linear_regressor")
