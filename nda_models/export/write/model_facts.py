"""What a bundle records about a Keras model: its output kind, sizes, normalisation.

The *output kind* (``nda_models.zoo.output_kinds``) tells the loader how to
turn the model's output into predictions. It is declared, never read from
layer names: a zoo model's kind is its registry declaration
(``nda.describe_model(name).output_kind``); a model outside the registry
gets the one kind its task allows (regression, multiclass), and a binary
model outside the registry must say which it is, ``output_kind=
"binary_probability"`` (a sigmoid) or ``"binary_decision"`` (0/1 decisions),
to ``save_model``. Its hyper-parameters are those ``build_model`` received,
never guessed from layer names.

Example:
    >>> output_kind(nda.build_model("perceptron", input_dim=2))
    'binary_decision'
"""

import numpy as np

from nda_models.export.format.json_values import to_json
from nda_models.zoo.output_kinds import OUTPUT_KINDS, output_kinds_of
from nda_models.zoo.registry import get_spec

# What ``build_model`` records on the model it builds (see ``built_hparams``).
BUILD_HPARAMS = "_nda_build_hparams"


def registered_spec(model):
    """The registry's ``ModelSpec`` of ``model.name``, or ``None``."""
    return get_spec(model.name)


def registered_task(model):
    """The registry task of ``model.name``, or ``None`` for unregistered models."""
    spec = registered_spec(model)
    return None if spec is None else spec.task


def output_kind(model, task=None, declared=None):
    """The model's output kind: declared by the registry or by the caller.

    Args:
        model: A single-input, single-output ``keras.Model``.
        task: ``"regression"``, ``"binary"``, ``"multiclass"`` or ``None``
            (then the registry's task of ``model.name``, else regression).
        declared: The output kind the caller states (``save_model``'s
            ``output_kind=``, or a bundle's metadata), or ``None``.

    Returns:
        One of ``OUTPUT_KINDS``.

    Raises:
        ValueError: if ``declared`` contradicts the registry or the task, a
            binary model outside the registry declares no kind, or the
            output's width does not fit the kind.
    """
    spec = registered_spec(model)
    task = task or (spec.task if spec else None) or "regression"
    kinds = output_kinds_of(task)
    if spec is not None:
        kind = spec.output_kind
        if declared is not None and declared != kind:
            raise ValueError(
                f"The registry declares the output kind {kind!r} for the model "
                f"{model.name!r}, not {declared!r}. Received: output_kind="
                f"{declared!r}"
            )
    elif declared is not None:
        kind = OUTPUT_KINDS.check("output_kind", declared)
        if kind not in kinds:
            raise ValueError(
                f"A {task} model cannot have the output kind {kind!r}; use one of "
                f"{list(kinds)}. Received: output_kind={declared!r}"
            )
    elif len(kinds) == 1:
        kind = kinds[0]
    else:
        raise ValueError(
            f"The model {model.name!r} is not in the registry and its task is "
            f"{task!r}, so its output kind must be given: save_model(..., "
            f"output_kind=...) with one of {list(kinds)} ('binary_probability': "
            "a sigmoid probability; 'binary_decision': 0/1 decisions). "
            "Received: output_kind=None"
        )
    _check_width(model, kind)
    return kind


def _check_width(model, kind):
    width = output_width(model)
    if kind.startswith("binary") and width != 1:
        raise ValueError(
            f"A {kind} model has one output column (p, or the 0/1 decision), but "
            f"{model.name!r} has {width}. Received: output width {width}"
        )
    if kind == "multiclass_probability" and width < 2:
        raise ValueError(
            f"A multiclass model has one output column per class (at least 2), "
            f"but {model.name!r} has {width}. Received: output width {width}"
        )


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


def built_hparams(model):
    """The hyper-parameters ``build_model`` built ``model`` with, as JSON.

    Returns:
        ``{"input_dim": ...}`` plus, for a model from ``build_model``, the
        hyper-parameters it was given (the others have the registry's
        defaults, ``nda.describe_model(name).defaults``); the normalisation
        statistics are left out (metadata.json's ``normalization`` holds
        them).
    """
    hparams = {"input_dim": input_width(model)}
    built = getattr(model, BUILD_HPARAMS, None) or {}
    for name, value in dict(built).items():
        if name != "normalization":
            hparams[name] = to_json(value, f"hparams[{name!r}]")
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
