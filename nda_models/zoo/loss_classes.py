"""Keras loss classes the lecture needs and Keras does not ship.

Registered with Keras by ``nda_models.zoo.custom_objects`` (import them from
there); imported only when a loss is built, since it imports Keras.
"""

import keras
from keras import ops


class NegativeLogLikelihood(keras.losses.Loss):
    """NLL of integer class labels under log-probabilities (PyTorch's NLLLoss).

    ``loss_i = -log_probs[i, y_i]``, averaged over the batch. Pair it with a
    LogSoftmax output, as the lecture's slide "Loss functions" says; its
    gradient with respect to the logits is then ``softmax(z) - one_hot(y)``.

    Example:
        >>> round(float(NegativeLogLikelihood()([0], [[-0.1, -2.4]])), 4)
        0.1
    """

    def __init__(self, name="negative_log_likelihood", reduction="sum_over_batch_size"):
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true, y_pred):
        labels = ops.cast(ops.reshape(y_true, (-1,)), "int32")
        picked = ops.take_along_axis(y_pred, ops.expand_dims(labels, -1), axis=-1)
        return -ops.squeeze(picked, axis=-1)


class HalfSquaredError(keras.losses.Loss):
    """½(y - ŷ)², averaged over the batch: the slide "Least Squares" convention.

    ``loss_i = 0.5 * (y_i - y_pred_i)**2``; its gradient with respect to the
    prediction is ``-(y_i - y_pred_i)``, so for ŷ = Θᵀx + b the per-example
    gradient is the slide's -(y_i - Θᵀx_i - b)·(x_i, 1), half of Keras's
    ``MeanSquaredError``. The batch mean of it is (1/M) Σ J_i, as in the
    slide "Mini-batching"; n times it is the slide's sum J_RSS.

    Example:
        >>> float(HalfSquaredError()([[1.0]], [[3.0]]))  # ½·(1 − 3)² = 2
        2.0
    """

    def __init__(self, name="half_squared_error", reduction="sum_over_batch_size"):
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true, y_pred):
        y_pred = ops.convert_to_tensor(y_pred)
        y_true = ops.cast(ops.reshape(y_true, ops.shape(y_pred)), y_pred.dtype)
        return 0.5 * ops.mean(ops.square(y_true - y_pred), axis=-1)


class PerceptronCriterion(keras.losses.Loss):
    """Rosenblatt's perceptron rule as a loss on scores, labels in {0, 1}.

    With score s = Θᵀx + b and the step output ŷ = step(s) = 1 if s > 0 else
    0 (the model's ``Step`` layer), ``loss = (ŷ - y)·s`` with ŷ held constant
    for backprop. Its gradient is -(y - ŷ)·x for Θ and -(y - ŷ) for b, so an
    SGD step of size η on one example is the perceptron rule
    Θ <- Θ + η(y - ŷ)x, b <- b + η(y - ŷ): nothing moves when ŷ = y,
    including a point on the boundary (s = 0, ŷ = 0) with label 0. The loss is
    |s| on a mistake and 0 otherwise (Rosenblatt's criterion).

    Example:
        >>> float(PerceptronCriterion()([1], [[-2.0]]))  # a mistake: loss |s| = 2
        2.0
    """

    def __init__(self, name="perceptron_criterion", reduction="sum_over_batch_size"):
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true, y_pred):
        scores = ops.reshape(y_pred, (-1,))
        labels = ops.cast(ops.reshape(y_true, (-1,)), scores.dtype)
        # ŷ = step(s), the perceptron's own output; a constant for backprop.
        decisions = ops.stop_gradient(ops.cast(scores > 0.0, scores.dtype))
        return (decisions - labels) * scores
