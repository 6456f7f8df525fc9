"""The zoo's own Keras classes, registered with Keras in this one place.

A saved model names each layer and loss class by its registered name
(``"nda_models>Step"``); loading looks the name up among the registered
classes. Building and loading both import this module, so a model saved by
one process loads in another, with Keras's ``safe_mode`` on (the classes are
code of the package, not pickled bytecode as a ``Lambda`` layer would be).

A new layer or loss class of the zoo is added to ``CUSTOM_OBJECTS`` below.
Imports Keras (it is imported only by the builders, the losses and the
loader, never by ``import nda_models``).

Example:
    >>> sorted(CUSTOM_OBJECTS)  # doctest: +NORMALIZE_WHITESPACE
    ['nda_models>HalfSquaredError', 'nda_models>NegativeLogLikelihood',
     'nda_models>PerceptronCriterion', 'nda_models>Step']
    >>> keras.saving.get_registered_object("nda_models>Step") is Step
    True
"""

import keras

from nda_models.zoo.layers import Step
from nda_models.zoo.loss_classes import (
    HalfSquaredError,
    NegativeLogLikelihood,
    PerceptronCriterion,
)

PACKAGE = "nda_models"


def _registered(*classes):
    """Registers each class under ``"nda_models>ClassName"``; returns the
    ``{registered name: class}`` dict (Keras's ``custom_objects=`` form)."""
    register = keras.saving.register_keras_serializable(package=PACKAGE)
    return {keras.saving.get_registered_name(register(cls)): cls for cls in classes}


#: Every Keras class of the zoo, by its registered name.
CUSTOM_OBJECTS = _registered(
    Step, HalfSquaredError, NegativeLogLikelihood, PerceptronCriterion
)

__all__ = [
    "CUSTOM_OBJECTS",
    "HalfSquaredError",
    "NegativeLogLikelihood",
    "PerceptronCriterion",
    "Step",
]
