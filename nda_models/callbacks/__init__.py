"""The lecture's own callbacks, used with ``Trainer.fit`` (or ``model.fit``).

All derive from ``LoopCallback`` (a ``keras.callbacks.Callback`` whose state
is reset at each ``on_train_begin``). Importing this package imports Keras.
"""

from nda_models.callbacks.iteration_table import IterationTable
from nda_models.callbacks.loop_callback import LoopCallback
from nda_models.callbacks.model_export import ModelExport
from nda_models.callbacks.parameter_trajectory import ParameterTrajectory
from nda_models.callbacks.stop_after_steps import StopAfterSteps
from nda_models.callbacks.validation_loss_tracker import ValidationLossTracker

__all__ = [
    "IterationTable",
    "LoopCallback",
    "ModelExport",
    "ParameterTrajectory",
    "StopAfterSteps",
    "ValidationLossTracker",
]
