"""A Keras callback that records the parameters after every iteration.

Lecture: "Mini-batch convergence example" and "SGD characteristics": the
slides plot the estimates (b̂_0, b̂_1, b̂_2) of y = 5 + 2x_1 − 3x_2 + ε as
gradient descent, SGD and mini-batch SGD iterate. This callback stores the
flattened trainable weights θ_t at t = 0 (before training) and after each
update, so the path θ_0, θ_1, ... can be plotted or compared with the
closed-form optimum. It imports Keras: import it from this module or through
the lazy ``nda_models.lecture.ParameterTrajectory``.
"""

import numpy as np

from nda_models.callbacks.loop_callback import LoopCallback
from nda_models.core.constraints import POSITIVE_INT


class ParameterTrajectory(LoopCallback):
    """Records θ_t (every trainable weight, flattened) every ``every`` updates.

    Works with ``model.fit`` and with ``nda_models.training.Trainer``; it
    asks the Trainer (through ``steps_per_execution``) to return control
    every ``every`` steps, so no update is skipped. The iteration t is read
    from the optimizer's step counter.

    Args:
        layer: Name of the layer whose weights to record, or ``None`` for all
            trainable weights of the model.
        every: Record every ``every``-th iteration (the last one is always
            kept when training ends).

    Attributes:
        path: After training, a float64 array (records, p): row 0 is the
            starting point θ_0, then θ_every, θ_2·every, ...
        iterations: The iteration t of each row of ``path``.
        names: The variable paths, in the order of the columns' blocks.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(200, 2)).astype("float32")
        >>> y = (5 + 2 * x[:, 0] - 3 * x[:, 1]).astype("float32")
        >>> model = nda.build_model("linear_regressor", input_dim=2)
        >>> trajectory = ParameterTrajectory(layer="prediction")
        >>> _ = nda.Trainer(model, learning_rate=0.05, seed=0).fit(
        ...     x, y, epochs=1, callbacks=[trajectory])
        >>> trajectory.path.shape  # θ_0 and the 7 updates of 32 rows
        (8, 3)
        >>> w1, w2, bias = trajectory.path[-1]
        >>> trajectory.iterations.tolist()
        [0, 1, 2, 3, 4, 5, 6, 7]
    """

    def __init__(self, layer=None, every=1):
        self.layer = layer
        self.every = POSITIVE_INT.check("every", every)
        self.steps_per_execution = self.every  # Trainer.fit: every k steps
        super().__init__()

    def reset(self):
        self.names = []
        self._rows, self._steps = [], []

    def _variables(self):
        if self.layer is None:
            return self.model.trainable_variables
        return self.model.get_layer(self.layer).trainable_variables

    def _record(self, force=False):
        step = int(self.model.optimizer.iterations)
        if (self._steps and self._steps[-1] == step) or not (
            force or step % self.every == 0
        ):
            return
        values = [
            np.asarray(v.numpy(), dtype=np.float64).ravel() for v in self._variables()
        ]
        self._rows.append(np.concatenate(values))
        self._steps.append(step)

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        self.names = [v.path for v in self._variables()]
        self._record(force=True)

    def on_train_batch_end(self, batch, logs=None):
        self._record()

    def on_train_end(self, logs=None):
        self._record(force=True)

    @property
    def path(self):
        """The recorded θ_t as rows of a float64 array."""
        if not self._rows:
            raise RuntimeError(
                "ParameterTrajectory has recorded nothing yet: pass it in "
                "`callbacks=` to fit() first. Received: no training run"
            )
        return np.vstack(self._rows)

    @property
    def iterations(self):
        """The iteration t of each recorded row (0 = before the first update)."""
        return np.asarray(self._steps, dtype=np.int64)
