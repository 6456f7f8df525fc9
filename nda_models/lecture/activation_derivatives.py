"""Derivatives of the slide's activation functions, written from the formulas.

Lecture: slides "Activation functions" and "Backpropagation" (each block
passes back its local derivative). In NumPy, elementwise:

- ReLU'(z) = 1 if z > 0, 0 if z < 0 (undefined at 0; frameworks use 0);
- σ'(z) = σ(z)(1 − σ(z)), at most 1/4 (at z = 0);
- tanh'(z) = 1 − tanh²(z), at most 1 (at z = 0);

and softmax, a vector function, has the Jacobian
∂p_i/∂z_j = p_i(δ_ij − p_j), i.e. J = diag(p) − p pᵀ (rows sum to 0).
"""

import numpy as np

from nda_models.lecture.activation_formulas import sigmoid, softmax, tanh


def relu_derivative(z):
    """ReLU'(z): 1 where z > 0, else 0 (the value frameworks take at z = 0)."""
    return (np.asarray(z, dtype=np.float64) > 0).astype(np.float64)


def sigmoid_derivative(z):
    """σ'(z) = σ(z)(1 − σ(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh_derivative(z):
    """tanh'(z) = 1 − tanh²(z)."""
    return 1.0 - tanh(z) ** 2


def softmax_jacobian(z):
    """The Jacobian diag(p) − p pᵀ of p = softmax(z), for one vector z (k,).

    Returns:
        A (k, k) array J with J[i, j] = ∂p_i/∂z_j.

    Example:
        >>> softmax_jacobian(np.zeros(2))
        array([[ 0.25, -0.25],
               [-0.25,  0.25]])
    """
    p = softmax(np.asarray(z, dtype=np.float64))
    return np.diag(p) - np.outer(p, p)


DERIVATIVES = {
    "relu": relu_derivative,
    "sigmoid": sigmoid_derivative,
    "tanh": tanh_derivative,
}
