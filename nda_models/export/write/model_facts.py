"""What a bundle records about a Keras model: its output kind, sizes, normalisation.

The *output kind* tells the loader how to turn the model's output into
predictions:

- ``"regression"``: real values, shape (n,) or (n, k);
- ``"binary_probability"``: (n, 1) probability of class 1 (logistic neuron);
- ``"binary_decision"``: (n, 1) hard decision in {0, 1} (the perceptron);
- ``"multiclass_probability"``: (n, c) class probabilities (softmax, MLP).

Example:
    >>> output_kind(nda.build_model("perceptron", input_dim=2))
    'binary_decision'
"""

import numpy as np

OUTPUT_KINDS = (
    "regression",
    "binary_probability",
    "binary_decision",
    "multiclass_probability",
)


def registered_task(model):
    """The registry task of ``model.name``, or ``None`` for unregistered models."""
    from nda_models.zoo.registry import get_spec

    spec = get_spec(model.name)
    return None if spec is None else spec.task


def output_kind(model, task=None):
    """Classifies the model's output, see the module docstring.

    Args:
        model: A single-input, single-output ``keras.Model``.
        task: ``"regression"``, ``"binary"``, ``"multiclass"`` or ``None``
            (then the registry's task of ``model.name``, else regression).

    Returns:
        One of ``OUTPUT_KINDS``.
    """
    task = task or registered_task(model) or "regression"
    if task == "regression":
        return "regression"
    width = output_width(model)
    if width >= 2:
        return "multiclass_probability"
    last = model.layers[-1]
    if type(last).__name__ == "Step" or last.name == "decision":
        return "binary_decision"
    return "binary_probability"


def input_width(model):
    """Number of input features, from the model's single 2-D input."""
    shape = tuple(model.inputs[0].shape) if len(model.inputs) == 1 else None
    if shape is None or len(shape) != 2 or shape[1] is None:
        raise ValueError(
            "Only models with one input of shape (batch, features) can be saved "
            "as a bundle. Build the model with keras.Input(shape=(input_dim,)). "
            f"Received: input shapes {[tuple(t.shape) for t in model.inputs]}"
        )
    return int(shape[1])


def output_width(model):
    """Size of the last axis of the model's single 2-D output."""
    shape = tuple(model.outputs[0].shape) if len(model.outputs) == 1 else None
    if shape is None or len(shape) != 2 or shape[1] is None:
        raise ValueError(
            "Only models with one output of shape (batch, k) can be saved as a "
            "bundle. Received: output shapes "
            f"{[tuple(t.shape) for t in model.outputs]}"
        )
    return int(shape[1])


def normalization_stats(model):
    """Mean and variance of the model's ``Normalization`` layer, or ``None``.

    Returns:
        ``{"layer": name, "mean": [...], "variance": [...]}`` (the statistics
        of the training split, applied inside the model) or ``None``.
    """
    for layer in model.layers:
        if type(layer).__name__ == "Normalization" and layer.built:
            mean = np.asarray(layer.mean, dtype=np.float64).reshape(-1)
            variance = np.asarray(layer.variance, dtype=np.float64).reshape(-1)
            return {
                "layer": layer.name,
                "mean": mean.tolist(),
                "variance": variance.tolist(),
            }
    return None


def inferred_hparams(model):
    """Hyper-parameters readable from the built model (zoo layer names).

    Returns:
        A dict with ``input_dim``, and where the layers show them
        ``num_classes``, ``hidden_units``, ``activation`` and ``dropout``.
    """
    hparams = {"input_dim": input_width(model)}
    if output_kind(model) == "multiclass_probability":
        hparams["num_classes"] = output_width(model)
    hidden = [layer for layer in model.layers if layer.name.startswith("hidden_")]
    if hidden:
        hparams["hidden_units"] = [int(layer.units) for layer in hidden]
        hparams["activation"] = hidden[0].get_config().get("activation")
        drops = [layer for layer in model.layers if layer.name.startswith("dropout_")]
        hparams["dropout"] = float(drops[0].rate) if drops else 0.0
    return hparams


def check_finite_weights(model):
    """Refuses models whose weights hold NaN or infinity.

    Raises:
        ValueError: naming the first non-finite weight.
    """
    for weight in model.weights:
        values = np.asarray(weight)
        if np.issubdtype(values.dtype, np.floating) and not np.all(np.isfinite(values)):
            bad = "NaN" if np.any(np.isnan(values)) else "infinity"
            raise ValueError(
                f"refusing to save: weight {weight.path!r} contains {bad}. The "
                "training diverged; lower the learning rate, normalise the "
                "inputs or restore a checkpoint. Nothing was written. Received: "
                f"{int(np.sum(~np.isfinite(values)))} non-finite values"
            )
