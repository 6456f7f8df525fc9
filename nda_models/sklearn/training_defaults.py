"""The estimators' ``"auto"`` training options, per zoo model, and why.

``optimizer``, ``learning_rate``, ``batch_size``, ``epochs``, ``tol``,
``n_iter_no_change`` (and ``NDARegressor``'s ``early_stopping``) default to
``"auto"``: the value in ``DEFAULTS`` for the estimator's ``model``, chosen
so that the default estimator does what a scikit-learn user expects of the
scikit-learn estimator it stands for, at that estimator's defaults (see
``tests/test_sklearn_defaults.py`` for the side-by-side scores). Every fit
standardises the features inside the model (``standardize=True``) and the
regressors learn the standardised target, so one learning rate serves data
of any scale. Training stops earlier when the loss stops improving (``tol``,
``n_iter_no_change``): ``epochs`` is the most it runs. ``mlp_regressor``
alone stops on a held-out validation split and keeps its best weights
(``early_stopping``): measured on diabetes, the Friedman problems and
linnerud (``benchmarks/bench_mlp_regressor_defaults.py``), it overfits
small noisy data otherwise, where the other models do not.

Example:
    >>> auto = dict.fromkeys(AUTO, "auto")
    >>> options = resolve_training_options("mlp_classifier", auto, 150)
    >>> options["optimizer"], options["learning_rate"], options["batch_size"]
    ('adam', 0.003, 150)
    >>> resolve_training_options("mlp_regressor", auto, 150)["early_stopping"]
    True
"""

import dataclasses

AUTO = ("optimizer", "learning_rate", "batch_size", "epochs", "tol",
        "n_iter_no_change", "early_stopping")  # fmt: skip
# batch_size "auto" of the Adam-trained models: scikit-learn's MLP rule.
MLP_BATCH = 200
# early_stopping "auto" holds out a validation split only from this many rows
# (validation_fraction 0.1: one row to validate on, nine to train on); a
# smaller fit watches the training loss.
EARLY_STOPPING_ROWS = 10


@dataclasses.dataclass(frozen=True)
class TrainingDefaults:
    """The ``"auto"`` values of one model.

    Attributes:
        optimizer: Optimizer name.
        learning_rate: η.
        batch_size: M, or ``None`` for min(200, n_samples) (scikit-learn's
            ``MLPClassifier`` rule).
        epochs: The most epochs a fit runs.
        tol: The least improvement of the loss that counts.
        n_iter_no_change: Epochs without it before training stops.
        early_stopping: Watch the loss of a held-out ``validation_fraction``
            and keep the best weights (from ``EARLY_STOPPING_ROWS`` rows).
        peer: The scikit-learn estimator whose defaults these stand for.
        reason: Why, in one sentence.
    """

    optimizer: str
    learning_rate: float
    batch_size: int | None
    epochs: int
    tol: float
    n_iter_no_change: int
    early_stopping: bool
    peer: str
    reason: str


DEFAULTS = {
    "linear_regressor": TrainingDefaults(
        "sgd",
        0.01,
        32,
        100,
        1e-3,
        5,
        False,
        "SGDRegressor",
        "plain mini-batch SGD on the (convex) least-squares loss of "
        "standardised features and target converges in a few dozen epochs; "
        "SGDRegressor's tol and patience",
    ),
    "mlp_regressor": TrainingDefaults(
        "adam",
        0.003,
        None,
        200,
        1e-4,
        20,
        True,
        "MLPRegressor",
        "MLPRegressor's Adam, batch rule, tol and 200 epochs at most, η three "
        "times its 0.001; on small noisy data (diabetes: R² -0.04 at 100 "
        "epochs of the training loss) it overfits, so it stops on the loss "
        "of a held-out 10 % and keeps the best weights (MLPRegressor's "
        "early_stopping, with patience 20: the best epoch is kept, so waiting "
        "longer costs time, not fit)",
    ),
    "logistic_neuron": TrainingDefaults(
        "adam",
        0.01,
        32,
        100,
        1e-3,
        5,
        False,
        "LogisticRegression",
        "Adam on the (convex) cross-entropy: robust to the features' scale and "
        "correlation where plain SGD needs a tuned η; SGDClassifier's tol "
        "and patience",
    ),
    "perceptron": TrainingDefaults(
        "sgd",
        1.0,
        1,
        100,
        1e-3,
        5,
        False,
        "Perceptron",
        "Rosenblatt's rule, as scikit-learn's Perceptron: one example per "
        "step, η = 1 (from zero weights any η gives the same decisions), its "
        "tol and patience",
    ),
    "softmax_classifier": TrainingDefaults(
        "adam",
        0.01,
        32,
        100,
        1e-3,
        5,
        False,
        "LogisticRegression",
        "Adam on the (convex) multinomial cross-entropy, as for logistic_neuron",
    ),
    "mlp_classifier": TrainingDefaults(
        "adam",
        0.003,
        None,
        100,
        1e-4,
        10,
        False,
        "MLPClassifier",
        "MLPClassifier's Adam, batch rule, tol and patience; η three times its "
        "0.001 reaches the same scores in half its 200 epochs",
    ),
}
# A model registered by a plugin: the MLP rules, safe for any network.
FALLBACK = dataclasses.replace(
    DEFAULTS["mlp_classifier"], peer="MLPClassifier",
    reason="a model outside the zoo's six: scikit-learn's MLP defaults",
)  # fmt: skip


def defaults_of(model_name):
    """The ``TrainingDefaults`` of ``model_name`` (``FALLBACK`` if not a zoo model)."""
    return DEFAULTS.get(model_name, FALLBACK)


def resolve_training_options(model_name, options, n_samples):
    """Replaces each ``"auto"`` in ``options`` by the model's default.

    Args:
        model_name: Registry key of the estimator's model.
        options: ``{name: value}`` for the names in ``AUTO``.
        n_samples: Rows of training data (for ``batch_size="auto"``).

    Returns:
        A new dict with every ``"auto"`` resolved.
    """
    defaults = defaults_of(model_name)
    resolved = {}
    for name in AUTO:
        value = options[name]
        if isinstance(value, str) and value == "auto":
            value = getattr(defaults, name)
            if name == "batch_size" and value is None:
                value = max(1, min(MLP_BATCH, n_samples))
            if name == "learning_rate" and not isinstance(resolved["optimizer"], str):
                value = None  # a Keras optimizer object keeps its own rate
            if name == "early_stopping" and n_samples < EARLY_STOPPING_ROWS:
                value = False  # no rows to spare for a validation split
        resolved[name] = value
    return resolved
