"""The six lecture models; importing this package registers them.

Builders import Keras inside their bodies, so registering (and listing or
describing) the zoo does not import TensorFlow.
"""

from nda_models.models.heads import default_loss, training_view
from nda_models.models.linear import linear_regressor
from nda_models.models.logistic import logistic_neuron
from nda_models.models.losses import LOSSES, get_loss
from nda_models.models.mlp import mlp_classifier, mlp_regressor
from nda_models.models.perceptron import perceptron
from nda_models.models.softmax import softmax_classifier

__all__ = [
    "LOSSES",
    "default_loss",
    "get_loss",
    "linear_regressor",
    "logistic_neuron",
    "mlp_classifier",
    "mlp_regressor",
    "perceptron",
    "softmax_classifier",
    "training_view",
]
