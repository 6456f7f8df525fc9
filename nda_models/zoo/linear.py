"""Linear regression as a one-layer network (lecture: "Linear regression")."""

from nda_models.core.lazy_module import lazy_module
from nda_models.zoo.hparams import BOOLEAN
from nda_models.zoo.inputs import feature_input
from nda_models.zoo.registry import register_model

keras = lazy_module("keras")


@register_model(
    task="regression",
    output_kind="regression",
    loss="mean_squared_error",
    metrics=("mean_absolute_error",),
)
def linear_regressor(*, input_dim, normalization=None, use_bias=True):
    """Linear regression ŷ = Θᵀx + b trained on the mean squared error.

    The lecture's first model: an affine function of the inputs, one Dense
    unit with no activation. Weights start at zero, so gradient descent paths
    are reproducible. The default loss is the batch mean of (y − ŷ)² (Keras's
    MSE, the slide "Loss functions"); ``Trainer(model,
    loss="half_squared_error")`` trains on the slide "Least Squares"
    convention ½(y − ŷ)², whose gradients are half as large (use 2η for the
    same steps).

    Args:
        input_dim: Number of features d.
        normalization: ``None`` or ``(mean, variance)`` of the training split,
            applied inside the model so it takes raw features.
        use_bias: ``False`` drops b: ŷ = Θᵀx, the two-parameter model of the
            slide "Regression Example" (θ = (θ1, θ2), no intercept).

    Returns:
        A ``keras.Model`` named ``"linear_regressor"``, output shape (n, 1).

    Example:
        >>> model = linear_regressor(input_dim=2)
    """
    use_bias = BOOLEAN.check("use_bias", use_bias)
    inputs, x = feature_input(input_dim, normalization)
    outputs = keras.layers.Dense(
        1,
        use_bias=use_bias,
        kernel_initializer="zeros",
        bias_initializer="zeros",
        name="prediction",
    )(x)
    return keras.Model(inputs, outputs, name="linear_regressor")
