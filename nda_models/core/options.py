"""The named choices of the package, defined once.

The command line (``choices=``), the workflows and the checks of the
Trainer and the builders all read these ``Options``, so a new optimizer or
activation is added in one place. Importing this module imports no
TensorFlow (``nda --help`` lists the choices).

Example:
    >>> list(OPTIMIZERS)
    ['sgd', 'momentum', 'adam']
    >>> SAMPLINGS.check("sampling", "uniform")
    'uniform'
"""

from nda_models.core.constraints import Options

#: The lecture's update rules (see ``training/loop/optimizers.py``).
OPTIMIZERS = Options(
    ("sgd", "momentum", "adam"),
    noun="optimizer",
    alternatives=" or a keras.optimizers.Optimizer",
)

#: How mini-batch indices are drawn (slide "Sampling methods").
SAMPLINGS = Options(
    ("permutation", "preshuffle", "uniform"),
    noun="sampling",
    meaning=": 'permutation' reshuffles each epoch and draws without replacement, "
    "'preshuffle' shuffles once and sweeps that order every epoch, "
    "'uniform' draws indices with replacement",
)

#: Learning-rate schedules η_t (slide "Basic gradient descent").
SCHEDULES = Options(
    ("constant", "robbins_monro"),
    noun="schedule",
    alternatives=" or a keras.optimizers.schedules.LearningRateSchedule",
    allow_none=True,
)

#: Hidden-layer activations of the MLP builders.
ACTIVATIONS = Options(("relu", "tanh", "sigmoid"), noun="activation")

#: Metrics the fused loop can sum per batch (Keras's names).
METRICS = Options(("accuracy", "mean_absolute_error"), noun="metric")

#: The lecture's losses (see ``zoo/losses.py``).
LOSSES = Options(
    (
        "mean_squared_error",
        "half_squared_error",
        "binary_crossentropy",
        "negative_log_likelihood",
        "perceptron_criterion",
    ),
    noun="loss",
)

#: The two modes of automatic differentiation.
AUTODIFF_MODES = Options(("forward", "reverse"), noun="autodiff mode")

#: Model tasks of the registry.
TASKS = Options(("regression", "binary", "multiclass"), noun="task")

#: ``verbose=`` of ``fit``, as in Keras ("auto" means 1).
VERBOSITIES = Options(
    (0, 1, 2, "auto"),
    noun="verbose level",
    meaning=": 0 silent, 1 progress bar, 2 one line per epoch, 'auto' means 1",
)
