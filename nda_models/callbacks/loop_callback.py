"""The base class of our callbacks, and what ``Trainer.fit`` promises them.

Our callbacks are Keras callbacks (they work in ``model.fit`` where they can)
with three additions, declared here instead of being guessed with
``hasattr``:

- ``steps_per_execution``: ``None``, or k: ``Trainer.fit`` then runs k steps
  per graph call, aligned on the global step, so ``on_train_batch_end``
  fires after steps k, 2k, ... (the lecture's tables print every k steps).
- ``bind(trainer)``: ``Trainer.fit`` hands itself over before
  ``on_train_begin`` (and ``None`` after the fit); ``self.trainer`` gives
  the trainer's ``loop`` state and compiled functions. ``model.fit`` never
  binds, so ``self.trainer`` is ``None`` there.
- ``reset()``: forgets what an earlier fit recorded. ``on_train_begin``
  calls it, so a callback reused for a second fit records that fit alone,
  as Keras's own callbacks (``EarlyStopping``, ``History``) do.
"""

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
        self.reset()

    def bind(self, trainer):
        """Called by ``Trainer.fit`` with itself, and with ``None`` after it."""
        self.trainer = trainer

    def reset(self):
        """Forgets what an earlier fit recorded (called by ``on_train_begin``)."""

    def on_train_begin(self, logs=None):
        self.reset()
