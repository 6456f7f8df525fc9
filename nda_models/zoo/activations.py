"""The hidden-layer activations of the MLP builders (slide "Activation functions").

- ``"relu"``: max(0, z);
- ``"tanh"``: (e^z − e^−z) / (e^z + e^−z), in (−1, 1);
- ``"sigmoid"``: σ(z) = 1 / (1 + e^−z), in (0, 1).

Each name maps to Keras's own function, imported on first use, so that
``nda --help`` lists them without TensorFlow.

Example:
    >>> list(ACTIVATIONS)
    ['relu', 'tanh', 'sigmoid']
"""

from nda_models.core.name_table import Lazy, NameTable

ACTIVATIONS = NameTable(
    {
        "relu": Lazy("keras.activations:relu"),
        "tanh": Lazy("keras.activations:tanh"),
        "sigmoid": Lazy("keras.activations:sigmoid"),
    },
    noun="activation",
)


def get_activation(name):
    """Returns the Keras activation function called ``name``.

    Raises:
        ValueError: for an unknown name (the closest one is suggested).

    Example:
        >>> get_activation("tanh").__name__
        'tanh'
    """
    return ACTIVATIONS.lookup("activation", name).resolve()
