"""Keras loss classes the lecture needs and Keras does not ship.

Imported only when a loss is built, since it imports Keras.
"""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="nda_models")
class NegativeLogLikelihood(keras.losses.Loss):
    """NLL of integer class labels under log-probabilities (PyTorch's NLLLoss).

    ``loss_i = -log_probs[i, y_i]``, averaged over the batch. Pair it with a
    LogSoftmax output, as the lecture's slide "Loss functions" says; its
    gradient with respect to the logits is then ``softmax(z) - one_hot(y)``.

    Example:
        >>> NegativeLogLikelihood()([0], [[-0.1, -2.4]])
    """

    def __init__(self, name="negative_log_likelihood", reduction="sum_over_batch_size"):
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true, y_pred):
        labels = ops.cast(ops.reshape(y_true, (-1,)), "int32")
        picked = ops.take_along_axis(y_pred, ops.expand_dims(labels, -1), axis=-1)
        return -ops.squeeze(picked, axis=-1)


@keras.saving.register_keras_serializable(package="nda_models")
class PerceptronCriterion(keras.losses.Loss):
    """Rosenblatt's perceptron criterion on scores, labels in {0, 1}.

    With t = 2y - 1 and score s = Θᵀx + b: ``loss = max(0, -t·s)``. The
    gradient is ``-t·x`` for a point with t·s <= 0 (misclassified or on the
    boundary, as in scikit-learn's Perceptron) and 0 otherwise, so an SGD step
    of size η is the perceptron rule Θ <- Θ + η·t·x on mistakes.
    """

    def __init__(self, name="perceptron_criterion", reduction="sum_over_batch_size"):
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true, y_pred):
        scores = ops.reshape(y_pred, (-1,))
        signs = 2.0 * ops.cast(ops.reshape(y_true, (-1,)), scores.dtype) - 1.0
        margins = signs * scores
        # The mistake mask is a constant for backprop: points on the boundary
        # (t·s = 0, e.g. at zero weights) still get the update t·x.
        mistakes = ops.stop_gradient(ops.cast(margins <= 0.0, scores.dtype))
        return -margins * mistakes
