"""No ``Trainer`` argument is silently ignored.

Some options only mean something together with others: ``momentum`` only
with ``optimizer="momentum"``, ``tau`` and ``power`` only with
``schedule="robbins_monro"``, ``learning_rate`` and ``schedule`` only when
the Trainer builds the optimizer itself. Those options default to ``None``
("not given"); giving one where it has no effect is a ``ValueError`` that
says which argument and why, instead of a run that quietly differs from
what was asked.
"""

import keras
import tensorflow as tf

from nda_models.training.defaults import TRAINER_DEFAULTS


def _no_effect(name, value, why, fix):
    return ValueError(
        f"`{name}` has no effect here: {why}. {fix} Received: {name}={value!r}"
    )


def resolve_optimizer_options(optimizer, schedule, learning_rate, momentum, tau, power):
    """Returns ``(learning_rate, momentum, tau, power)`` with defaults filled in.

    Args:
        optimizer: ``"sgd"``, ``"momentum"``, ``"adam"`` or a Keras optimizer.
        schedule: ``None``, ``"constant"``, ``"robbins_monro"`` or a Keras
            ``LearningRateSchedule``.
        learning_rate, momentum, tau, power: The values given, ``None`` when
            not given.

    Raises:
        ValueError: naming the first argument that would have no effect.

    Example:
        >>> resolve_optimizer_options("sgd", None, None, None, None, None)
        (0.01, 0.9, 100.0, 1.0)
    """
    is_object = isinstance(optimizer, keras.optimizers.Optimizer)
    if is_object:
        fix = "Set it on the optimizer object itself, or pass optimizer as a name."
        why = f"optimizer is a {type(optimizer).__name__} object with its own settings"
        for name, value in (
            ("learning_rate", learning_rate),
            ("schedule", schedule),
            ("momentum", momentum),
        ):
            if value is not None:
                raise _no_effect(name, value, why, fix)
    elif momentum is not None and optimizer != "momentum":
        raise _no_effect(
            "momentum",
            momentum,
            f"optimizer={optimizer!r} has no momentum term",
            "Use optimizer='momentum' (heavy-ball SGD) or drop momentum.",
        )
    if schedule != "robbins_monro":
        for name, value in (("tau", tau), ("power", power)):
            if value is not None:
                raise _no_effect(
                    name,
                    value,
                    f"only schedule='robbins_monro' uses it, and schedule={schedule!r}",
                    "Pass schedule='robbins_monro' or drop it.",
                )
    if isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule):
        if learning_rate is not None:
            raise _no_effect(
                "learning_rate",
                learning_rate,
                f"the {type(schedule).__name__} schedule sets every η_t itself",
                "Set the initial rate on the schedule object, or drop learning_rate.",
            )
    given = {"learning_rate": learning_rate, "momentum": momentum, "tau": tau,
             "power": power}  # fmt: skip
    return tuple(
        TRAINER_DEFAULTS[name] if value is None else value
        for name, value in given.items()
    )


def resolve_log_every(log_dir, log_every):
    """Returns ``log_every`` (``None``: 10); refuses it without ``log_dir``."""
    if log_every is not None and log_dir is None:
        raise _no_effect(
            "log_every",
            log_every,
            "nothing is logged without log_dir",
            "Pass log_dir='runs/NAME' to write TensorBoard summaries, or drop it.",
        )
    return TRAINER_DEFAULTS["log_every"] if log_every is None else log_every


def check_loss_input(loss, loss_input):
    """Refuses ``loss_input`` without an explicit ``loss`` (it would be unused:
    a zoo model's registered loss already reads its own layer)."""
    if loss_input is not None and loss is None:
        raise _no_effect(
            "loss_input",
            loss_input,
            "with loss=None the model's registered loss reads its own layer",
            "Pass loss= as well, or drop loss_input.",
        )


def check_dataset_batch_size(x, batch_size):
    """Refuses ``evaluate(dataset, batch_size=...)``: a dataset comes batched
    (Keras refuses the same)."""
    if batch_size is not None and isinstance(x, tf.data.Dataset):
        raise _no_effect(
            "batch_size",
            batch_size,
            "a tf.data.Dataset comes already batched",
            "Batch the dataset itself (dataset.rebatch(n)), or drop batch_size.",
        )
