"""``StopWhenFlat``: scikit-learn's stopping rule as a Keras callback.

scikit-learn's SGD and MLP estimators stop when the monitored loss has not
improved by more than ``tol`` for ``n_iter_no_change`` consecutive epochs,
and (with ``early_stopping``) keep the coefficients of the best validation
score. Keras's ``EarlyStopping(min_delta=tol)`` keeps instead the weights of
the last epoch that improved by ``min_delta``, which need not be the best;
this callback keeps the best ones, as scikit-learn does.

Importing this module imports Keras: the estimators import it in ``fit``.

Example:
    >>> stop = StopWhenFlat("loss", tol=0.01, patience=2, keep_best=False)
    >>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    >>> stop.set_model(model)
    >>> stop.on_train_begin()
    >>> for epoch, loss in enumerate([1.0, 0.5, 0.499, 0.498]):
    ...     stop.on_epoch_end(epoch, {"loss": loss})
    >>> model.stop_training, stop.best
    (True, 0.498)
"""

import math

import keras


class StopWhenFlat(keras.callbacks.Callback):
    """Stops training once ``monitor`` has been flat for ``patience`` epochs.

    An epoch counts as flat when its value is above best − ``tol``; any
    improvement below the best so far becomes the new best (and, with
    ``keep_best``, its weights are kept and put back when training ends).

    Args:
        monitor: The log to watch, ``"loss"`` or ``"val_loss"``.
        tol: The least improvement that resets the count.
        patience: Flat epochs in a row that stop training.
        keep_best: Restore the weights of the best epoch at the end.
    """

    def __init__(self, monitor, *, tol, patience, keep_best):
        super().__init__()
        self.monitor = monitor
        self.tol = tol
        self.patience = patience
        self.keep_best = keep_best

    def on_train_begin(self, logs=None):
        self.best = math.inf
        self.flat = 0
        self.best_weights = None

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None:
            return
        self.flat = self.flat + 1 if value > self.best - self.tol else 0
        if value < self.best:
            self.best = value
            if self.keep_best:
                self.best_weights = self.model.get_weights()
        if self.flat >= self.patience:
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.keep_best and self.best_weights is not None:
            self.model.set_weights(self.best_weights)
