"""``NDARegressor``: the zoo's regressors as a scikit-learn estimator."""

import numpy as np
from sklearn.base import RegressorMixin

from nda_models.sklearn.estimator import NDAEstimator


class NDARegressor(RegressorMixin, NDAEstimator):
    """A zoo regressor trained by the lecture's loop, as a scikit-learn estimator.

    ``fit`` builds ``model`` (``"linear_regressor"``, the default, or
    ``"mlp_regressor"``) with ``input_dim`` = the number of columns of X and
    trains it on the mean squared error with ``nda.Trainer``: mini-batches of
    ``batch_size`` (M), step ``learning_rate`` (η). Defaults follow
    scikit-learn's ``MLPRegressor`` (Adam, η = 0.001, M = 200, 200 epochs);
    ``optimizer="sgd", batch_size=1`` is ``SGDRegressor``'s plain SGD. The
    target is not rescaled (as in scikit-learn); scale the features in a
    Pipeline (``make_pipeline(StandardScaler(), reg)``).

    Args:
        model: ``"linear_regressor"`` or ``"mlp_regressor"``.
        epochs: Passes over the training data per ``fit``.
        batch_size: M; larger than n means full-batch gradient descent.
        learning_rate: η (η_0 of a schedule).
        optimizer: ``"sgd"``, ``"momentum"`` or ``"adam"``.
        sampling: ``"permutation"`` or ``"uniform"`` (see ``nda.Trainer``).
        schedule: ``None``, ``"robbins_monro"`` or a Keras schedule.
        random_state: Seeds the initial weights, dropout, the mini-batch
            order and the validation split (``int``, ``None``,
            ``RandomState`` or ``Generator``; see ``random_state.py``): the
            same ``int``, the same fitted model; ``None`` draws from NumPy's
            global generator, so fits differ, as in scikit-learn.
        validation_fraction: Share of the training data held out when
            ``early_stopping`` is True.
        early_stopping: Stop when the validation loss has not improved for
            ``n_iter_no_change`` epochs, and keep the best weights.
        n_iter_no_change: Patience of early stopping, in epochs.
        warm_start: ``fit`` continues from the fitted model.
        verbose: 0 silent, 1 progress bar, 2 one line per epoch.
        seed: Deprecated alias of ``random_state`` (a ``FutureWarning``).
        **model_hparams: Options of the model's builder, e.g.
            ``hidden_units=(32,)`` or ``l2=1e-4`` for ``"mlp_regressor"``.

    Attributes:
        model_, trainer_, history_, loss_curve_, loss_, n_iter_,
        n_features_in_, feature_names_in_: as for ``NDAClassifier``.

    Example:
        >>> from sklearn.datasets import make_regression
        >>> X, y = make_regression(n_samples=200, n_features=3, random_state=0)
        >>> reg = NDARegressor(learning_rate=0.1, batch_size=16, random_state=0)
        >>> reg.fit(X, y).score(X, y) > 0.99
        True
    """

    TASKS = ("regression",)

    def __init__(self, model="linear_regressor", *, epochs=200, batch_size=200,
                 learning_rate=0.001, optimizer="adam", sampling="permutation",
                 schedule=None, random_state=None, validation_fraction=0.1,
                 early_stopping=False, n_iter_no_change=10, warm_start=False,
                 verbose=0, seed="deprecated", **model_hparams):  # fmt: skip
        self.model = model
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.optimizer = optimizer
        self.sampling = sampling
        self.schedule = schedule
        self.random_state = random_state
        self.validation_fraction = validation_fraction
        self.early_stopping = early_stopping
        self.n_iter_no_change = n_iter_no_change
        self.warm_start = warm_start
        self.verbose = verbose
        self.seed = seed
        self._model_hparams = model_hparams

    def partial_fit(self, X, y):
        """Trains one more epoch on the same model (building it on the first call).

        Returns:
            The estimator.
        """
        return self._partial_fit(X, y)

    def predict(self, X):
        """Returns the predicted values, shape (n_samples,)."""
        return self._outputs(X)[:, 0]

    def _training_targets(self, y, first_fit, classes=None, partial=False):
        return np.asarray(y, dtype=np.float32)

    def _builder_options(self):
        return {}
