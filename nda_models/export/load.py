"""``load_model``: opens a bundle safely and returns a ``LoadedModel``.

Loading never runs code from the bundle: the model is rebuilt from
model.keras with Keras's ``safe_mode`` on, so a ``Lambda`` layer (pickled
Python bytecode) is refused, and the SavedModel is not loaded at all (it is
for TensorFlow Serving). Every file is checked against its SHA-256 first, so
a truncated or damaged bundle is reported as such.

Example:
    >>> bundle = nda.load_model("saved_models/iris_softmax")
    >>> bundle.predict_proba(x_test).shape
    (30, 3)
"""

import os
import pathlib
import re
import zipfile

from nda_models.export import model_facts
from nda_models.export.bundle_layout import KERAS_FILE, METADATA_FILE, corrupt_bundle
from nda_models.export.checksums import verify_checksums
from nda_models.export.loaded_model import LoadedModel
from nda_models.export.metadata import read_metadata
from nda_models.normalization_stats import scale_loaded_constant_features_by_one

_UNSAFE_WORDS = ("safe_mode", "unsafe", "arbitrary code")


def load_model(path):
    """Loads the bundle at ``path`` for inference on raw features.

    Args:
        path: The bundle directory written by ``save_model``.

    Returns:
        A ``LoadedModel``: ``.predict(x)``, ``.predict_proba(x)`` for
        classifiers, ``.model`` (the ``keras.Model``), ``.metadata`` (dict).

    Raises:
        FileNotFoundError: if nothing exists at ``path`` ("no bundle at ...").
        ValueError: "corrupt or incomplete bundle" for missing or damaged
            files; a refusal for a model.keras that carries Python code.

    Example:
        >>> nda.load_model("saved_models/linear_regressor").predict([[1.0, 2.0]])
    """
    folder = pathlib.Path(os.fspath(path))
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
    metadata = read_metadata(folder)
    if KERAS_FILE not in metadata["files"]:
        raise corrupt_bundle(folder, f"{METADATA_FILE} does not list {KERAS_FILE}")
    verify_checksums(folder, metadata["files"])
    model = load_keras_safely(folder / KERAS_FILE)
    scale_loaded_constant_features_by_one(model)  # bundles that stored variance 0
    check_model_matches(model, metadata, folder)
    return LoadedModel(model, metadata, folder)


def check_model_matches(model, metadata, folder):
    """The model must have the inputs, output kind and classes metadata names.

    Raises:
        ValueError: "corrupt or incomplete bundle" naming the field and what
            the model has instead.
    """
    width = model.inputs[0].shape[-1] if len(model.inputs) == 1 else None
    if width != metadata["input_dim"]:
        raise corrupt_bundle(
            folder,
            f"{KERAS_FILE} takes {width} features but {METADATA_FILE} field "
            f"'input_dim' says {metadata['input_dim']}",
        )
    try:
        kind = model_facts.output_kind(model, metadata["task"])
        outputs = model_facts.output_width(model)
    except ValueError as error:
        detail = f"{KERAS_FILE} is not a bundle model ({error})"
        raise corrupt_bundle(folder, detail) from None
    if kind != metadata["output_kind"]:
        raise corrupt_bundle(
            folder,
            f"{METADATA_FILE} field 'output_kind' is {metadata['output_kind']!r} "
            f"but {KERAS_FILE} gives {kind!r} outputs",
        )
    classes = metadata["class_names"]
    expected = 2 if kind.startswith("binary") else outputs
    if classes is not None and kind != "regression" and len(classes) != expected:
        raise corrupt_bundle(
            folder,
            f"{METADATA_FILE} field 'class_names' has {len(classes)} names but "
            f"{KERAS_FILE} has {expected} classes",
        )


def load_keras_safely(file):
    """Loads a .keras file with ``safe_mode=True`` and ``compile=False``.

    The package's custom layers and losses are imported first so that they
    resolve as registered classes, not as code to run.

    Raises:
        ValueError: naming the file if it needs unsafe deserialisation
            (a ``Lambda`` layer) or cannot be rebuilt.
    """
    import keras

    import nda_models.models.layers  # noqa: F401 - registers Step
    import nda_models.models.loss_classes  # noqa: F401 - registers the losses

    try:
        return keras.saving.load_model(str(file), compile=False, safe_mode=True)
    except ValueError as error:
        if any(word in str(error) for word in _UNSAFE_WORDS):
            raise ValueError(
                f"Refusing to load {str(file)!r}: it contains {_unsafe_part(error)}, "
                "i.e. code that would run on loading, and Keras's safe_mode "
                "blocks it. Bundles must be made of registered layers. If you "
                "wrote this file yourself and trust it, use keras.saving."
                "load_model(path, safe_mode=False). Received: "
                f"{' '.join(str(error).split())}"
            ) from None
        raise _not_rebuilt(file, error) from error
    except (TypeError, KeyError, OSError, zipfile.BadZipFile) as error:
        raise _not_rebuilt(file, error) from error


def _unsafe_part(error):
    """What Keras refused, from its message: "a `TFSMLayer`" -> "a TFSMLayer"."""
    match = re.search(r"deserialization of an? `?([\w.]+)`?", str(error))
    if match is None:
        return "a part Keras will not deserialise safely"
    name = match.group(1)
    if name == "TFSMLayer":
        return "a TFSMLayer (an external TensorFlow SavedModel)"
    if name in ("Lambda", "Python"):
        return "a Lambda layer (pickled Python bytecode)"
    return f"a {name}"


def _not_rebuilt(file, error):
    return ValueError(
        f"Could not rebuild the Keras model from {str(file)!r}: "
        f"{type(error).__name__}: {error}. If it uses custom layers, import the "
        "module that registers them before loading."
    )
