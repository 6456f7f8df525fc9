"""``NDAEstimator``: what the scikit-learn classifier and regressor share.

``fit`` validates the data as scikit-learn does (``validate_data``: NaN,
inf, sparse input, wrong shapes), builds the zoo model through the registry
with ``input_dim`` (and ``num_classes``) read from the data, and trains it
with ``nda.Trainer``: the lecture's loop, (η, M) = (``learning_rate``,
``batch_size``). ``partial_fit`` runs one more epoch on the same model and
optimizer; ``warm_start=True`` makes ``fit`` continue too. Pickling stores
the model as a bundle (``nda.save_model``), never as Python code.
"""

import numbers

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_is_fitted, validate_data

from nda_models.core.constraints import POSITIVE_INT, Interval
from nda_models.sklearn import bundle_state
from nda_models.sklearn.model_hparams import ModelHyperparameters, check_model_hparams
from nda_models.sklearn.random_state import resolve_random_state, training_seeds
from nda_models.zoo.registry import build_model, describe_model

VALIDATION_FRACTION = Interval(
    numbers.Real, 0, 1, closed="neither", reason=" when early_stopping is True"
)
# Rows per forward call in predict: bounds memory on very large inputs.
PREDICT_CHUNK_ROWS = 1 << 16


class NDAEstimator(ModelHyperparameters, BaseEstimator):
    """Base class of ``NDAClassifier`` and ``NDARegressor`` (not used directly).

    Subclasses define ``__init__`` (storing every parameter unchanged),
    ``TASKS`` (the registry tasks they accept), ``_training_targets`` and
    ``_builder_options``; ``_stratify`` says whether targets are classes.
    """

    TASKS = ()
    _stratify = False

    def fit(self, X, y):
        """Builds the model for ``X``'s shape and trains it for ``epochs`` epochs.

        With ``warm_start=True`` and a fitted model, training continues on
        that model (and, if the training options are unchanged, on the same
        optimizer state) instead of starting from new weights.

        Args:
            X: Features, array-like or DataFrame of shape (n_samples, n_features).
            y: Targets of shape (n_samples,).

        Returns:
            The fitted estimator.

        Raises:
            ValueError, TypeError: for invalid data or parameters.
            nda.TrainingDivergedError: if the loss becomes NaN/inf or explodes
                (a ``RuntimeError``; lower ``learning_rate``).
        """
        warm = self.warm_start and hasattr(self, "model_")
        x, y = self._validate_xy(X, y, reset=not warm)
        targets = self._training_targets(y, first_fit=not warm)
        self._check_settings()
        seeds = self._draw_seeds()
        if not warm:
            self._new_model(x.shape[1], seeds)
        validation, callbacks = None, []
        if self.early_stopping:
            x, targets, validation, callbacks = self._early_stopping_split(
                x, targets, seeds.split
            )
        self._train(x, targets, self.epochs, validation, callbacks)
        return self

    def _partial_fit(self, X, y, classes=None):
        """One more epoch on the same model; the first call builds it."""
        first = not hasattr(self, "model_")
        x, y = self._validate_xy(X, y, reset=first)
        targets = self._training_targets(
            y, first_fit=first, classes=classes, partial=True
        )
        if first:
            self._check_settings()
            self._new_model(x.shape[1], self._draw_seeds())
        self._train(x, targets, 1, None, [])
        return self

    def _validate_xy(self, X, y, reset):
        """scikit-learn's checks of X and y: NaN, inf, sparse, shapes, types."""
        return validate_data(
            self, X, y, reset=reset, dtype=np.float32, y_numeric=not self._stratify
        )

    def _check_settings(self):
        """Checks what ``Trainer`` does not: epochs, early stopping, hparams."""
        task = describe_model(self.model).task
        if task not in self.TASKS:
            raise ValueError(
                f"{type(self).__name__} needs a {' or '.join(self.TASKS)} model "
                f"from the zoo, e.g. {self._example_models()}. Received: "
                f"model={self.model!r} (a {task} model)"
            )
        check_model_hparams(self.model, self._model_hparams)
        POSITIVE_INT.check("epochs", self.epochs)
        if self.early_stopping:
            POSITIVE_INT.check("n_iter_no_change", self.n_iter_no_change)
            VALIDATION_FRACTION.check("validation_fraction", self.validation_fraction)

    def _example_models(self):
        from nda_models.zoo.registry import list_models

        names = [name for task in self.TASKS for name in list_models(task=task)]
        return ", ".join(repr(name) for name in sorted(names))

    def _draw_seeds(self):
        """This fit's seeds, drawn from ``random_state`` (see ``random_state``)."""
        return training_seeds(resolve_random_state(self.random_state, self.seed))

    def _new_model(self, input_dim, seeds):
        """Builds a fresh zoo model through the registry (new weights)."""
        options = dict(self._model_hparams)
        options.update(self._builder_options())
        if "seed" in describe_model(self.model).defaults:
            options["seed"] = seeds.weights
        self._sampling_seed = seeds.sampling
        self.model_ = build_model(self.model, input_dim=input_dim, **options)
        self.trainer_ = None
        self._trainer_settings = None
        self.history_ = {}
        self.n_iter_ = 0

    def _trainer_options(self):
        return {
            "optimizer": self.optimizer,
            "learning_rate": self.learning_rate,
            "batch_size": self.batch_size,
            "sampling": self.sampling,
            "schedule": self.schedule,
            "seed": self._sampling_seed,
        }

    def _trainer(self):
        """The ``Trainer`` of ``model_``: kept while the options are unchanged."""
        from nda_models.training import Trainer

        options = self._trainer_options()
        previous = getattr(self, "_trainer_settings", None)
        if self.trainer_ is None or previous != options:
            self.trainer_ = Trainer(self.model_, **options)
            self._trainer_settings = options
            bundle_state.restore_optimizer(self, same_options=previous == options)
        return self.trainer_

    def _train(self, x, y, epochs, validation, callbacks):
        history = self._trainer().fit(
            x,
            y,
            epochs=epochs,
            validation_data=validation,
            callbacks=callbacks,
            verbose=self.verbose,
        )
        logs = history.history
        for key, values in logs.items():
            self.history_.setdefault(key, []).extend(float(v) for v in values)
        self.n_iter_ += len(logs.get("loss", []))
        self.loss_curve_ = self.history_.get("loss", [])
        self.loss_ = self.loss_curve_[-1] if self.loss_curve_ else None

    def _early_stopping_split(self, x, targets, seed):
        """Holds out ``validation_fraction`` (stratified for classifiers)."""
        import keras

        x, x_val, targets, y_val = train_test_split(
            x,
            targets,
            test_size=self.validation_fraction,
            random_state=seed,
            stratify=targets if self._stratify else None,
        )
        stop = keras.callbacks.EarlyStopping(
            monitor="val_loss",
            patience=self.n_iter_no_change,
            restore_best_weights=True,
        )
        return x, targets, (x_val, y_val), [stop]

    def _outputs(self, X):
        """The model's inference outputs on validated ``X`` (NumPy)."""
        import keras

        check_is_fitted(self, "model_")
        x = validate_data(self, X, reset=False, dtype=np.float32)
        parts = [
            keras.ops.convert_to_numpy(
                self.model_(x[start : start + PREDICT_CHUNK_ROWS], training=False)
            )
            for start in range(0, x.shape[0], PREDICT_CHUNK_ROWS)
        ]
        return np.concatenate(parts)

    def __getstate__(self):
        """Pickles the fitted model as a bundle's files (see ``bundle_state``)."""
        return bundle_state.pickled_state(self, dict(super().__getstate__()))

    def __setstate__(self, state):
        super().__setstate__(bundle_state.unpickled_state(state))

    def __nda_model__(self):
        """The fitted ``keras.Model`` and what ``nda.save_model`` records of it."""
        check_is_fitted(self, "model_")
        return self.model_, self._bundle_fields()

    def _bundle_fields(self):
        names = getattr(self, "feature_names_in_", None)
        return {
            "feature_names": None if names is None else list(names),
            "hparams": dict(self._model_hparams),
            "sklearn_estimator": type(self).__name__,
        }
