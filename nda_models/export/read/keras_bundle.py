"""The Keras side of a bundle: model.keras rebuilt safely, checked against metadata.

``load_keras_safely`` rebuilds the model with Keras's ``safe_mode`` on and
``compile=False``: a ``Lambda`` layer (pickled Python bytecode) or a
``TFSMLayer`` (an external SavedModel) is refused, naming it. The zoo's custom
layers and losses are registered first (``zoo.custom_objects``), so they
resolve as registered classes, not as code to run. ``check_model_matches``
then holds the model to what metadata.json says: its input width, its output
kind (the registry's declaration for a zoo model, never its layer names) and
its number of classes. TensorFlow is imported only when a function runs.

Example:
    >>> import pathlib
    >>> model = nda.build_model("perceptron", input_dim=2)
    >>> folder = nda.save_model(model, "bundles/perceptron")
    >>> metadata = nda.load_model(folder).metadata
    >>> load_bundle_keras(folder, metadata).name
    'perceptron'
"""

import re
import zipfile

from nda_models.core.lazy_module import lazy_module
from nda_models.core.normalization_stats import scale_loaded_constant_features_by_one
from nda_models.export.format.bundle_layout import (
    KERAS_FILE,
    METADATA_FILE,
    corrupt_bundle,
)
from nda_models.export.write import model_facts

keras = lazy_module("keras")

_UNSAFE_WORDS = ("safe_mode", "unsafe", "arbitrary code")


def load_bundle_keras(folder, metadata):
    """The bundle's Keras model, checked against its metadata.

    Raises:
        ValueError: as ``load_keras_safely``; "corrupt or incomplete bundle"
            if the model does not match the metadata (``check_model_matches``).
    """
    model = load_keras_safely(folder / KERAS_FILE)
    scale_loaded_constant_features_by_one(model)  # bundles that stored variance 0
    check_model_matches(model, metadata, folder)
    return model


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
        kind = model_facts.output_kind(model, metadata["task"], metadata["output_kind"])
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
    # Registers the zoo's Keras classes. Here, not at the top: it subclasses
    # Keras classes, and `import nda_models` imports this module.
    import nda_models.zoo.custom_objects  # noqa: F401

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
