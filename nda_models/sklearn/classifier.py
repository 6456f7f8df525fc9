"""``NDAClassifier``: the zoo's classifiers as a scikit-learn estimator.

Which model is trained is the ``model`` parameter, never chosen for you:

- ``"logistic_neuron"`` and ``"perceptron"`` are **binary** models: y must
  have exactly two classes (``classes_[1]`` is the positive class, as in
  scikit-learn); three or more classes are refused.
- ``"softmax_classifier"`` and ``"mlp_classifier"`` (the default) are
  **multiclass** models: any number of classes >= 2; with two classes they
  have two softmax outputs.
"""

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets, unique_labels
from sklearn.utils.validation import check_is_fitted, validate_data

from nda_models.sklearn import estimator_model
from nda_models.sklearn.estimator import NDAEstimator
from nda_models.zoo.heads import training_view
from nda_models.zoo.output_kinds import OUTPUT_KINDS
from nda_models.zoo.registry import describe_model


def _has_probabilities(estimator):
    """True unless the model's declared output kind has no probabilities
    (the perceptron's hard decisions); read from the registry, not the model."""
    name = getattr(estimator, "_architecture", {}).get("name", estimator.model)
    kind = _registered(name, "output_kind")
    return kind is None or OUTPUT_KINDS.lookup("output_kind", kind).probabilities


def _has_scores(estimator):
    """True for a binary model whose registry names a ``"logits"`` layer (the
    score s = Θᵀx + b: the logistic neuron, the perceptron)."""
    name = getattr(estimator, "_architecture", {}).get("name", estimator.model)
    return _registered(name, "task") == "binary" and (
        _registered(name, "loss_input") == SCORE_LAYER
    )


SCORE_LAYER = "logits"


