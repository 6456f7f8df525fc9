"""``load_model``: opens a bundle safely and returns a ``LoadedModel``.

Loading never runs code from the bundle. With the ONNX runtime, model.onnx
is checked to hold only standard ONNX operators (see ``onnx_graph``) and
ONNX Runtime runs it with its built-in kernels; TensorFlow is not imported.
With the Keras runtime, the model is rebuilt from model.keras with Keras's
``safe_mode`` on, so a ``Lambda`` layer (pickled Python bytecode) is refused.
The SavedModel is not loaded at all (it is for TensorFlow Serving). Every
file is checked against its SHA-256 first, so a truncated or damaged bundle
is reported as such.

A save to the same folder while a bundle loads replaces the whole folder in
one rename (``export/write/atomic``), but the files are read one by one: the
metadata of one bundle and a file of the next would not match. So a load
notes the folder's identity (device and inode) before it reads, and when
the folder was replaced meanwhile it reads again, from the new bundle: a
reader never reports a good bundle as corrupt because a save ran.

Example:
    >>> model = nda.build_model("softmax_classifier", input_dim=4, num_classes=3)
    >>> bundle = nda.load_model(nda.save_model(model, "saved_models/iris_softmax"))
    >>> bundle.runtime, bundle.predict_proba(np.zeros((30, 4))).shape
    ('onnx', (30, 3))
"""

import os

from nda_models.core.normalization_stats import near_constant
from nda_models.core.path_argument import path_argument
from nda_models.core.suggestions import did_you_mean
from nda_models.export.format.bundle_layout import (
    KERAS_FILE,
    METADATA_FILE,
    ONNX_FILE,
    corrupt_bundle,
)
from nda_models.export.format.checksums import verify_checksums
from nda_models.export.format.metadata import read_metadata
from nda_models.export.format.onnx_graph import checked_onnx_graph
from nda_models.export.read.keras_bundle import load_bundle_keras
from nda_models.export.read.loaded_model import LoadedModel
from nda_models.export.read.onnx_runner import OnnxRunner

RUNTIMES = ("auto", "onnx", "keras")

# Loads started over when a save replaces the folder during the read.
_ATTEMPTS = 5


def load_model(path, *, runtime="auto"):
    """Loads the bundle at ``path`` for inference on raw features.

    Args:
        path: The bundle directory written by ``save_model``.
        runtime: What serves ``predict``: ``"onnx"`` (ONNX Runtime and the
            bundle's model.onnx; TensorFlow is not imported), ``"keras"``
            (the Keras model on TensorFlow) or ``"auto"`` (ONNX Runtime when
            the bundle has model.onnx, else Keras: bundles saved before
            model.onnx existed, or with ``onnx=False``).

    Returns:
        A ``LoadedModel``: ``.predict(x)``, ``.predict_proba(x)`` for
        classifiers, ``.model`` (the ``keras.Model``, loaded on first use
        with the ONNX runtime), ``.runtime``, ``.metadata`` (dict).

    Raises:
        FileNotFoundError: if nothing exists at ``path`` ("no bundle at ...").
        ValueError: "corrupt or incomplete bundle" for missing, damaged or
            mismatched files; a refusal for a model.keras that carries Python
            code or a model.onnx with non-standard operators; an unknown
            ``runtime``, or ``"onnx"`` for a bundle without model.onnx.

    Example:
        >>> model = nda.build_model("linear_regressor", input_dim=2)
        >>> model.set_weights([np.array([[2.0], [-3.0]]), np.array([5.0])])
        >>> folder = nda.save_model(model, "saved_models/linear_regressor")
        >>> nda.load_model(folder).predict([[1.0, 2.0]])  # 5 + 2 * 1 - 3 * 2
        array([1.], dtype=float32)
    """
    if runtime not in RUNTIMES:
        raise ValueError(
            f"Unknown runtime {runtime!r}; use one of {list(RUNTIMES)}."
            f"{did_you_mean(runtime, RUNTIMES)} Received: runtime={runtime!r}"
        )
    folder = path_argument(path, "path", "saved_models/NAME")
    if not folder.exists():
        raise FileNotFoundError(
            f"no bundle at {str(path)!r}: the path does not exist. Pass the folder "
            f"that save_model wrote (e.g. 'saved_models/NAME'). Received: path={path!r}"
        )
    if not folder.is_dir():
        raise ValueError(
            f"The bundle path {str(path)!r} is a file; pass the bundle folder that "
            f"contains {METADATA_FILE} and {KERAS_FILE}. Received: path={path!r}"
        )
    for _ in range(_ATTEMPTS - 1):
        before = _identity(folder)
        try:
            loaded = _load_once(folder, runtime)
        except ValueError:
            if _identity(folder) == before:
                raise
            continue  # a save replaced the folder while it was read: again
        if _identity(folder) == before:
            return loaded
    return _load_once(folder, runtime)


