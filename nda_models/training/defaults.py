"""The ``Trainer``'s defaults, defined once.

``Trainer.__init__`` takes its defaults from this table, the options that
default to ``None`` ("not given") fall back to it where they apply (see
``unused_arguments.py``), and the command line and the recipes read it
(``workflows/recipes.py``), so no default is written twice. Importing this
module imports no TensorFlow.

Example:
    >>> TRAINER_DEFAULTS["learning_rate"], TRAINER_DEFAULTS["batch_size"]
    (0.01, 32)
    >>> TRAINER_DEFAULTS["schedule"]  # what schedule=None means
    'constant'
"""

import types

TRAINER_DEFAULTS = types.MappingProxyType(
    {
        "optimizer": "sgd",
        "learning_rate": 0.01,  # η, or η_0 of a decaying schedule
        "batch_size": 32,  # M
        "sampling": "permutation",
        "schedule": "constant",
        "momentum": 0.9,  # μ of optimizer="momentum"
        "tau": 100.0,  # τ of schedule="robbins_monro"
        "power": 1.0,  # p of schedule="robbins_monro"
        "log_every": 10,  # steps between TensorBoard writes
        "divergence_factor": 1e4,
    }
)