class NDAClassifier(ClassifierMixin, NDAEstimator):
    """A zoo classifier trained by the lecture's loop, as a scikit-learn estimator.

    ``fit`` builds ``model`` with ``input_dim`` = the number of columns of X
    (and ``num_classes`` = the number of classes for multiclass models) and
    the features standardised inside it (the training data's mean and
    variance, ``standardize=True``), then trains it with ``nda.Trainer``:
    mini-batches of ``batch_size`` (M), step ``learning_rate`` (η). Labels
    may be of any type (strings, ints, booleans); ``classes_`` holds them
    sorted.

    The training options default to ``"auto"``, chosen per model so that
    the default estimator fits as the scikit-learn estimator it stands for
    does at its defaults (``nda_models.sklearn.training_defaults``):

    ======================  =========  =====  ===========  ======  =========  ==========
    model                   optimizer  η      M            epochs  tol, wait  stands for
    ======================  =========  =====  ===========  ======  =========  ==========
    ``logistic_neuron``     adam       0.01   32           100     1e-3, 5    LogisticR.
    ``perceptron``          sgd        1.0    1            100     1e-3, 5    Perceptron
    ``softmax_classifier``  adam       0.01   32           100     1e-3, 5    LogisticR.
    ``mlp_classifier``      adam       0.003  min(200, n)  100     1e-4, 10   MLPClass.
    ======================  =========  =====  ===========  ======  =========  ==========

    (LogisticR. = ``LogisticRegression``, MLPClass. = ``MLPClassifier``.)
    ``epochs`` is the most a fit runs: it stops once the training loss has
    not improved by ``tol`` for ``n_iter_no_change`` (wait) epochs, as
    ``MLPClassifier`` and ``SGDClassifier`` do. Each choice and its reason
    is in ``training_defaults.DEFAULTS``; the side-by-side scores are in
    ``benchmarks/README.md``.

    Args:
        model: A classifier of the zoo: ``"mlp_classifier"``,
            ``"softmax_classifier"`` (multiclass), ``"logistic_neuron"``,
            ``"perceptron"`` (binary only; see the module docstring).
        epochs: The most passes over the training data per ``fit``, or
            ``"auto"`` (the table above).
        batch_size: M (larger than n means full-batch gradient descent), or
            ``"auto"``.
        learning_rate: η (η_0 of a schedule), or ``"auto"``.
        optimizer: ``"sgd"``, ``"momentum"``, ``"adam"``, a Keras optimizer,
            or ``"auto"``.
        sampling: ``"permutation"``, ``"preshuffle"`` or ``"uniform"`` (see
            ``nda.Trainer``).
        schedule: ``None``, ``"robbins_monro"`` or a Keras schedule.
        standardize: Standardise the features inside the model with the
            training data's mean and variance (a ``Normalization`` layer, so
            the model and its bundle take raw features), as a
            ``StandardScaler`` in front would. ``False`` trains on X as given.
        tol: Training stops when the loss has not improved by more than
            ``tol`` for ``n_iter_no_change`` consecutive epochs (scikit-learn's
            rule, ``stopping.StopWhenFlat``); ``None`` runs every epoch;
            ``"auto"`` (the table above).
        n_iter_no_change: That patience, in epochs, or ``"auto"``.
        early_stopping: Hold out ``validation_fraction`` of the data
            (stratified), watch the validation loss instead of the training
            loss, and keep the best weights. ``"auto"`` is ``False`` for
            every classifier (``NDARegressor``'s is ``True`` for
            ``mlp_regressor``).
        validation_fraction: The share held out when ``early_stopping``.
        random_state: Seeds the initial weights, dropout, the mini-batch
            order and the validation split (``int``, ``None``,
            ``RandomState`` or ``Generator``; see ``random_state.py``): the
            same ``int``, the same fitted model; ``None`` draws from NumPy's
            global generator, so fits differ, as in scikit-learn.
        warm_start: ``fit`` continues from the fitted model instead of new
            weights (y must have the same classes).
        verbose: 0 silent, 1 progress bar, 2 one line per epoch.
        seed: Deprecated alias of ``random_state`` (a ``FutureWarning``).
        **model_hparams: Options of the model's builder, e.g.
            ``hidden_units=(32,)``, ``activation="tanh"``, ``dropout=0.1``,
            ``l2=1e-4`` for ``"mlp_classifier"``; parameters like any other
            for ``set_params`` and ``GridSearchCV``.

    Attributes:
        classes_: The class labels, sorted.
        model_: The trained ``keras.Model`` (raw features in, probabilities
            or decisions out); the estimator's own, no other fit changes it.
        history_: Per-epoch lists (``"loss"``, ``"accuracy"``, ``"val_loss"``...).
        loss_curve_: ``history_["loss"]``; ``loss_`` its last value.
        n_iter_: Epochs run so far.
        n_features_in_: Number of features; ``feature_names_in_`` for a
            DataFrame with string column names.

    Example:
        >>> from sklearn.datasets import load_iris
        >>> X, y = load_iris(return_X_y=True)
        >>> clf = NDAClassifier("softmax_classifier", random_state=0)
        >>> clf.fit(X, y).score(X, y) > 0.95
        True
    """

    TASKS = ("binary", "multiclass")
    _stratify = True

    def __init__(self, model="mlp_classifier", *, epochs="auto", batch_size="auto",
                 learning_rate="auto", optimizer="auto", sampling="permutation",
                 schedule=None, standardize=True, tol="auto", n_iter_no_change="auto",
                 early_stopping=False, validation_fraction=0.1, random_state=None,
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

    def partial_fit(self, X, y, classes=None):
        """Trains one more epoch on the same model (building it on the first call).

        Args:
            X: Features (n_samples, n_features).
            y: Labels, all in ``classes``.
            classes: Every class y may ever contain; required on the first
                call (as in scikit-learn), optional afterwards.

        Returns:
            The estimator.
        """
        return self._partial_fit(X, y, classes)

    def predict(self, X):
        """Returns the predicted class labels, shape (n_samples,)."""
        outputs = self._outputs(X)
        if outputs.shape[1] == 1 and not _has_probabilities(self):
            return self.classes_[(outputs[:, 0] > 0.5).astype(int)]
        return self.classes_[np.argmax(self._probabilities(outputs), axis=1)]

    @available_if(_has_scores)
    def decision_function(self, X):
        """Returns the score s = Θᵀx + b of each row, shape (n_samples,).

        s > 0 means ``classes_[1]``, as for scikit-learn's ``Perceptron`` and
        ``LogisticRegression`` (whose s is the log-odds), so ``roc_auc``
        scoring and ``CalibratedClassifierCV`` work with the perceptron too.
        Binary models only (the multiclass ones have ``predict_proba``).
        """
        check_is_fitted(self, "model_")
        x = validate_data(self, X, reset=False, dtype=np.float32)
        scores = training_view(self.model_, SCORE_LAYER)
        return estimator_model.predict_in_blocks(scores, x)[:, 0].astype(np.float64)

    @available_if(_has_probabilities)
    def predict_proba(self, X):
        """Returns class probabilities, (n_samples, n_classes), columns ``classes_``.

        The perceptron has no probabilities, so it has no ``predict_proba``.
        """
        return self._probabilities(self._outputs(X))

    @available_if(_has_probabilities)
    def predict_log_proba(self, X):
        """Returns the log of ``predict_proba(X)``."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def _probabilities(self, outputs):
        outputs = outputs.astype(np.float64)
        if outputs.shape[1] == 1:  # binary model: p(classes_[1] | x)
            return np.hstack([1.0 - outputs, outputs])
        # The softmax was computed in float32: rows sum to 1 within ~1e-7,
        # which scikit-learn's float64 metrics (log_loss) flag; renormalise.
        return outputs / outputs.sum(axis=1, keepdims=True)

    def _training_targets(self, y, first_fit, classes=None, partial=False):
        """Checks the labels and returns them as class indices 0..c-1."""
        check_classification_targets(y)
        labels = unique_labels(y)
        if partial:
            self._partial_fit_classes(classes, first_fit)
        elif first_fit:
            self.classes_ = labels
        elif set(labels.tolist()) != set(self.classes_.tolist()):
            raise ValueError(
                "warm_start can only be used where `y` has the same classes as in "
                f"the previous call to fit. Previously got {self.classes_}, `y` "
                f"has {labels}"
            )
        unseen = labels[~np.isin(labels, self.classes_)]
        if unseen.size:
            raise ValueError(
                f"`y` has labels {unseen.tolist()} that are not in classes="
                f"{self.classes_.tolist()}. Pass every label in `classes` on the "
                "first call to partial_fit."
            )
        self._check_class_count()
        return np.searchsorted(self.classes_, y).astype(np.int32)

    def _partial_fit_classes(self, classes, first_fit):
        if first_fit:
            if classes is None:
                raise ValueError(
                    "classes must be passed on the first call to partial_fit. "
                    "Pass every label y may contain, e.g. classes=np.unique(y)."
                )
            self.classes_ = unique_labels(classes)
        elif classes is not None and not np.array_equal(
            self.classes_, unique_labels(classes)
        ):
            raise ValueError(
                f"`classes={classes!r}` is not the same as on last call to "
                f"partial_fit, was: {self.classes_!r}"
            )

    def _check_class_count(self):
        count = len(self.classes_)
        if count < 2:
            raise ValueError(
                "The classifier needs samples of at least 2 classes in y; the "
                f"data contains only one class. Received: classes={self.classes_}"
            )
        task = describe_model(self.model).task
        if task == "binary" and count > 2:
            raise ValueError(
                "Only binary classification is supported by "
                f"model={self.model!r} (a binary model) but y has {count} "
                "classes. Use model='softmax_classifier' or 'mlp_classifier' "
                "for more than two classes. Received: "
                f"classes={self.classes_.tolist()}"
            )

    def _builder_options(self):
        if describe_model(self.model).task == "multiclass":
            return {"num_classes": len(self.classes_)}
        return {}

    def _bundle_fields(self):
        fields = super()._bundle_fields()
        fields["class_names"] = [str(label) for label in self.classes_]
        return fields

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = _registered(self.model, "task") != "binary"
        return tags


def _registered(model, field):
    """A field of ``model``'s registry entry, or ``None`` for an unknown name
    (``fit`` reports that name; tags and ``hasattr`` must not raise)."""
    try:
        return getattr(describe_model(model), field)
    except (ValueError, TypeError):
        return None
