"""One training run on a pooled ``Trainer``: borrow, start, fit, capture.

The estimator hands over what defines the run (the architecture, its
``TrainingState``, the resolved options, the sampling seed) and gets back
the state reached and the Keras history; the ``Trainer`` itself goes back to
the pool (see ``trainer_pool`` and ``training_state``).
"""

import nda_models as nda
from nda_models.sklearn import estimator_model, training_state
from nda_models.sklearn.trainer_pool import POOL

# Options that, changed between fits, start the optimizer and sampling afresh
# (and are part of the traced graphs, so of the pool key).
RUN_IDENTITY = ("optimizer", "schedule", "sampling")


def run_identity(options):
    """The options that must not change for a run to continue."""
    return {name: options[name] for name in RUN_IDENTITY}


def train(arch, state, options, sampling_seed, data, *, epochs, validation,
          callbacks, verbose):  # fmt: skip
    """Trains from ``state``; returns ``(state reached, history dict)``.

    Args:
        arch: The estimator's architecture (``estimator_model.architecture``).
        state: The ``TrainingState`` to start from.
        options: The resolved training options (``optimizer``,
            ``learning_rate``, ``batch_size``, ``sampling``, ``schedule``).
        sampling_seed: Seed of a fresh run's mini-batch order.
        data: ``(x, y)``, as the loss sees them (standardised).
        epochs: Epochs to run (at most, with stopping callbacks).
        validation: ``(x_val, y_val)`` or ``None``.
        callbacks: Keras callbacks.
        verbose: As ``Trainer.fit``.
    """
    constant_rate = None if options["schedule"] else options["learning_rate"]
    with POOL.lend(*_recipe(arch, options)) as trainer:
        training_state.start(
            trainer, state, learning_rate=constant_rate,
            batch_size=options["batch_size"], sampling_seed=sampling_seed,
        )  # fmt: skip
        history = trainer.fit(
            *data, epochs=epochs, validation_data=validation, callbacks=callbacks,
            verbose=verbose,
        )  # fmt: skip
        return training_state.capture(trainer), history.history


def _recipe(arch, options):
    """``(pool key, make)`` of the ``Trainer`` this run can borrow."""
    graph_options = run_identity(options)
    if options["schedule"] is not None:  # the schedule holds η
        graph_options["learning_rate"] = options["learning_rate"]
    if all(isinstance(value, str | None) for value in graph_options.values()):
        key = estimator_model.pool_key(arch, graph_options)
    else:
        key = None  # optimizer or schedule objects: one Trainer each

    def make():
        model = estimator_model.build_training_model(arch)
        return nda.Trainer(
            model, optimizer=_fresh(options["optimizer"]), schedule=options["schedule"],
            learning_rate=options["learning_rate"], sampling=options["sampling"],
            batch_size=options["batch_size"], seed=0,
        )  # fmt: skip

    return key, make


def _fresh(optimizer):
    """A name as is; a Keras optimizer object as a new copy of its config (an
    optimizer is built for one model's variables, and each fit has a model)."""
    if isinstance(optimizer, str):
        return optimizer
    return type(optimizer).from_config(optimizer.get_config())
