"""The lecture's own callbacks, used with ``Trainer.fit`` (or ``model.fit``)."""

from nda_models.training.callbacks.iteration_table import IterationTable
from nda_models.training.callbacks.loop_callback import LoopCallback
from nda_models.training.callbacks.model_export import ModelExport
from nda_models.training.callbacks.validation_loss_tracker import ValidationLossTracker

__all__ = ["IterationTable", "LoopCallback", "ModelExport", "ValidationLossTracker"]
