"""Writing a bundle: ``save_model``, the atomic directory swap, the SavedModel
serving signature, the ONNX export and the facts recorded about the model."""
