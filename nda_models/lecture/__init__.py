"""The lecture's concepts as small functions, used by ``scripts/`` and ``notebooks/``.

Each section of the lecture is a module of ``nda_models.lecture.sections``
(see ``section_index.SECTIONS``), whose functions both the script and the
notebook of that section call; ``notebook_scale()`` is how a notebook reads
its scale (``NDA_NOTEBOOK_SCALE``). Importing this package does not import
TensorFlow: the functions that need Keras (``check_activations``,
``check_losses``) import it when called, and the Keras callback
``ParameterTrajectory`` is loaded lazily on first access.
"""

import importlib

from nda_models.lecture.activation_formulas import ACTIVATIONS
from nda_models.lecture.decision_grid import decision_grid
from nda_models.lecture.formula_check import check_activations, check_losses
from nda_models.lecture.iteration_cycle import sgd_update
from nda_models.lecture.least_squares import least_squares
from nda_models.lecture.loss_formulas import LOSS_FORMULAS, log_softmax
from nda_models.lecture.scale import SCALES, check_scale, notebook_scale
from nda_models.lecture.script_io import (
    output_folder,
    pyplot,
    save_figure,
    script_parser,
)
from nda_models.lecture.stochastic_gradient import (
    SAMPLINGS,
    minibatch_gradients,
    minibatch_variance,
    per_example_gradients,
)

__all__ = [
    "ACTIVATIONS",
    "LOSS_FORMULAS",
    "SAMPLINGS",
    "SCALES",
    "ParameterTrajectory",
    "check_activations",
    "check_scale",
    "check_losses",
    "decision_grid",
    "least_squares",
    "log_softmax",
    "minibatch_gradients",
    "minibatch_variance",
    "notebook_scale",
    "output_folder",
    "per_example_gradients",
    "pyplot",
    "save_figure",
    "script_parser",
    "sgd_update",
]


def __getattr__(name):
    # PEP 562: the Keras callback is imported on first use only.
    if name == "ParameterTrajectory":
        module = importlib.import_module("nda_models.callbacks.parameter_trajectory")
        return module.ParameterTrajectory
    raise AttributeError(f"module 'nda_models.lecture' has no attribute {name!r}")
