"""``StopAfterSteps``: ends a fit after a number of steps (for timing steps)."""

from nda_models.callbacks.loop_callback import LoopCallback
from nda_models.core.constraints import POSITIVE_INT


class StopAfterSteps(LoopCallback):
    """Stops ``Trainer.fit`` once ``steps`` steps have run in this fit.

    It asks the Trainer (through ``steps_per_execution``) for graph calls of
    ``steps`` steps, then sets ``model.stop_training``. The Trainer aligns
    its calls on multiples of ``steps`` of the global step, so from a global
    step that is not such a multiple, a few more steps run (under 2·steps).

    Example:
        >>> import numpy as np
        >>> x, y = np.zeros((64, 2), np.float32), np.zeros(64, np.float32)
        >>> trainer = nda.Trainer(nda.build_model("linear_regressor", input_dim=2))
        >>> _ = trainer.fit(x, y, epochs=10**9, callbacks=[StopAfterSteps(4)])
        >>> int(trainer.optimizer.iterations)
        4
    """

    def __init__(self, steps):
        steps = POSITIVE_INT.check("steps", steps)
        self.steps_per_execution = steps  # Trainer.fit: graph calls of k steps
        self.steps = steps
        super().__init__()

    def reset(self):
        self._start = 0

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        self._start = int(self.model.optimizer.iterations)

    def on_train_batch_end(self, batch, logs=None):
        if int(self.model.optimizer.iterations) - self._start >= self.steps:
            self.model.stop_training = True
