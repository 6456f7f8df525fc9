"""``NDAEstimator``: what the scikit-learn classifier and regressor share.

``fit`` validates the data as scikit-learn does (``validate_data``: NaN,
inf, sparse input, wrong shapes), builds the zoo model through the registry
with ``input_dim`` (and ``num_classes``) read from the data and the
training data's feature statistics inside (``standardize=True``), and
trains it with ``nda.Trainer``: the lecture's loop, (η, M) =
(``learning_rate``, ``batch_size``), on a ``Trainer`` borrowed from a pool
of traced ones (see ``trainer_pool``). What the run reaches is kept as
plain arrays (``training_state``): ``partial_fit`` and ``warm_start``
continue from it, and pickling stores it with the model's weights, never a
SavedModel, ONNX file or Python code.

A refused or failed ``fit``/``partial_fit`` (bad parameters, data or labels,
or a diverged run) leaves every fitted attribute as it was.
"""

import contextlib
import math
import numbers

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_is_fitted, validate_data

from nda_models.core.constraints import POSITIVE_INT, Interval, Options
from nda_models.core.normalization_stats import compute_normalization
from nda_models.sklearn import estimator_model, pooled_run, training_state
from nda_models.sklearn.model_hparams import ModelHyperparameters, check_model_hparams
from nda_models.sklearn.persistence import Persistence
from nda_models.sklearn.random_state import resolve_random_state, training_seeds
from nda_models.sklearn.training_defaults import AUTO, resolve_training_options
from nda_models.zoo.hparams import BOOLEAN
from nda_models.zoo.registry import describe_model, list_models

VALIDATION_FRACTION = Interval(
    numbers.Real, 0, 1, closed="neither", reason=" when early stopping is on"
)
TOL = Interval(numbers.Real, 0, allow_none=True)
EARLY_STOPPING = Options((True, False, "auto"))


@contextlib.contextmanager
def _unchanged_on_error(estimator):
    """Restores every attribute of ``estimator`` if the block raises."""
    saved = dict(estimator.__dict__)
    try:
        yield
    except BaseException:
        estimator.__dict__.clear()
        estimator.__dict__.update(saved)
        raise


