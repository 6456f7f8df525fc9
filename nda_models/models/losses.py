"""The lecture's losses, as Keras losses computed in a numerically stable way.

- ``mean_squared_error``: MSELoss(i) = (y_i - y_hat_i)^2 (slide "Loss functions").
- ``binary_crossentropy``: BCELoss(i) = -[y log p + (1 - y) log(1 - p)] with
  p = sigmoid(z), computed from the logit z in one step.
- ``negative_log_likelihood``: NLLLoss(i) = -log softmax_{y_i}(z), read from
  log-probabilities produced by a LogSoftmax layer (never log(softmax(z))).
- ``perceptron_criterion``: Rosenblatt's criterion max(0, -t s) with
  t = 2y - 1 in {-1, +1} and s = Θᵀx + b, so that SGD on it is exactly the
  perceptron learning rule (update by t·x when the point is misclassified).
"""

from nda_models.options import LOSSES


def get_loss(name):
    """Returns a new Keras loss object for one of ``LOSSES``.

    Raises:
        ValueError: if ``name`` is unknown.

    Example:
        >>> loss = get_loss("negative_log_likelihood")
    """
    import keras

    from nda_models.models import loss_classes

    factories = {
        "mean_squared_error": keras.losses.MeanSquaredError,
        "binary_crossentropy": lambda: keras.losses.BinaryCrossentropy(
            from_logits=True
        ),
        "negative_log_likelihood": loss_classes.NegativeLogLikelihood,
        "perceptron_criterion": loss_classes.PerceptronCriterion,
    }
    return factories[LOSSES.check("loss", name)]()
