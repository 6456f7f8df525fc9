"""The Trainer's optimizer, from its six options.

``optimizer``, ``learning_rate``, ``schedule``, ``momentum``, ``tau`` and
``power`` together describe one Keras optimizer: options that have no
effect are refused (``unused_arguments.py``), those not given take the
defaults (``defaults.py``), the schedule η_t is built (``schedules.py``),
then the optimizer (``optimizers.py``), under the strategy's scope so its
variables are replicated, and built on the model's variables.
"""

from nda_models.training.loop.optimizers import MOMENTUM, get_optimizer
from nda_models.training.loop.schedules import get_schedule
from nda_models.training.run.distribute import strategy_scope
from nda_models.training.unused_arguments import resolve_optimizer_options


def make_optimizer(optimizer, *, learning_rate=None, schedule=None, momentum=None,
                   tau=None, power=None, variables=(), strategy=None):  # fmt: skip
    """Returns the built Keras optimizer that the Trainer's options describe.

    Args:
        optimizer: ``"sgd"``, ``"momentum"``, ``"adam"`` or a Keras optimizer
            (kept, with its own settings; built if it is not yet).
        learning_rate, schedule, momentum, tau, power: As ``Trainer``'s;
            ``None`` means not given.
        variables: The model's trainable variables (the optimizer's slots).
        strategy: ``None`` or the ``tf.distribute.Strategy``.

    Raises:
        ValueError: for an option that has no effect, or a value out of range.

    Example:
        >>> model = nda.build_model("linear_regressor", input_dim=2)
        >>> sgd = make_optimizer("momentum", variables=model.trainable_variables)
        >>> type(sgd).__name__, round(float(sgd.momentum), 2), sgd.built
        ('SGD', 0.9, True)
        >>> make_optimizer("sgd", momentum=0.5)
        Traceback (most recent call last):
        ValueError: `momentum` has no effect here: optimizer='sgd' has no ...
    """
    learning_rate, momentum, tau, power = resolve_optimizer_options(
        optimizer, schedule, learning_rate, momentum, tau, power
    )
    MOMENTUM.check("momentum", momentum)
    rate = get_schedule(schedule, learning_rate, tau=tau, power=power)
    with strategy_scope(strategy):  # optimizer variables are replicated
        optimizer = get_optimizer(optimizer, rate, momentum=momentum)
        if not optimizer.built:
            optimizer.build(list(variables))
    return optimizer
