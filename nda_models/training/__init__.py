"""The training loop of the lecture: ``Trainer``, schedules and callbacks.

Names are imported on first use (PEP 562), so importing ``nda_models`` does
not import TensorFlow.

Example:
    >>> from nda_models.training import Trainer, RobbinsMonro
"""

import importlib

_EXPORTS = {
    "Trainer": "nda_models.training.trainer",
    "TrainingDivergedError": "nda_models.training.diverged_error",
    "RobbinsMonro": "nda_models.training.loop.robbins_monro",
    "ValidationLossTracker": "nda_models.callbacks",
    "ModelExport": "nda_models.callbacks",
    "IterationTable": "nda_models.callbacks",
    "backprop_trace": "nda_models.training.backprop",
    "BackpropTrace": "nda_models.training.backprop",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'nda_models.training' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)


def __dir__():
    return sorted([*globals(), *__all__])
