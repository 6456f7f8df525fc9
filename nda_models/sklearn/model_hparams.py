"""Model hyper-parameters as scikit-learn parameters (``get_params``/``set_params``).

A zoo builder's own options (``hidden_units``, ``activation``, ``dropout``,
``l2``, ...) are passed to the estimator as keyword arguments and become
ordinary scikit-learn parameters: ``set_params(hidden_units=(32,))`` and a
``GridSearchCV`` grid ``{"hidden_units": [(16,), (64,)]}`` work, and
``clone`` copies them.

scikit-learn reads an estimator's parameters from its ``__init__`` signature
and skips ``**kwargs``, so the estimator keeps the builder options it was
given in one private dict and ``get_params`` adds them to the signature's.
``get_params`` lists the options that were set; the others keep the
builder's defaults (``nda.describe_model(model).defaults``).
"""

from nda_models.core.suggestions import did_you_mean
from nda_models.zoo.registry import describe_model, list_models

# Builder arguments the estimator sets itself: the first two from the data,
# ``seed`` from its ``random_state``, ``normalization`` from the training data
# (``standardize``).
INFERRED = {
    "input_dim": "it is the number of columns of X",
    "num_classes": "it is the number of classes in y",
    "seed": "the estimator's `random_state` seeds the builder",
    "normalization": "with standardize=True (the default) it is fitted on the "
    "training data, as a StandardScaler in front of the estimator would be",
}


def model_options(model_name):
    """Returns the builder options of ``model_name`` an estimator may set."""
    defaults = describe_model(model_name).defaults
    return sorted(name for name in defaults if name not in INFERRED)


def check_model_hparams(model_name, hparams):
    """Raises ``ValueError`` unless every key of ``hparams`` is a builder option.

    Args:
        model_name: Registry key of the estimator's model.
        hparams: The model hyper-parameters given to the estimator.
    """
    options = model_options(model_name)
    for name in hparams:
        if name in INFERRED:
            raise ValueError(
                f"`{name}` cannot be set on the estimator: {INFERRED[name]}. "
                f"Received: {name}={hparams[name]!r}"
            )
        if name not in options:
            hint = did_you_mean(name, options)
            raise ValueError(
                f"Invalid parameter {name!r} for model {model_name!r}.{hint} Its "
                f"hyper-parameters are {options}; the estimator's own parameters "
                f"are listed by get_params(). Received: {name}={hparams[name]!r}"
            )


def _registered(model_name):
    return isinstance(model_name, str) and model_name in list_models()


class ModelHyperparameters:
    """Mixin that adds the model's builder options to scikit-learn's parameters.

    The estimator's ``__init__`` stores its ``**model_hparams`` in
    ``self._model_hparams``; this mixin must come before ``BaseEstimator``
    in the class bases.
    """

    def get_params(self, deep=True):
        """Returns the estimator's parameters and the model options set on it.

        Args:
            deep: Ignored (the estimator contains no other estimator); kept
                for scikit-learn's signature.

        Returns:
            A dict of parameter name to value.
        """
        params = super().get_params(deep=deep)
        params.update(self._model_hparams)
        return params

    def set_params(self, **params):
        """Sets estimator parameters and model hyper-parameters by name.

        ``model`` is set first, so one call may switch the model and set its
        options (as a ``GridSearchCV`` grid point does).

        Returns:
            The estimator.

        Raises:
            ValueError: for a name that is neither an estimator parameter nor
                an option of the model's builder.
        """
        if "model" in params:
            super().set_params(model=params.pop("model"))
        own = set(self._get_param_names())
        hparams = {name: params.pop(name) for name in list(params) if name not in own}
        super().set_params(**params)
        if hparams and _registered(self.model):
            # With an unknown model name, fit reports the name (and the options).
            check_model_hparams(self.model, hparams)
        self._model_hparams.update(hparams)
        return self
