"""``NDARegressor``: the zoo's regressors as a scikit-learn estimator."""

import numpy as np
from sklearn.base import RegressorMixin

from nda_models.sklearn import target_scaling
from nda_models.sklearn.estimator import NDAEstimator


class NDARegressor(RegressorMixin, NDAEstimator):
    """A zoo regressor trained by the lecture's loop, as a scikit-learn estimator.

    ``fit`` builds ``model`` (``"linear_regressor"``, the default, or
    ``"mlp_regressor"``) with ``input_dim`` = the number of columns of X and
    the features standardised inside it (``standardize=True``), and trains
    it on the mean squared error with ``nda.Trainer``: mini-batches of
    ``batch_size`` (M), step ``learning_rate`` (η). It learns the
    standardised target (y − ȳ) / s_y and folds s_y and ȳ into the model's
    linear output layer afterwards (see ``target_scaling``), so η, ``tol``
    and the defaults work for y of any scale, and ``model_`` and its bundle
    output y itself. ``history_`` is in y's units (the loss × s_y²).
    ``standardize=False`` trains on X and y as given: the lecture's loop on
    the raw mean squared error.

    The ``"auto"`` training options, per model (see ``training_defaults``):

    ====================  ====  =====  ===========  ======  =========  =====  ======
    model                 opt.  η      M            epochs  tol, wait  early  peer
    ====================  ====  =====  ===========  ======  =========  =====  ======
    ``linear_regressor``  sgd   0.01   32           100     1e-3, 5    no     SGDR.
    ``mlp_regressor``     adam  0.003  min(200, n)  200     1e-4, 20   yes    MLPR.
    ====================  ====  =====  ===========  ======  =========  =====  ======

    (opt. = ``optimizer``, SGDR. = ``SGDRegressor``, MLPR. =
    ``MLPRegressor``.)

    ``early_stopping="auto"`` (early) is ``True`` for ``mlp_regressor`` from
    10 rows on: it holds out ``validation_fraction`` (10 %) of the rows,
    stops once their loss has not improved by ``tol`` for ``wait`` epochs
    and keeps the weights of the best epoch, as ``MLPRegressor(
    early_stopping=True)`` does. Without it the (64, 64) network overfits
    small noisy data: on diabetes (a random quarter held out, seeds 0-4)
    its R² was 0.15 on average, -0.12 at worst, against 0.41 with it
    (MLPRegressor with X and y standardised: 0.37; LinearRegression: 0.43;
    ``benchmarks/README.md``). ``early_stopping=False`` trains on every row
    and watches the training loss. ``l2=1e-3`` (weight decay, not a
    default: it is the builder's option) measured better or equal on every
    problem there, most on the Friedman problems.

    The other arguments (``epochs``, ``batch_size``, ``learning_rate``,
    ``optimizer``, ``sampling``, ``schedule``, ``standardize``, ``tol``,
    ``n_iter_no_change``, ``early_stopping``, ``validation_fraction``,
    ``random_state``, ``warm_start``, ``verbose``, ``seed``) and the
    attributes (``model_``, ``history_``, ``loss_curve_``, ``loss_``,
    ``n_iter_``, ``n_features_in_``, ``feature_names_in_``) are as for
    ``NDAClassifier``; the validation split is not stratified.

    Args:
        model: ``"linear_regressor"`` or ``"mlp_regressor"``.
        **model_hparams: Options of the model's builder, e.g.
            ``hidden_units=(32,)`` or ``l2=1e-4`` for ``"mlp_regressor"``.

    Example:
        >>> from sklearn.datasets import make_regression
        >>> X, y = make_regression(n_samples=200, n_features=3, random_state=0)
        >>> reg = NDARegressor(random_state=0)
        >>> reg.fit(X, y).score(X, y) > 0.99
        True
    """

    TASKS = ("regression",)

    def __init__(self, model="linear_regressor", *, epochs="auto", batch_size="auto",
                 learning_rate="auto", optimizer="auto", sampling="permutation",
                 schedule=None, standardize=True, tol="auto", n_iter_no_change="auto",
                 early_stopping="auto", validation_fraction=0.1, random_state=None,
                 warm_start=False, verbose=0, seed="deprecated",
                 **model_hparams):  # fmt: skip
        self.model = model
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.optimizer = optimizer
        self.sampling = sampling
        self.schedule = schedule
        self.standardize = standardize
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.seed = seed
        self._model_hparams = model_hparams

    def partial_fit(self, X, y):
        """Trains one more epoch on the same model (building it on the first call).

        The first call's data fixes the feature statistics and the target
        scale.

        Returns:
            The estimator.
        """
        return self._partial_fit(X, y)

    def predict(self, X):
        """Returns the predicted values, shape (n_samples,)."""
        return self._outputs(X)[:, 0]

    def _training_targets(self, y, first_fit, classes=None, partial=False):
        """y as float32, the model's type; refused if a value overflows it
        (scikit-learn's message for X: a finite float64 would become inf)."""
        y = np.asarray(y, dtype=np.float64)
        largest = np.finfo(np.float32).max
        if y.size and np.max(np.abs(y)) > largest:
            raise ValueError(
                "Input y contains a value too large for dtype('float32'), the "
                f"model's type (largest {largest:.3g}): rescale y, e.g. divide it "
                "by a power of ten. Received: y with max |y| = "
                f"{np.max(np.abs(y)):.3g}"
            )
        return y.astype(np.float32)

    def _builder_options(self):
        return {}

    def _start_targets(self, targets, model):
        """Measures the target scale, if the output layer can absorb it."""
        self._target_scale = target_scaling.IDENTITY
        if self.standardize and target_scaling.foldable(model):
            centre = model.layers[-1].use_bias
            self._target_scale = target_scaling.target_scale(targets, centre)

    def _restore_targets(self, saved):
        scale = target_scaling.IDENTITY if saved is None else saved["target_scale"]
        self._target_scale = tuple(scale)

    def _training_values(self, model):
        return target_scaling.unfolded_values(model, self._target_scale)

    def _loss_targets(self, targets):
        return target_scaling.standardized(targets, self._target_scale)

    def _finish_model(self, model):
        target_scaling.fold(model, self._target_scale)

    def _logs_in_units(self, logs):
        return target_scaling.in_target_units(logs, self._target_scale)
