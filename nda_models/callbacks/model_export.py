"""Exports the best model seen so far (lowest ``val_loss``) as a bundle.

Lecture, "Hyperparameters choice": choose by validation loss. Each time the
monitored value improves, the model is written with
``nda_models.export.save_model`` (an atomic write, so an interrupted run
keeps the previous best bundle).
"""

import math

from nda_models.callbacks.loop_callback import LoopCallback
from nda_models.export import save_model
from nda_models.export.write.atomic import check_bundle_location


class ModelExport(LoopCallback):
    """Writes the best-by-``monitor`` model to ``path`` through ``save_model``.

    Args:
        path: Bundle directory.
        monitor: Log key to minimise, ``"val_loss"`` by default.
        **metadata: Passed to ``save_model`` (``feature_names``,
            ``class_names``, ``dataset``, ...).

    Raises:
        ValueError: at once, before any training, if ``path`` is a place a
            bundle may not be saved (a file, a folder of someone else's
            files: ``check_bundle_location``); before, the first improving
            epoch found out, after its work.

    Attributes:
        best: Best monitored value so far in this fit (each fit starts over).
        best_epoch: Its epoch number, from 1 (``None`` before any export).

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(200, 2)).astype("float32")
        >>> y = (5 + 2 * x[:, 0] - 3 * x[:, 1]).astype("float32")
        >>> model = nda.build_model("linear_regressor", input_dim=2)
        >>> export = ModelExport("saved_models/linear", feature_names=["x1", "x2"])
        >>> _ = nda.Trainer(model, learning_rate=0.05, seed=0).fit(
        ...     x[50:], y[50:], epochs=5, validation_data=(x[:50], y[:50]),
        ...     callbacks=[export])
        >>> export.best_epoch  # val_loss fell every epoch
        5
        >>> bundle = nda.load_model("saved_models/linear")
        >>> bundle.metadata["feature_names"]
        ['x1', 'x2']
    """

    def __init__(self, path, *, monitor="val_loss", **metadata):
        check_bundle_location(path, "path")
        self.path = path
        self.monitor = monitor
        self.metadata = metadata
        super().__init__()

    def reset(self):
        self.best, self.best_epoch = math.inf, None
        self._history = {}

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        for key, value in logs.items():
            self._history.setdefault(key, []).append(float(value))
        if self.monitor not in logs:
            raise ValueError(
                f"ModelExport monitors {self.monitor!r}, which is not in the epoch "
                "logs. Pass validation_data to fit, or choose a monitor among the "
                f"logged keys. Received: logs keys {sorted(logs)}"
            )
        value = float(logs[self.monitor])
        if value < self.best:
            self.best, self.best_epoch = value, int(epoch) + 1
            save_model(
                self.model, self.path, history=dict(self._history), **self.metadata
            )
