"""The one ``Trainer`` argument no declarative constraint can describe: the model.

Numbers and names are checked with ``nda_models.core.constraints``; a model must
be a built, single-input ``keras.Model``, which only Keras can tell.
"""


def check_model(model):
    """Returns the model's input dimension d; the model must be a built
    single-input ``keras.Model`` taking (n, d) features."""
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(
            "`model` must be a keras.Model, e.g. nda.build_model('linear_regressor',"
            f" input_dim=2). Received: model of type {type(model).__name__}"
        )
    try:
        shape = model.input_shape
    except (AttributeError, ValueError):
        shape = None
    if not (isinstance(shape, tuple) and len(shape) == 2 and shape[1]):
        raise ValueError(
            "`model` must be a built keras.Model with one input of shape "
            f"(batch, input_dim). Received: input_shape={shape!r}"
        )
    return int(shape[1])
