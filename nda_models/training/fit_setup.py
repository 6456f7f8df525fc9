"""The callbacks of one ``fit``, its verbosity and the steps per graph call.

``callback_list`` wraps the user's callbacks as ``model.fit`` does
(``History`` always; with ``verbose``, the progress that fits the output,
see ``callbacks/progress.py``, unless a ``ProgbarLogger`` is given); ``chunk_size``
decides how many steps one graph call runs: what our callbacks need
(``LoopCallback.steps_per_execution``), else the Trainer's
``steps_per_execution``, else a whole epoch (about 20 calls per epoch with
a progress bar, so it moves).
"""

import math

import keras

from nda_models.callbacks.loop_callback import LoopCallback
from nda_models.callbacks.progress import VERBOSITIES, progress_callback
from nda_models.training.loop.sources import UNKNOWN_CHUNK


def verbosity(verbose):
    """``verbose`` as Keras's 0 (silent), 1 (progress bar) or 2 (one line per
    epoch); ``"auto"`` is 1.

    Example:
        >>> verbosity("auto"), verbosity(2)
        (1, 2)
    """
    verbose = VERBOSITIES.check("verbose", verbose)
    return 1 if verbose == "auto" else int(verbose)


def callback_list(callbacks, model, verbose, epochs, source):
    """Returns the ``keras.callbacks.CallbackList`` of a fit.

    Raises:
        TypeError: if an item is not a ``keras.callbacks.Callback``.

    Example:
        >>> from nda_models.training.loop.sources import ArraySource
        >>> source = ArraySource(np.zeros((10, 2), "float32"), np.zeros(10), 4)
        >>> model = nda.build_model("linear_regressor", input_dim=2)
        >>> callbacks = callback_list(None, model, 0, 1, source)
        >>> [type(cb).__name__ for cb in callbacks.callbacks]
        ['History']
        >>> callback_list([print], model, 0, 1, source)
        Traceback (most recent call last):
        TypeError: `callbacks` must be a list of keras.callbacks.Callback. ...
    """
    callbacks = list(callbacks or [])
    for callback in callbacks:
        if not isinstance(callback, keras.callbacks.Callback):
            raise TypeError(
                "`callbacks` must be a list of keras.callbacks.Callback. "
                f"Received: an item of type {type(callback).__name__}"
            )
    if not any(isinstance(cb, keras.callbacks.ProgbarLogger) for cb in callbacks):
        progress = progress_callback(verbose)  # bar, notebook or line per epoch
        callbacks += [progress] if progress is not None else []
    return keras.callbacks.CallbackList(
        callbacks, add_history=True, add_progbar=False, model=model,
        verbose=verbose, epochs=epochs, steps=source.steps_per_epoch,
    )  # fmt: skip


def chunk_size(callbacks, steps_per_execution, verbose, source):
    """Steps per graph call: what callbacks need, else as few calls as possible.

    Example:
        >>> from nda_models.training.loop.sources import ArraySource
        >>> source = ArraySource(np.zeros((100, 2), "float32"), np.zeros(100), 1)
        >>> model = nda.build_model("linear_regressor", input_dim=2)
        >>> callbacks = callback_list(None, model, 0, 1, source)
        >>> chunk_size(callbacks, None, 0, source)  # silent: one call per epoch
        100
        >>> chunk_size(callbacks, None, 1, source)  # a progress bar: 20 calls
        5
    """
    required = [
        cb.steps_per_execution for cb in callbacks.callbacks
        if isinstance(cb, LoopCallback) and cb.steps_per_execution is not None
    ]  # fmt: skip
    if required:
        return min(required)
    if steps_per_execution is not None:
        return steps_per_execution
    steps = source.steps_per_epoch
    if steps is None:
        return UNKNOWN_CHUNK
    # With a progress bar, ~20 graph calls per epoch keep it moving.
    return max(1, math.ceil(steps / 20)) if verbose == 1 else steps
