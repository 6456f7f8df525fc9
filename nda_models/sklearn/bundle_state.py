"""Pickling a fitted estimator through the bundle format.

A ``keras.Model`` and a ``Trainer`` (which holds compiled graph functions)
cannot be pickled as Python objects, and pickling Keras code (a ``Lambda``)
would run code on load. So the pickled state holds the model as the files of
a bundle written by ``nda.save_model`` (model.keras, SavedModel, metadata
with checksums) and the optimizer's variables as NumPy arrays; unpickling
writes the files to a temporary folder and reads them back with
``nda.load_model`` (checksums verified, Keras ``safe_mode`` on). The
``Trainer`` is rebuilt on the next ``partial_fit`` or warm-started ``fit``,
with the optimizer state (e.g. Adam's moments) restored.
"""

import pathlib
import tempfile

BUNDLE_KEY = "_bundle_files"
OPTIMIZER_KEY = "_optimizer_state"


def pickled_state(estimator, state):
    """Returns ``state`` with the model and trainer replaced by plain data.

    Args:
        estimator: The estimator being pickled.
        state: A copy of its ``__dict__`` (from ``BaseEstimator.__getstate__``).
    """
    from nda_models.export import save_model

    state.pop("model_", None)
    trainer = state.pop("trainer_", None)
    if not hasattr(estimator, "model_"):
        return state
    with tempfile.TemporaryDirectory(prefix="nda-pickle-") as folder:
        path = save_model(estimator, pathlib.Path(folder) / "bundle")
        state[BUNDLE_KEY] = {
            str(file.relative_to(path)): file.read_bytes()
            for file in sorted(path.rglob("*"))
            if file.is_file()
        }
    if trainer is not None:
        state[OPTIMIZER_KEY] = [v.numpy() for v in trainer.optimizer.variables]
    return state


def unpickled_state(state):
    """Returns ``state`` with ``model_`` loaded back from its bundle files."""
    from nda_models.export import load_model

    files = state.pop(BUNDLE_KEY, None)
    if files is None:
        return state
    with tempfile.TemporaryDirectory(prefix="nda-unpickle-") as folder:
        root = pathlib.Path(folder) / "bundle"
        for name, data in files.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        state["model_"] = load_model(root).model
    state["trainer_"] = None
    return state


def restore_optimizer(estimator, same_options):
    """Gives a rebuilt ``Trainer`` the optimizer state saved by pickling.

    Args:
        estimator: The unpickled estimator, whose ``trainer_`` was just built.
        same_options: Whether the training options are those the state was
            saved with; otherwise the new optimizer starts afresh. The saved
            state is used at most once.
    """
    values = estimator.__dict__.pop(OPTIMIZER_KEY, None)
    if values is None or not same_options:
        return
    for variable, value in zip(
        estimator.trainer_.optimizer.variables, values, strict=True
    ):
        variable.assign(value)
