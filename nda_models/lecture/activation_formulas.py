"""The slide "Activation functions" in NumPy: the reference formulas.

ReLU max(0, z); sigmoid 1/(1 + e^{−z}); softmax e^{z_i}/Σ_j e^{z_j};
tanh (e^z − e^{−z})/(e^z + e^{−z}). Written from the formulas (with the usual
max-shift for softmax and the two-branch sigmoid so large |z| do not
overflow), to check the Keras implementations against.
"""

import numpy as np


def relu(z):
    """ReLU: max(0, z), positive values only."""
    return np.maximum(0.0, np.asarray(z, dtype=np.float64))


def sigmoid(z):
    """Sigmoid 1/(1 + e^{−z}) in [0, 1], written with e^{z} for z < 0."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(z, axis=-1):
    """Softmax e^{z_i}/Σ_j e^{z_j} along ``axis``; subtracting max z changes nothing."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def tanh(z):
    """tanh(z) = (e^z − e^{−z})/(e^z + e^{−z}).

    Computed as sign(z)·(1 − e^{−2|z|})/(1 + e^{−2|z|}) so large |z| do not overflow.
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-2.0 * np.abs(z))
    return np.sign(z) * (1.0 - e) / (1.0 + e)


#: The slide's activations in NumPy: name -> ``f(z)``.
ACTIVATIONS = {"relu": relu, "sigmoid": sigmoid, "softmax": softmax, "tanh": tanh}
