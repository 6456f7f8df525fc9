"""End-to-end jobs built on the public API: train, tune, and the zoo tour."""

from nda_models.workflows.recipes import RECIPES, recipe_for
from nda_models.workflows.tour import tour
from nda_models.workflows.train import TrainingRun, train_model
from nda_models.workflows.tune import TuningResult, tune

__all__ = [
    "RECIPES",
    "TrainingRun",
    "TuningResult",
    "recipe_for",
    "train_model",
    "tour",
    "tune",
]
