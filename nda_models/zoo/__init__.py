"""The six lecture models; importing this package registers them.

Builders name Keras with ``lazy_module`` (imported at the first build), so
registering (and listing or describing) the zoo does not import TensorFlow.
"""

from nda_models.zoo.heads import default_loss, training_view
from nda_models.zoo.linear import linear_regressor
from nda_models.zoo.logistic import logistic_neuron
from nda_models.zoo.losses import LOSSES, get_loss
from nda_models.zoo.mlp import mlp_classifier, mlp_regressor
from nda_models.zoo.perceptron import perceptron
from nda_models.zoo.softmax import softmax_classifier

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
