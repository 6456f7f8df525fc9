"""One turn of the deep-learning iteration cycle, by hand.

Lecture: "Deep Learning Iteration Cycle" and "Back-propagation": forward pass,
loss, backward pass (the messages of ``backprop_trace``), then the update
θ ← θ − η·∇_θ J of (mini-batch) SGD for every parameter.
"""

import numpy as np


def sgd_update(model, trace, learning_rate):
    """Returns the parameters after one plain SGD step θ − η·∇θ, without applying it.

    Args:
        model: The model the trace was computed on.
        trace: A ``BackpropTrace`` of one batch (its parameter gradients).
        learning_rate: η > 0.

    Returns:
        ``{variable path: new value}`` (NumPy), one entry per trainable
        variable of ``model``.

    Raises:
        ValueError: if a trainable variable of ``model`` has no gradient in
            ``trace`` (the trace comes from another model).

    Example:
        >>> from nda_models.training.backprop import backprop_trace
        >>> x = np.array([[1.0, 2.0], [3.0, 4.0]], "float32")
        >>> y = np.array([1.0, 0.0], "float32")
        >>> model = nda.build_model("linear_regressor", input_dim=2)  # Θ = 0, b = 0
        >>> new = sgd_update(model, backprop_trace(model, x, y), 0.1)
        >>> {path: np.round(value.ravel(), 6).tolist() for path, value in new.items()}
        {'prediction/kernel': [0.1, 0.2], 'prediction/bias': [0.1]}
        >>> # MSE: ∇_Θ J = −(2/M) Σ_i (y_i − ŷ_i)·x_i with ŷ = 0, in NumPy:
        >>> np.allclose(new["prediction/kernel"].ravel(), 0.1 * 2 * y @ x / len(x))
        True
        >>> model.get_weights()[0].ravel().tolist()  # not applied
        [0.0, 0.0]
    """
    gradients = {
        f"{layer.name}/{name}": grad
        for layer in trace.layers
        for name, grad in layer.parameter_gradients.items()
    }
    updated = {}
    for variable in model.trainable_variables:
        if variable.path not in gradients:
            raise ValueError(
                f"The trace has no gradient for {variable.path!r}; compute it with "
                f"backprop_trace on this model. Received gradients for: "
                f"{sorted(gradients)}"
            )
        value = np.asarray(variable.numpy(), dtype=np.float64)
        updated[variable.path] = value - learning_rate * gradients[variable.path]
    return updated