def _identity(folder):
    """(device, inode) of ``folder``: a save's rename gives it a new one."""
    status = os.stat(folder)
    return status.st_dev, status.st_ino


def _load_once(folder, runtime):
    """Reads the bundle at ``folder`` once (see ``load_model``)."""
    metadata = read_metadata(folder)
    if KERAS_FILE not in metadata["files"]:
        raise corrupt_bundle(folder, f"{METADATA_FILE} does not list {KERAS_FILE}")
    has_onnx = metadata.get("onnx") is not None
    if has_onnx and ONNX_FILE not in metadata["files"]:
        raise corrupt_bundle(folder, f"{METADATA_FILE} does not list {ONNX_FILE}")
    verify_checksums(folder, metadata["files"])
    if runtime == "onnx":
        _check_onnx_serves(folder, metadata, has_onnx)
    if has_onnx and runtime != "keras" and not _constant_variance(metadata):
        return LoadedModel(
            None, metadata, folder, onnx_runner=_onnx_runner(folder, metadata)
        )
    return LoadedModel(load_bundle_keras(folder, metadata), metadata, folder)


def _constant_variance(metadata):
    """True if the bundle stored a variance of ~0, which the Keras path turns into
    1 on loading (``scale_loaded_constant_features_by_one``) but model.onnx holds
    as saved: such a bundle is served by Keras so that both agree."""
    normalization = metadata.get("normalization") or {}
    variance = normalization.get("variance")
    return isinstance(variance, list) and bool(near_constant(variance).any())


def _check_onnx_serves(folder, metadata, has_onnx):
    """Refuses runtime="onnx" for bundles whose model.onnx cannot serve them."""
    if not has_onnx:
        raise ValueError(
            f"The bundle at {str(folder)!r} has no {ONNX_FILE} (it was saved by an "
            "older nda_models or with onnx=False), so ONNX Runtime cannot serve "
            "it. Use runtime='keras' (or 'auto'), or save the model again. "
            "Received: runtime='onnx'"
        )
    if _constant_variance(metadata):
        raise ValueError(
            f"The bundle at {str(folder)!r} stores a variance of 0 for a constant "
            f"feature; its {ONNX_FILE} divides that feature by 1e-7, while the Keras "
            "model is corrected on loading to scale it by 1. Use runtime='keras' "
            "(or 'auto'), or save the model again with this nda_models. "
            "Received: runtime='onnx'"
        )


def _onnx_runner(folder, metadata):
    """Checks model.onnx against the bundle and opens it with ONNX Runtime."""
    data = (folder / ONNX_FILE).read_bytes()
    classes = metadata.get("class_names") or (metadata.get("serving") or {}).get(
        "class_names"
    )
    checked_onnx_graph(
        data,
        metadata["output_kind"],
        metadata.get("input_dim"),
        folder,
        len(classes) if classes else None,
    )
    return OnnxRunner(data, folder)
