"""The base class of our callbacks, and what ``Trainer.fit`` promises them.

Our callbacks are Keras callbacks (they work in ``model.fit`` where they can)
with three additions, declared here instead of being guessed with
``hasattr``:

- ``steps_per_execution``: ``None``, or k: ``Trainer.fit`` then runs k steps
  per graph call, aligned on the global step, so ``on_train_batch_end``
  fires after steps k, 2k, ... (the lecture's tables print every k steps).
- ``bind(trainer, training_data=...)``: ``Trainer.fit`` hands itself over
  before ``on_train_begin`` (and ``None`` after the fit), with the fit's
  in-memory ``(x, y)`` (``None`` for a ``tf.data`` dataset);
  ``self.trainer`` gives the trainer's ``loop`` state and compiled
  ``loops``. ``model.fit`` never binds, so ``self.trainer`` is ``None``
  there.
- ``reset()``: forgets what an earlier fit recorded. ``on_train_begin``
  calls it, so a callback reused for a second fit records that fit alone,
  as Keras's own callbacks (``EarlyStopping``, ``History``) do.
"""

import contextlib

import keras


class LoopCallback(keras.callbacks.Callback):
    """A Keras callback that may size the graph calls and see the ``Trainer``.

    Subclasses set ``steps_per_execution`` if they need to run every k steps,
    put their recorded state in ``reset``, and call
    ``super().on_train_begin(logs)`` if they override ``on_train_begin``.

    Example:
        >>> class EpochCounter(LoopCallback):
        ...     def reset(self):
        ...         self.count = 0
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         self.count += 1
        >>> counter = EpochCounter()
        >>> counter.on_train_begin(); counter.on_epoch_end(0); counter.count
        1
    """

    steps_per_execution = None

    def __init__(self):
        super().__init__()
        self.trainer = None
        self.training_data = None
        self.reset()

    def bind(self, trainer, training_data=None):
        """Called by ``Trainer.fit`` with itself and the fit's ``(x, y)``
        arrays (``None`` for a dataset), and with ``None`` after the fit."""
        self.trainer = trainer
        self.training_data = training_data

    def reset(self):
        """Forgets what an earlier fit recorded (called by ``on_train_begin``)."""

    def on_train_begin(self, logs=None):
        self.reset()


@contextlib.contextmanager
def bound(callbacks, trainer, training_data=None):
    """Binds our callbacks among ``callbacks`` to ``trainer`` for a block
    (a fit), and unbinds them after it, however it ends.

    Example:
        >>> counter = LoopCallback()
        >>> with bound([counter], "the trainer", training_data=("x", "y")):
        ...     counter.trainer, counter.training_data
        ('the trainer', ('x', 'y'))
        >>> counter.trainer is None and counter.training_data is None
        True
    """
    ours = [cb for cb in callbacks if isinstance(cb, LoopCallback)]
    for callback in ours:
        callback.bind(trainer, training_data)
    try:
        yield
    finally:
        for callback in ours:
            callback.bind(None)
