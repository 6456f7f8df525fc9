"""How a fitted estimator is kept: pickled as arrays, saved as a bundle.

Pickling stores the estimator's own attributes (parameters, the fitted
labels and statistics, the architecture and the run's ``TrainingState``:
NumPy arrays all) and leaves out ``model_``, which unpickling rebuilds from
the architecture and the weights: no SavedModel, no ONNX conversion, no ONNX
Runtime session, no Python code (a Keras ``Lambda``) in the pickle.
``save`` writes an ordinary bundle instead (see ``bundles``).
"""

from sklearn.utils.validation import check_is_fitted

from nda_models.export import save_model
from nda_models.sklearn import bundles, estimator_model
from nda_models.zoo.registry import list_models


class Persistence:
    """Mixin of ``NDAEstimator``: pickling, ``save`` and ``nda.save_model``."""

    def __getstate__(self):
        """The estimator's state without ``model_`` (rebuilt on unpickling)."""
        state = dict(super().__getstate__())
        state.pop("model_", None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if "_architecture" in state:
            _check_registered(self._architecture["name"], type(self).__name__)
            model = estimator_model.build_estimator_model(
                self._architecture, self._normalization
            )
            self._load_weights(model)
            self.model_ = model

    def save(self, path=None, *, overwrite=True, **metadata):
        """Writes the fitted estimator as a bundle (``nda.save_model``).

        The bundle is an ordinary one (``nda predict``, ONNX Runtime), with
        ``classes_`` as its class names and ``feature_names_in_`` as its
        feature names; ``load_estimator(path)`` gives the estimator back.

        Args:
            path: Bundle folder; default ``saved_models/<model>``.
            overwrite: Replace a bundle already at ``path``.
            **metadata: Extra metadata, as for ``nda.save_model``.

        Returns:
            The absolute ``pathlib.Path`` of the bundle.

        Example:
            >>> from sklearn.datasets import load_iris
            >>> from nda_models.sklearn import NDARegressor
            >>> X, y = load_iris(return_X_y=True)
            >>> est = NDARegressor(epochs=3, random_state=0).fit(X[:, 1:], X[:, 0])
            >>> est.save("saved_models/sepal_length").name
            'sepal_length'
        """
        check_is_fitted(self, "model_")
        history = bundles.history_table(self)
        return save_model(self, path, history=history, overwrite=overwrite, **metadata)

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
            bundles.STATE_KEY: bundles.state_of(self),
        }


def _check_registered(name, kind):
    """A pickled estimator's model must be registered where it is unpickled
    (a model of a plugin, or of the user's own code, registers on import)."""
    if name not in list_models():
        raise ValueError(
            f"Cannot unpickle this {kind}: its model {name!r} is not registered "
            "in this process. Import the module that registers it (its "
            "@register_model builder) before unpickling. Registered models: "
            f"{list_models()}. Received: model={name!r}"
        )
