"""``load_estimator(path)``: the fitted estimator of a bundle.

Above both estimators (it builds either) and ``bundles`` (what saving and
loading share), so nothing imports in a circle.

Example:
    >>> from sklearn.datasets import load_iris
    >>> from nda_models.sklearn import NDAClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> est = NDAClassifier("softmax_classifier", epochs=5, random_state=0)
    >>> same = load_estimator(est.fit(X, y).save("saved_models/iris_estimator"))
    >>> bool((same.predict_proba(X) == est.predict_proba(X)).all())
    True
"""

import os

from nda_models.export import load_model
from nda_models.sklearn.bundles import STATE_KEY, as_tuple, restore
from nda_models.sklearn.classifier import NDAClassifier
from nda_models.sklearn.model_hparams import model_options
from nda_models.sklearn.regressor import NDARegressor
from nda_models.sklearn.saved_state import check_saved_state
from nda_models.zoo.registry import describe_model


def load_estimator(path):
    """Returns the fitted ``NDAClassifier``/``NDARegressor`` of a bundle.

    Args:
        path: A bundle folder written by ``est.save``, ``nda.save_model`` of
            a zoo model, or ``nda train``.

    Returns:
        A fitted estimator whose ``predict`` (and ``predict_proba``) give
        exactly what the saved estimator gave.

    Raises:
        FileNotFoundError: if nothing exists at ``path``.
        ValueError: "corrupt or incomplete bundle" for a damaged bundle, or
            a refusal for a bundle of a model outside the zoo or one whose
            recorded estimator does not fit its model.
    """
    bundle = load_model(path, runtime="keras")
    metadata, folder = bundle.metadata, os.fspath(path)
    name = metadata.get("registry_name")
    if name is None:
        raise ValueError(
            f"The bundle at {folder!r} holds a model outside the zoo, so it has no "
            "estimator; open it with nda.load_model(path). Received: "
            "registry_name=None"
        )
    spec = describe_model(name)  # an unknown name raises, naming the closest
    saved = metadata.get(STATE_KEY)
    est = _new_estimator(spec, metadata, saved, folder)
    restore(est, bundle.model, metadata, saved, folder)
    return est


def _new_estimator(spec, metadata, saved, folder):
    """The unfitted estimator of the bundle, with its parameters."""
    kind = NDARegressor if spec.task == "regression" else NDAClassifier
    if saved is None:
        options = set(model_options(spec.name))
        hparams = {
            k: as_tuple(v) for k, v in metadata["hparams"].items() if k in options
        }
        standardize = metadata.get("normalization") is not None
        return kind(spec.name, standardize=standardize, **hparams)
    check_saved_state(saved, metadata, folder, kind.__name__, spec.task)
    params = {k: as_tuple(v) for k, v in saved["params"].items()}
    return kind(**params)
