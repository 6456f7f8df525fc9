"""The bundle: what ``save_model`` writes, file by file, and its error words.

A bundle is one directory::

    NAME/
        model.keras        the Keras model (architecture + weights)
        saved_model/       TensorFlow SavedModel, signature "serving_default"
        model.onnx         the same signature as an ONNX graph (ONNX Runtime)
        metadata.json      names, hyper-parameters, normalisation, metrics,
                           versions, creation time, SHA-256 of every file
        history.csv        per-epoch training history (when one was given)

Example:
    >>> default_bundle_path("mlp_classifier")
    PosixPath('saved_models/mlp_classifier')
"""

import pathlib

# The two names single-file writers check too (core knows no export).
from nda_models.core.bundle_files import FORMAT_NAME as FORMAT_NAME
from nda_models.core.bundle_files import METADATA_FILE as METADATA_FILE

KERAS_FILE = "model.keras"
SAVED_MODEL_DIR = "saved_model"
ONNX_FILE = "model.onnx"
HISTORY_FILE = "history.csv"

# Identifies our metadata.json and its layout; bump the version when a field
# changes meaning, so old loaders refuse new bundles instead of misreading them.
FORMAT_VERSION = 1

SERVING_SIGNATURE = "serving_default"
SERVING_INPUT = "features"

DEFAULT_ROOT = "saved_models"

# Sibling folders of a bundle used while it is being replaced:
# ".NAME.nda-tmp-PID-SUFFIX" (new bundle being written) and
# ".NAME.nda-old-PID-SUFFIX" (old bundle set aside, only without renameat2).
TEMP_TAG = "nda-tmp"
ASIDE_TAG = "nda-old"

CORRUPT = "corrupt or incomplete bundle"


def default_bundle_path(name):
    """Returns ``saved_models/NAME``, the default home of a bundle.

    Args:
        name: Bundle name, usually the registry key of the model.

    Example:
        >>> default_bundle_path("perceptron").name
        'perceptron'
    """
    return pathlib.Path(DEFAULT_ROOT) / str(name)


def corrupt_bundle(path, detail):
    """The ``ValueError`` for a bundle that is damaged or half-written.

    Args:
        path: The bundle directory.
        detail: Which file and what is wrong with it.

    Example:
        >>> raise corrupt_bundle("saved_models/m", "model.keras is missing")
        Traceback (most recent call last):
        ...
        ValueError: corrupt or incomplete bundle at 'saved_models/m': model.keras
        is missing. Save the model again ...
    """
    return ValueError(
        f"{CORRUPT} at {str(path)!r}: {detail}. Save the model again (or restore "
        "the bundle from a backup); do not edit bundle files by hand. "
        f"Received: path={str(path)!r}"
    )
