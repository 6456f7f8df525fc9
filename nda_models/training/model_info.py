"""What the trainer needs to know about a model: width, task, classes, loss, metrics.

``check_model`` is the one Trainer argument no declarative constraint can
describe: a built, single-input ``keras.Model``, which only Keras can tell.
Zoo models are looked up in the registry by ``model.name``: their task gives
the label format and the default metric, their registered loss reads the
layer ``spec.loss_input`` (``nda_models.zoo.training_view``). Other Keras
models need an explicit ``loss=`` and get no metric unless asked.
"""

import dataclasses

import keras

from nda_models.training.loop.metrics import check_metrics
from nda_models.training.unused_arguments import check_loss_input
from nda_models.zoo import LOSSES, default_loss, get_loss, training_view
from nda_models.zoo.keras_model import check_keras_model
from nda_models.zoo.registry import get_spec


def check_model(model):
    """Returns the model's input dimension d; the model must be a built
    single-input ``keras.Model`` taking (n, d) features."""
    check_keras_model(model)
    try:
        shape = model.input_shape
    except (AttributeError, ValueError):
        shape = None
    if not (isinstance(shape, tuple) and len(shape) == 2 and shape[1]):
        raise ValueError(
            "`model` must be a built keras.Model with one input of shape "
            f"(batch, input_dim). Received: input_shape={shape!r}"
        )
    return int(shape[1])


@dataclasses.dataclass(frozen=True)
class ModelInfo:
    """Task facts of a model.

    Attributes:
        input_dim: Features per example d (the model takes (n, d)).
        task: ``"regression"``, ``"binary"``, ``"multiclass"`` or ``None``
            (unregistered model).
        num_classes: Classes of a classifier (2 for binary), else ``None``.
        metrics: Default metric names (Keras's words).
    """

    input_dim: int
    task: str | None
    num_classes: int | None
    metrics: tuple


def model_info(model, metrics=None):
    """Returns the ``ModelInfo`` of ``model``; ``metrics`` overrides defaults.

    ``model`` is a built single-input ``keras.Model`` (see ``check_model``).

    Raises:
        ValueError: for unknown metric names.

    Example:
        >>> model_info(nda.build_model("softmax_classifier", input_dim=4,
        ...                            num_classes=3))
        ModelInfo(input_dim=4, task='multiclass', num_classes=3, metrics=('accuracy',))
    """
    input_dim = int(model.input_shape[1])
    spec = get_spec(model.name)
    task = None if spec is None else spec.task
    num_classes = None
    if task == "binary":
        num_classes = 2
    elif task == "multiclass":
        num_classes = int(model.output_shape[-1])
    defaults = () if spec is None else tuple(spec.metrics)
    chosen = defaults if metrics is None else check_metrics(metrics)
    return ModelInfo(input_dim, task, num_classes, chosen)


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
        ValueError: for an unknown loss name, an unregistered model without
            ``loss=``, or ``loss_input`` without ``loss`` (it would be unused).
        TypeError: for a loss of the wrong type.
    """
    check_loss_input(loss, loss_input)
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
