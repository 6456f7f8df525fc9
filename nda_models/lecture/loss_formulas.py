"""The slide "Loss functions" in NumPy: the reference formulas, per example.

- MSELoss(i) = (y_i − ŷ_i)²
- BCELoss(i) = −[y_i log p_i + (1 − y_i) log(1 − p_i)], p_i = σ(z_i)
- NLLLoss(i) = −log softmax_{y_i}(z_i), with log-softmax computed as
  z − logsumexp(z) (the slide's "last layer should be LogSoftmax()").

The slide writes NLLLoss without its minus sign; the loss minimised is the
negative log-likelihood, −log softmax_{y_i}.
"""

import numpy as np


def mean_squared_error(y_true, y_pred):
    """(y − ŷ)² per example."""
    diff = np.asarray(y_true, dtype=np.float64) - np.asarray(y_pred, dtype=np.float64)
    return diff**2


def binary_crossentropy(y_true, logits):
    """−[y log σ(z) + (1 − y) log(1 − σ(z))] per example, from the logit z.

    Uses log σ(z) = −log(1 + e^{−z}) and log(1 − σ(z)) = −log(1 + e^{z}),
    evaluated with ``np.logaddexp`` so no probability is rounded to 0 or 1.
    """
    y = np.asarray(y_true, dtype=np.float64)
    z = np.asarray(logits, dtype=np.float64)
    return y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)


def log_softmax(logits, axis=-1):
    """log softmax(z) = z − log Σ_j e^{z_j}, shifted by max z for stability."""
    z = np.asarray(logits, dtype=np.float64)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def negative_log_likelihood(y_true, logits):
    """−log softmax_{y_i}(z_i) per example; ``y_true`` holds class indices."""
    labels = np.asarray(y_true, dtype=np.int64).reshape(-1)
    logp = log_softmax(logits)
    return -logp[np.arange(labels.size), labels]


#: The zoo's losses in NumPy: name -> ``f(y_true, model output)``, per example.
LOSS_FORMULAS = {
    "mean_squared_error": mean_squared_error,
    "binary_crossentropy": binary_crossentropy,
    "negative_log_likelihood": negative_log_likelihood,
}
