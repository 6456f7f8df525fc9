"""Saved models for inference: bundles written by ``save_model``.

A bundle holds the Keras model, a TensorFlow SavedModel with a
``serving_default`` signature, metadata.json and history.csv (see
``bundle_layout``). Nothing here imports TensorFlow until a function runs.
"""

from nda_models.export.format.bundle_layout import default_bundle_path
from nda_models.export.read.load import load_model
from nda_models.export.read.loaded_model import LoadedModel
from nda_models.export.write.save import save_model

__all__ = ["LoadedModel", "default_bundle_path", "load_model", "save_model"]