def _same(options):
    """Builder options in a comparable form (lists and tuples alike)."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in options.items()}


class NDAEstimator(ModelHyperparameters, Persistence, BaseEstimator):
    """Base class of ``NDAClassifier`` and ``NDARegressor`` (not used directly).

    Subclasses define ``__init__`` (storing every parameter unchanged),
    ``TASKS`` (the registry tasks they accept), ``_training_targets`` and
    ``_builder_options``; ``_stratify`` says whether targets are classes.
    The regressor also rescales its target (the ``_loss_targets``,
    ``_start_targets``, ``_finish_model`` and ``_logs_in_units`` hooks).
    """

    TASKS = ()
    _stratify = False

    def fit(self, X, y):
        """Builds the model for ``X``'s shape and trains it.

        Training runs ``epochs`` epochs at most: it stops when the training
        loss (with early stopping, the validation loss) has not improved
        by ``tol`` for ``n_iter_no_change`` epochs. With ``warm_start=True``
        and a fitted model, training continues on that model (and, if the
        optimizer, schedule and sampling are unchanged, with the same
        optimizer state and mini-batch sequence) instead of new weights.

        Args:
            X: Features, array-like or DataFrame of shape (n_samples, n_features).
            y: Targets of shape (n_samples,).

        Returns:
            The fitted estimator.

        Raises:
            ValueError, TypeError: for invalid data or parameters (nothing of
                an earlier fit is changed).
            nda.TrainingDivergedError: if the loss becomes NaN/inf or explodes
                (a ``RuntimeError``; lower ``learning_rate``).
        """
        with _unchanged_on_error(self):
            warm = self.warm_start and hasattr(self, "model_")
            x, y = self._validate_xy(X, y, reset=not warm)
            targets = self._training_targets(y, first_fit=not warm)
            self._check_settings(continuing=warm)
            options = self._resolved_options(x.shape[0])
            seeds = self._draw_seeds()
            validation = None
            if options["early_stopping"]:
                x, targets, validation = self._split(x, targets, seeds.split)
            if not warm:
                self._new_model(x, targets, seeds)
            callbacks = self._stopping_callbacks(options)
            self._train(x, targets, options, options["epochs"], validation, callbacks)
        return self

    def _partial_fit(self, X, y, classes=None):
        """One more epoch on the same model; the first call builds it."""
        with _unchanged_on_error(self):
            first = not hasattr(self, "model_")
            x, y = self._validate_xy(X, y, reset=first)
            targets = self._training_targets(
                y, first_fit=first, classes=classes, partial=True
            )
            self._check_settings(continuing=not first)
            options = self._resolved_options(x.shape[0])
            if first:
                self._new_model(x, targets, self._draw_seeds())
            self._train(x, targets, options, 1, None, [])
        return self

    def _validate_xy(self, X, y, reset):
        """scikit-learn's checks of X and y: NaN, inf, sparse, shapes, types."""
        return validate_data(
            self, X, y, reset=reset, dtype=np.float32, y_numeric=not self._stratify
        )

    def _check_settings(self, continuing=False):
        """Checks what ``Trainer`` does not: the model, its options, stopping
        (and, ``continuing`` a fitted run, that the model is still the same)."""
        task = describe_model(self.model).task
        if task not in self.TASKS:
            raise ValueError(
                f"{type(self).__name__} needs a {' or '.join(self.TASKS)} model "
                f"from the zoo, e.g. {self._example_models()}. Received: "
                f"model={self.model!r} (a {task} model)"
            )
        check_model_hparams(self.model, self._model_hparams)
        BOOLEAN.check("standardize", self.standardize)
        if continuing:
            self._check_same_model()

    def _check_same_model(self):
        """A run continues only on the model it built (same name and options)."""
        options = dict(self._model_hparams)
        options.update(self._builder_options())
        fitted = dict(self._architecture["options"])
        fitted.pop("seed", None)
        if self.model != self._architecture["name"] or _same(options) != _same(fitted):
            raise ValueError(
                "warm_start and partial_fit continue the fitted model, but the "
                "model or its hyper-parameters changed since it was built. Set "
                "warm_start=False (a new model), or set them back. Received: "
                f"model={self.model!r} {options}; fitted "
                f"{self._architecture['name']!r} {fitted}"
            )

    def _example_models(self):
        names = [name for task in self.TASKS for name in list_models(task=task)]
        return ", ".join(repr(name) for name in sorted(names))

    def _resolved_options(self, n_samples):
        """The training options with every ``"auto"`` resolved (see
        ``training_defaults``), plus ``sampling`` and ``schedule``."""
        EARLY_STOPPING.check("early_stopping", self.early_stopping)
        given = {name: getattr(self, name) for name in AUTO}
        options = resolve_training_options(self.model, given, n_samples)
        options["early_stopping"] = bool(options["early_stopping"])
        POSITIVE_INT.check("epochs", options["epochs"])
        TOL.check("tol", options["tol"])
        if options["early_stopping"]:
            VALIDATION_FRACTION.check("validation_fraction", self.validation_fraction)
            _check_rows_left(self.validation_fraction, n_samples)
        if options["early_stopping"] or options["tol"] is not None:
            POSITIVE_INT.check("n_iter_no_change", options["n_iter_no_change"])
        options.update(sampling=self.sampling, schedule=self.schedule)
        return options

    def _draw_seeds(self):
        """This fit's seeds, drawn from ``random_state`` (see ``random_state``)."""
        return training_seeds(resolve_random_state(self.random_state, self.seed))

    def _split(self, x, targets, seed):
        """Holds out ``validation_fraction`` (stratified for classifiers)."""
        x, x_val, targets, y_val = train_test_split(
            x,
            targets,
            test_size=self.validation_fraction,
            random_state=seed,
            stratify=targets if self._stratify else None,
        )
        return x, targets, (x_val, y_val)

    def _new_model(self, x, targets, seeds):
        """A fresh model: new weights, statistics of ``x``, nothing learnt."""
        options = dict(self._model_hparams)
        options.update(self._builder_options())
        arch = estimator_model.architecture(
            self.model, x.shape[1], options, seeds.weights
        )
        names = getattr(self, "feature_names_in_", None)
        normalization = None
        if self.standardize:
            try:
                normalization = compute_normalization(x, names)
            except ValueError as error:  # a feature too large for float32
                raise ValueError(
                    f"{error}. For the estimator: standardize=False"
                ) from None
        self.model_ = estimator_model.build_estimator_model(arch, normalization)
        self._architecture, self._normalization = arch, normalization
        self._sampling_seed = seeds.sampling
        self._state = training_state.TrainingState(
            [v.numpy() for v in self.model_.variables]
        )
        self._run_options = None
        self._start_targets(targets, self.model_)
        self.history_ = {}
        self.n_iter_ = 0

    def _stopping_callbacks(self, options):
        """scikit-learn's stopping rule (``stopping.StopWhenFlat``) on the
        validation loss, best weights kept, with early stopping; else on
        the training loss (unless ``tol`` is None)."""
        early = options["early_stopping"]
        if not early and options["tol"] is None:
            return []
        # Keras: the callback subclasses keras.callbacks.Callback; importing the
        # estimators imports no TensorFlow (fit does).
        from nda_models.sklearn.stopping import StopWhenFlat

        return [
            StopWhenFlat(
                "val_loss" if early else "loss",
                tol=options["tol"] or 0.0,
                patience=options["n_iter_no_change"],
                keep_best=early,
            )
        ]

    def _train(self, x, targets, options, epochs, validation, callbacks):
        """Trains on a borrowed ``Trainer`` from ``_state``; keeps what it reached."""
        data = (estimator_model.standardize(x, self._normalization),
                self._loss_targets(targets))  # fmt: skip
        if validation is not None:
            x_val, y_val = validation
            x_val = estimator_model.standardize(x_val, self._normalization)
            validation = (x_val, self._loss_targets(y_val))
        state = self._state
        if self._run_options != pooled_run.run_identity(options):
            state = training_state.TrainingState(state.variables)  # a new run
        state, logs = pooled_run.train(
            self._architecture, state, options, self._sampling_seed, data,
            epochs=epochs, validation=validation, callbacks=callbacks,
            verbose=self.verbose,
        )  # fmt: skip
        self._commit(state, options, logs)

    def _commit(self, state, options, logs):
        """Keeps a finished run: its state, history, and ``model_``'s weights."""
        self._state = state
        self._run_options = pooled_run.run_identity(options)
        history = {key: list(values) for key, values in self.history_.items()}
        for key, values in self._logs_in_units(logs).items():
            history.setdefault(key, []).extend(float(v) for v in values)
        self.history_ = history
        self.n_iter_ += len(logs.get("loss", []))
        self.loss_curve_ = history.get("loss", [])
        self.loss_ = self.loss_curve_[-1] if self.loss_curve_ else None
        self._load_weights(self.model_)

    def _load_weights(self, model):
        """Gives ``model`` (``model_`` or a rebuilt one) the run's weights."""
        for variable, value in zip(model.variables, self._state.variables, strict=True):
            variable.assign(value)
        self._finish_model(model)

    def _outputs(self, X):
        """The model's inference outputs on validated ``X`` (NumPy float32)."""
        check_is_fitted(self, "model_")
        x = validate_data(self, X, reset=False, dtype=np.float32)
        return estimator_model.predict_in_blocks(self.model_, x)

    # Hooks of the regressor's target scaling; the classifier's are identity.
    def _start_targets(self, targets, model):
        """Called for a new model with its training targets."""

    def _loss_targets(self, targets):
        return targets

    def _restore_targets(self, saved):
        """Called by ``load_estimator`` with the bundle's saved state."""

    def _training_values(self, model):
        """The run's variable values that make ``model`` (see ``_finish_model``)."""
        return [v.numpy() for v in model.variables]

    def _finish_model(self, model):
        """Called after ``model`` received the run's weights."""

    def _logs_in_units(self, logs):
        return logs


def _check_rows_left(fraction, n_samples):
    """Refuses a held-out share that leaves no row to train on (scikit-learn's
    split said 'test_size=0.1 ... the resulting train set will be empty',
    naming a parameter the estimator does not have)."""
    held_out = math.ceil(fraction * n_samples)  # as train_test_split rounds
    if held_out >= n_samples:
        raise ValueError(
            f"Early stopping holds out validation_fraction={fraction!r} of the "
            f"{n_samples} rows ({held_out}), which leaves none to train on. Pass "
            "more rows, a smaller validation_fraction, or early_stopping=False. "
            f"Received: validation_fraction={fraction!r}, n_samples={n_samples}"
        )
