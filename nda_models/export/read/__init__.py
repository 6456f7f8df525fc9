"""Reading a bundle: ``load_model``, ``LoadedModel``, the ONNX Runtime and Keras
paths, and the checks of raw inference input."""
