"""nda_models: a Keras 3 model zoo and readable training loop for the NDA lecture.

Importing the package registers the zoo without importing TensorFlow; the
functions that need TensorFlow import it when called.

Example:
    >>> import nda_models as nda
    >>> nda.list_models()
    ['linear_regressor', 'logistic_neuron', 'mlp_classifier', 'mlp_regressor',
     'perceptron', 'softmax_classifier']
"""

from nda_models import models as _models  # noqa: F401 - registers the zoo
from nda_models.registry import (
    ModelSpec,
    build_model,
    describe_model,
    list_models,
    register_model,
)

__version__ = "0.1.0"

__all__ = [
    "ModelSpec",
    "build_model",
    "describe_model",
    "list_models",
    "register_model",
]
