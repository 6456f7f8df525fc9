"""The one check that an argument is a Keras model, for every part that takes one.

The Trainer, ``save_model`` and ``backprop_trace`` all take a ``keras.Model``
(a zoo model, or any other); only Keras can tell what is one, so Keras is
imported at the first check (``lazy_module``).

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

from nda_models.core.lazy_module import lazy_module

keras = lazy_module("keras")


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
