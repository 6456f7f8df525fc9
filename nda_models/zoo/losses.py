"""The lecture's losses, as Keras losses computed in a numerically stable way.

Every loss is a per-example loss J_i averaged over the mini-batch,
J = (1/M) Σ_i J_i: the mean of the slide "Gradient descent" (J = (1/n) Σ J_i)
and of the (1/M) Σ ∇J_i update of "Mini-batching", never a sum.

- ``mean_squared_error``: MSELoss(i) = (y_i - y_hat_i)^2 (slide "Loss
  functions", Keras's MSE, and the slide "Regression Example" table), the
  default of the regressors. Its gradient is -2(y_i - y_hat_i) x_i.
- ``half_squared_error``: J_i = ½(y_i - y_hat_i)^2, the slide "Least Squares"
  convention (the sum Σ_i J_i over the n examples is the slide's J_RSS), with
  the slide's gradient -(y_i - y_hat_i) x_i: half the MSE gradient, so a
  step size 2η here takes the same steps as η with MSE.
- ``binary_crossentropy``: BCELoss(i) = -[y log p + (1 - y) log(1 - p)] with
  p = sigmoid(z), computed from the logit z in one step.
- ``negative_log_likelihood``: NLLLoss(i) = -log softmax_{y_i}(z), read from
  log-probabilities produced by a LogSoftmax layer (never log(softmax(z))).
- ``perceptron_criterion``: J_i = (ŷ_i - y_i)·s_i with s = Θᵀx + b and the
  step output ŷ = step(s) held constant, so that SGD with M = 1 is exactly
  Rosenblatt's rule Θ <- Θ + η(y - ŷ)x, b <- b + η(y - ŷ) (slide "The
  Perceptron"); J_i = |s_i| on a mistake and 0 otherwise.
"""

from nda_models.core.options import LOSSES


def get_loss(name):
    """Returns a new Keras loss object for one of ``LOSSES``.

    Raises:
        ValueError: if ``name`` is unknown.

    Example:
        >>> loss = get_loss("negative_log_likelihood")
    """
    import keras

    from nda_models.zoo import custom_objects

    factories = {
        "mean_squared_error": keras.losses.MeanSquaredError,
        "half_squared_error": custom_objects.HalfSquaredError,
        "binary_crossentropy": lambda: keras.losses.BinaryCrossentropy(
            from_logits=True
        ),
        "negative_log_likelihood": custom_objects.NegativeLogLikelihood,
        "perceptron_criterion": custom_objects.PerceptronCriterion,
    }
    return factories[LOSSES.check("loss", name)]()


# What each loss is, in words and formulas (read without TensorFlow).
LOSS_DEFINITIONS = {
    "mean_squared_error": (
        "J = (1/M) Σ (y − ŷ)², the batch mean, no ½ (slide 'Loss functions'); "
        "gradients are twice those of the slide 'Least Squares' ½ convention"
    ),
    "half_squared_error": (
        "J = (1/M) Σ ½(y − ŷ)², the batch mean of the slide 'Least Squares' "
        "J_RSS terms, gradient −(y − ŷ)x: half the MSE gradient (η = 2 × η_MSE)"
    ),
    "binary_crossentropy": (
        "J = (1/M) Σ −[y log p + (1 − y) log(1 − p)], p = σ(z), from the logit z"
    ),
    "negative_log_likelihood": (
        "J = (1/M) Σ −log softmax_y(z), read from the LogSoftmax layer"
    ),
    "perceptron_criterion": (
        "J = (1/M) Σ (ŷ − y)·s, ŷ = step(s) held fixed: with M = 1 an SGD step "
        "is Rosenblatt's rule Θ ← Θ + η(y − ŷ)x, b ← b + η(y − ŷ)"
    ),
}


def loss_definition(name):
    """Returns one line saying what the loss ``name`` computes (sum or mean, ½).

    Example:
        >>> loss_definition("half_squared_error")[:24]
        'J = (1/M) Σ ½(y − ŷ)², t'
    """
    return LOSS_DEFINITIONS.get(name, f"the Keras loss {name!r}, batch mean")
