"""The one check that an argument is a Keras model, for every part that takes one.

The Trainer, ``save_model`` and ``backprop_trace`` all take a ``keras.Model``
(a zoo model, or any other); only Keras can tell what is one. Imports Keras:
import it where TensorFlow is needed anyway.

Example:
    >>> model = nda.build_model("perceptron", input_dim=2)
    >>> check_keras_model(model, functional=True) is model
    True
    >>> check_keras_model("perceptron")
    Traceback (most recent call last):
    ...
    TypeError: `model` must be a keras.Model, e.g. nda.build_model('perceptron', \
input_dim=2). Received: model of type str
"""

import keras


def check_keras_model(model, *, functional=False):
    """Returns ``model`` if it is a ``keras.Model``, else raises.

    Args:
        model: The argument.
        functional: Also require a functional model (one built on
            ``keras.Input``, with ``model.input``), whose layers can be
            walked from input to output.

    Raises:
        TypeError: naming what was received instead.
    """
    if isinstance(model, keras.Model) and (hasattr(model, "input") or not functional):
        return model
    kind = (
        "a functional keras.Model (built on keras.Input)"
        if functional
        else ("a keras.Model")
    )
    raise TypeError(
        f"`model` must be {kind}, e.g. nda.build_model('perceptron', input_dim=2). "
        f"Received: model of type {type(model).__name__}"
    )
