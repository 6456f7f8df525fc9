"""The TensorFlow SavedModel of a bundle, with a ``serving_default`` signature.

The signature takes raw features (normalisation is a layer of the model) as
``features``: float32 of shape (batch, input_dim), and returns named outputs:

- regression: ``predictions`` (batch,) (or (batch, k) for k outputs);
- logistic neuron, softmax, MLP classifiers: ``probabilities`` (batch, c)
  (for a binary model the columns are [1 - p, p]), ``class_index`` (batch,)
  int32 and ``class_name`` (batch,) string;
- perceptron: ``decision`` (batch,) float in {0, 1}, ``class_index`` and
  ``class_name``.

TensorFlow Serving, or ``tf.saved_model.load(path).signatures
["serving_default"](features=x)``, serves it without this package.

Example:
    >>> import tensorflow as tf
    >>> model = nda.build_model("logistic_neuron", input_dim=2)
    >>> export_saved_model(model, "bundle/saved_model", "binary_probability",
    ...                    ["no", "yes"], 2)
    >>> serve = tf.saved_model.load("bundle/saved_model").signatures["serving_default"]
    >>> sorted(serve(features=tf.zeros((1, 2))))
    ['class_index', 'class_name', 'probabilities']
"""

from nda_models.core.lazy_module import lazy_module
from nda_models.export.format.bundle_layout import SERVING_INPUT, SERVING_SIGNATURE

keras = lazy_module("keras")
tf = lazy_module("tensorflow")


def serving_output_names(kind):
    """Names of the signature's outputs for an output kind, as a sorted list."""
    if kind == "regression":
        return ["predictions"]
    first = "decision" if kind == "binary_decision" else "probabilities"
    return sorted([first, "class_index", "class_name"])


def serving_outputs(outputs, kind, class_names):
    """Turns the model's output tensor into the named outputs of the signature.

    Args:
        outputs: Model output, (batch, k).
        kind: The output kind (see ``model_facts``).
        class_names: Names of the classes (one per index) for classifiers;
            ``None`` leaves out the ``class_name`` output.

    Returns:
        A dict of tensors, as listed in the module docstring.
    """
    if kind == "regression":
        if outputs.shape[-1] == 1:
            outputs = tf.squeeze(outputs, axis=-1)
        return {"predictions": outputs}
    if kind == "binary_decision":
        decision = tf.squeeze(outputs, axis=-1)
        result = {"decision": decision}
        index = tf.cast(decision > 0.5, tf.int32)
    else:
        if kind == "binary_probability":
            outputs = tf.concat([1.0 - outputs, outputs], axis=-1)
        result = {"probabilities": outputs}
        index = tf.argmax(outputs, axis=-1, output_type=tf.int32)
    result["class_index"] = index
    if class_names is not None:
        result["class_name"] = tf.gather(tf.constant(list(class_names)), index)
    return result


def export_saved_model(model, folder, kind, class_names, input_dim):
    """Writes ``model`` as a SavedModel with the ``serving_default`` signature.

    Args:
        model: The ``keras.Model`` (its weights are tracked, not copied by value).
        folder: Destination folder (created).
        kind: The output kind.
        class_names: Class names for classifiers (ignored for regression).
        input_dim: Number of input features.
    """
    names = [str(name) for name in class_names or ()]

    def serve(features):
        return serving_outputs(model(features, training=False), kind, names)

    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint(
        name=SERVING_SIGNATURE,
        fn=serve,
        input_signature=[
            tf.TensorSpec(shape=(None, input_dim), dtype=tf.float32, name=SERVING_INPUT)
        ],
    )
    archive.write_out(str(folder), verbose=False)
