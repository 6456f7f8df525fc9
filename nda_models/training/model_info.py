"""What the trainer needs to know about a model: task, classes, loss, metrics.

Zoo models are looked up in the registry by ``model.name``: their task gives
the label format and the default metric, their registered loss reads the
layer ``spec.loss_input`` (``nda_models.zoo.training_view``). Other Keras
models need an explicit ``loss=`` and get no metric unless asked.
"""

import dataclasses

from nda_models.training.loop.metrics import check_metrics


@dataclasses.dataclass(frozen=True)
class ModelInfo:
    """Task facts of a model.

    Attributes:
        task: ``"regression"``, ``"binary"``, ``"multiclass"`` or ``None``
            (unregistered model).
        num_classes: Classes of a classifier (2 for binary), else ``None``.
        metrics: Default metric names (Keras's words).
    """

    task: str | None
    num_classes: int | None
    metrics: tuple


def model_info(model, metrics=None):
    """Returns the ``ModelInfo`` of ``model``; ``metrics`` overrides defaults."""
    from nda_models.zoo.registry import get_spec

    spec = get_spec(model.name)
    task = None if spec is None else spec.task
    num_classes = None
    if task == "binary":
        num_classes = 2
    elif task == "multiclass":
        num_classes = int(model.output_shape[-1])
    defaults = () if spec is None else tuple(spec.metrics)
    chosen = defaults if metrics is None else check_metrics(metrics)
    return ModelInfo(task=task, num_classes=num_classes, metrics=chosen)


def resolve_loss(model, loss, loss_input=None):
    """Returns ``(loss_fn, view)``: the Keras loss and the model it reads.

    Args:
        model: The model to train.
        loss: ``None`` (the registered default loss of a zoo model, reading
            ``training_view(model)``), a loss name (ours in
            ``nda_models.zoo.LOSSES`` or any Keras loss name), or a Keras
            loss object / callable ``loss(y_true, y_pred)``.
        loss_input: Name of the layer an explicit loss reads; ``None`` means
            the model output.

    Raises:
        ValueError: for an unknown loss name or an unregistered model
            without ``loss=``.
        TypeError: for a loss of the wrong type.
    """
    import keras

    from nda_models.zoo import LOSSES, default_loss, get_loss, training_view

    if loss is None:
        return default_loss(model), training_view(model)
    view = model if loss_input is None else training_view(model, loss_input)
    if isinstance(loss, str):
        if loss in LOSSES:
            return get_loss(loss), view
        try:
            return keras.losses.get(loss), view
        except ValueError:
            return get_loss(loss), view  # raises with the closest of our names
    if callable(loss):
        return loss, view
    raise TypeError(
        "`loss` must be None (the model's default), a loss name such as "
        "'mean_squared_error', or a keras.losses.Loss. "
        f"Received: loss of type {type(loss).__name__}"
    )
