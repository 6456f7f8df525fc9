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

import dataclasses

from nda_models.core.name_table import Lazy, NameTable


@dataclasses.dataclass(frozen=True)
class Loss:
    """One loss of the table.

    Attributes:
        build: Returns a new Keras loss object (Keras is imported on the
            first call, so the table itself imports nothing).
        definition: What it computes, in one line (read without TensorFlow).
    """

    build: object
    definition: str


#: The lecture's losses: name -> how to build it and what it computes.
LOSSES = NameTable(
    {
        "mean_squared_error": Loss(
            Lazy("keras.losses:MeanSquaredError"),
            "J = (1/M) Σ (y − ŷ)², the batch mean, no ½ (slide 'Loss functions'); "
            "gradients are twice those of the slide 'Least Squares' ½ convention",
        ),
        "half_squared_error": Loss(
            Lazy("nda_models.zoo.custom_objects:HalfSquaredError"),
            "J = (1/M) Σ ½(y − ŷ)², the batch mean of the slide 'Least Squares' "
            "J_RSS terms, gradient −(y − ŷ)x: half the MSE gradient (η = 2 × η_MSE)",
        ),
        "binary_crossentropy": Loss(
            Lazy("keras.losses:BinaryCrossentropy", from_logits=True),
            "J = (1/M) Σ −[y log p + (1 − y) log(1 − p)], p = σ(z), from the logit z",
        ),
        "negative_log_likelihood": Loss(
            Lazy("nda_models.zoo.custom_objects:NegativeLogLikelihood"),
            "J = (1/M) Σ −log softmax_y(z), read from the LogSoftmax layer",
        ),
        "perceptron_criterion": Loss(
            Lazy("nda_models.zoo.custom_objects:PerceptronCriterion"),
            "J = (1/M) Σ (ŷ − y)·s, ŷ = step(s) held fixed: with M = 1 an SGD step "
            "is Rosenblatt's rule Θ ← Θ + η(y − ŷ)x, b ← b + η(y − ŷ)",
        ),
    },
    noun="loss",
)


def get_loss(name):
    """Returns a new Keras loss object for one of ``LOSSES``.

    Raises:
        ValueError: if ``name`` is unknown (the losses are listed and the
            closest suggested).

    Example:
        >>> type(get_loss("negative_log_likelihood")).__name__
        'NegativeLogLikelihood'
    """
    return LOSSES.lookup("loss", name).build()


def loss_definition(name):
    """Returns one line saying what the loss ``name`` computes (sum or mean, ½).

    Any other name is a Keras loss, a batch mean too.

    Example:
        >>> loss_definition("half_squared_error")[:24]
        'J = (1/M) Σ ½(y − ŷ)², t'
    """
    if name in LOSSES:
        return LOSSES.lookup("loss", name).definition
    return f"the Keras loss {name!r}, batch mean"
