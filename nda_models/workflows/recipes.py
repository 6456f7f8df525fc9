"""Each zoo model's lecture recipe: its dataset and training hyper-parameters.

These are the defaults of ``nda train NAME`` and what ``make demo`` runs;
every value can be overridden on the command line or in Python.
"""

import types

from nda_models.training.defaults import TRAINER_DEFAULTS as TRAINER

#: Each zoo model's recipe: model name -> dataset and Trainer options.
RECIPES = types.MappingProxyType(
    {
        # Slide "Mini-batch convergence example": y = 5 + 2·x1 − 3·x2 + ε.
        "linear_regressor": dict(
            dataset="linear_synthetic",
            optimizer="sgd",
            learning_rate=0.05,
            batch_size=32,
            epochs=20,
            normalize=False,
        ),
        # Slides "Simple artificial neuron" and "Logistic Regression".
        "logistic_neuron": dict(
            dataset="iris_setosa",
            optimizer="sgd",
            learning_rate=0.1,
            batch_size=8,
            epochs=30,
            normalize=True,
        ),
        # Slide "Perceptron Example": petal length and width, setosa or not.
        "perceptron": dict(
            dataset="iris_setosa",
            optimizer="sgd",
            learning_rate=0.1,
            batch_size=1,
            epochs=10,
            normalize=True,
        ),
        # Slide "Loss functions", c classes: NLL with LogSoftmax.
        "softmax_classifier": dict(
            dataset="iris",
            optimizer="sgd",
            learning_rate=0.1,
            batch_size=16,
            epochs=60,
            normalize=True,
        ),
        # Slide "Hidden Layers (Regression)".
        "mlp_regressor": dict(
            dataset="diabetes",
            optimizer="adam",
            learning_rate=0.01,
            batch_size=32,
            epochs=60,
            normalize=True,
        ),
        # Slide "Hidden Layers (Classification)". At this step size the
        # validation loss still falls at the last epoch (a larger one fits the
        # 1078 training images perfectly within 10 epochs, then val_loss rises).
        "mlp_classifier": dict(
            dataset="digits",
            optimizer="adam",
            learning_rate=0.001,
            batch_size=64,
            epochs=20,
            normalize=True,
        ),
    }
)

DEFAULT_RECIPE = types.MappingProxyType(
    {
        **{key: TRAINER[key] for key in ("optimizer", "learning_rate", "batch_size")},
        "epochs": 20,
        "normalize": True,
    }  # fmt: skip
)


def recipe_for(model_name):
    """Returns a fresh dict of the recipe for ``model_name`` (a default if none)."""
    return dict(RECIPES.get(model_name, DEFAULT_RECIPE))


# The Trainer's own defaults for what no recipe sets (training/defaults.py).
TRAINER_DEFAULTS = types.MappingProxyType(
    {key: TRAINER[key] for key in ("sampling", "schedule", "momentum", "tau", "power")}
)


def training_defaults(model_name):
    """Every training default of ``nda train model_name``: recipe + Trainer's.

    Example:
        >>> training_defaults("perceptron")["batch_size"]
        1
    """
    merged = {**TRAINER_DEFAULTS, **recipe_for(model_name)}
    return {key: merged[key] for key in sorted(merged, key=_position)}


_ORDER = ("dataset", "epochs", "batch_size", "learning_rate", "optimizer",
          "momentum", "schedule", "tau", "power", "sampling", "normalize")  # fmt: skip


def _position(key):
    return _ORDER.index(key) if key in _ORDER else len(_ORDER)
