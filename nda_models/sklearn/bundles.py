"""Estimators to and from bundles: ``est.save(path)``, ``load_estimator(path)``.

``est.save(path)`` is ``nda.save_model(est, path)``: an ordinary bundle
(model.keras, SavedModel, model.onnx, metadata, history), served by
``nda predict`` and ONNX Runtime like any other, with the estimator's class
names and feature names (``feature_names_in_``). Its metadata also holds
the estimator's state under ``"sklearn_state"`` (its class, its plain
parameters, the typed labels of ``classes_``, the architecture, the target
scale of a regressor), so that ``load_estimator`` gives back an estimator
that predicts exactly as the saved one.

``load_estimator`` also opens a bundle that ``nda train`` wrote (or
``nda.save_model`` of a zoo model): the estimator is then the bundle's
model with its recorded hyper-parameters, its class names as labels and its
feature names as ``feature_names_in_``. ``partial_fit`` or a
``warm_start`` fit continue training it with a fresh optimizer.

``loading.load_estimator`` reads them back; this module holds what both
directions share.
"""

import os

import numpy as np

from nda_models.core.lazy_module import lazy_module
from nda_models.export.format.bundle_layout import corrupt_bundle
from nda_models.sklearn import estimator_model, training_state
from nda_models.zoo.registry import describe_model

pd = lazy_module("pandas")

STATE_KEY = "sklearn_state"
# JSON values; NumPy's bool, int and float scalars too (a GridSearchCV grid of
# np.arange(16, 65, 16) gives np.int64 values), written as Python numbers.
_PLAIN = (str, int, float, bool, type(None), np.bool_, np.integer, np.floating)


def state_of(est):
    """The ``"sklearn_state"`` metadata of a fitted estimator (JSON values)."""
    state = {
        "estimator": type(est).__name__,
        "params": {k: _plain(v) for k, v in est.get_params().items() if _is_plain(v)},
        "architecture": _plain(est._architecture),
        "feature_names_in": hasattr(est, "feature_names_in_"),
        "n_iter": int(est.n_iter_),
        "sampling_seed": int(est._sampling_seed),
    }
    if hasattr(est, "classes_"):
        state["classes"] = est.classes_.tolist()
        state["classes_dtype"] = est.classes_.dtype.str
    if hasattr(est, "_target_scale"):
        state["target_scale"] = [float(v) for v in est._target_scale]
    return state


def _is_plain(value):
    if isinstance(value, list | tuple):
        return all(isinstance(v, _PLAIN) for v in value)
    return isinstance(value, _PLAIN)


def _plain(value):
    """Tuples as lists, NumPy scalars as Python numbers, recursively."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value.item() if isinstance(value, np.generic) else value


def history_table(est):
    """``history_`` as history.csv takes it: the keys logged every epoch."""
    epochs = len(est.history_.get("loss", []))
    table = {k: v for k, v in est.history_.items() if len(v) == epochs}
    return table or None


def as_tuple(value):
    """A JSON list read back as the tuple it was (e.g. ``hidden_units``)."""
    return tuple(value) if isinstance(value, list) else value


def restore(est, model, metadata, saved, folder):
    """Gives ``est`` the bundle's model and the fitted attributes."""
    normalization = _normalization(metadata)
    arch = saved["architecture"] if saved else _architecture(est, metadata)
    arch["options"] = {k: as_tuple(v) for k, v in arch["options"].items()}
    est.n_features_in_ = int(metadata["input_dim"])
    names = metadata.get("feature_names")
    if names is not None and (saved is None or saved["feature_names_in"]):
        est.feature_names_in_ = np.asarray(names, dtype=object)
    if est._stratify:  # a classifier
        est.classes_ = _classes(metadata, saved)
    est.model_ = estimator_model.build_estimator_model(arch, normalization)
    _copy_weights(model, est.model_, folder)
    est._architecture, est._normalization = arch, normalization
    est._sampling_seed = saved["sampling_seed"] if saved else 0
    est._run_options = None
    est._restore_targets(saved)
    est._state = training_state.TrainingState(est._training_values(est.model_))
    est.history_ = _history(metadata, folder)
    est.n_iter_ = saved["n_iter"] if saved else len(est.history_.get("loss", []))
    est.loss_curve_ = est.history_.get("loss", [])
    est.loss_ = est.loss_curve_[-1] if est.loss_curve_ else None


def _normalization(metadata):
    stats = metadata.get("normalization")
    if stats is None:
        return None
    return (
        np.asarray(stats["mean"], dtype=np.float32),
        np.asarray(stats["variance"], dtype=np.float32),
    )


def _architecture(est, metadata):
    """The builder arguments of a bundle that no estimator wrote."""
    options = dict(est._model_hparams)
    if describe_model(est.model).task == "multiclass":
        options["num_classes"] = len(_classes(metadata, None))
    seed = metadata["hparams"].get("seed") or 0
    return estimator_model.architecture(est.model, metadata["input_dim"], options, seed)


def _classes(metadata, saved):
    if saved is not None:
        return np.asarray(saved["classes"], dtype=np.dtype(saved["classes_dtype"]))
    names = metadata.get("class_names") or metadata["serving"]["class_names"]
    return np.asarray(names)


def _copy_weights(source, target, folder):
    """Copies the bundle model's weights into the rebuilt ``model_``."""
    shapes = [tuple(v.shape) for v in source.variables]
    if shapes != [tuple(v.shape) for v in target.variables]:
        detail = (
            "its model.keras does not have the variables its recorded "
            f"hyper-parameters build ({shapes})"
        )
        raise corrupt_bundle(folder, detail)
    for variable, value in zip(target.variables, source.variables, strict=True):
        variable.assign(np.asarray(value))


def _history(metadata, folder):
    """The per-epoch history of history.csv (without its epoch column)."""
    name = metadata.get("history_file")
    if not name:
        return {}
    frame = pd.read_csv(os.path.join(folder, name))
    return {
        column: [float(v) for v in frame[column]]
        for column in frame.columns
        if column != "epoch"
    }
