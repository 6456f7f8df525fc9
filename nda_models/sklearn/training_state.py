"""A fit's training state as plain NumPy arrays: what continues a run exactly.

The ``Trainer`` a fit uses is borrowed (see ``trainer_pool``), so the
estimator keeps what its run has reached as data of its own:

- the model's variables (the weights, and the dropout layers' seed states);
- the optimizer's variables (step count, Adam's moments, momentum), except
  the learning rate, which is the estimator's ``learning_rate``;
- the loop's state, as a checkpoint holds it (``LoopState.checkpoint_items``:
  the sampling generator, the step, epoch and batch counters, the epoch's
  order, the divergence limit).

``partial_fit`` and ``warm_start`` put it back before training and take it
out after, and pickling stores it, so an unpickled estimator continues with
the same mini-batches, in this process or another.
"""

import dataclasses


@dataclasses.dataclass
class TrainingState:
    """What a run has reached (NumPy values, picklable).

    Attributes:
        variables: Values of ``model.variables``, in order.
        optimizer: Values of ``optimizer.variables`` (learning rate
            excluded), or ``None`` for a fresh optimizer.
        loop: ``{name: value}`` of the loop's checkpoint items, or ``None``
            for a fresh loop.
    """

    variables: list
    optimizer: list | None = None
    loop: dict | None = None


def start(trainer, state, *, learning_rate, batch_size, sampling_seed):
    """Puts ``state`` into ``trainer``: the starting point of this fit.

    Args:
        trainer: A (possibly borrowed) ``Trainer`` of the same architecture.
        state: ``TrainingState``; a fresh run when its optimizer and loop
            parts are ``None``.
        learning_rate: η, or ``None`` when the optimizer follows a schedule.
        batch_size: M.
        sampling_seed: Seed of a fresh run's sampling generator.
    """
    trainer.reset(state.variables, learning_rate=learning_rate, batch_size=batch_size)
    trainer.loop.generator.reset_from_seed(sampling_seed)
    if state.optimizer is not None:
        variables = _optimizer_variables(trainer)
        for variable, value in zip(variables, state.optimizer, strict=True):
            variable.assign(value)
    if state.loop is not None:
        for name, item in trainer.loop.checkpoint_items().items():
            _variable(item).assign(state.loop[name])


def capture(trainer):
    """Returns the ``TrainingState`` ``trainer`` has reached."""
    return TrainingState(
        variables=[v.numpy() for v in trainer.model.variables],
        optimizer=[v.numpy() for v in _optimizer_variables(trainer)],
        loop={
            name: _variable(item).numpy()
            for name, item in trainer.loop.checkpoint_items().items()
        },
    )


def _optimizer_variables(trainer):
    """The optimizer's variables but its (constant) learning rate."""
    rate = trainer.optimizer.learning_rate
    return [v for v in trainer.optimizer.variables if v is not rate]


def _variable(item):
    """The variable behind a checkpoint item (a generator keeps its ``state``)."""
    return getattr(item, "state", item)
