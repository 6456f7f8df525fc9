"""From the model's raw output to answers, in NumPy, as the signature computes them.

``LoadedModel`` runs only the Keras model in a compiled ``tf.function`` and
does this small post-processing in NumPy: one graph output is cheaper to fetch
than three, which matters for 1-row latency. The rules are those of
``serving.serving_outputs`` (tested equal):

- regression: ``predictions`` = the output, squeezed to (n,) if k = 1;
- binary probability p: ``probabilities`` = [1 - p, p], ``class_index`` =
  argmax = 1 where p > 1 - p (ties go to the first class, as argmax);
- perceptron decision d in {0, 1}: ``decision`` = d, ``class_index`` = d > 0.5;
- multiclass: ``probabilities`` = the output, ``class_index`` = argmax.

Example:
    >>> result = answers(np.array([[0.2], [0.9]], np.float32), "binary_probability")
    >>> print(result["probabilities"].round(2), result["class_index"])
    [[0.8 0.2]
     [0.1 0.9]] [0 1]
"""

import functools

import numpy as np

from nda_models.core.lazy_module import lazy_module

tf = lazy_module("tensorflow")


def compiled_call(model):
    """``model(x, training=False)`` as a ``tf.function`` with a fixed signature.

    A partial, not a lambda: TensorFlow counts traces per function code and
    would warn of "retracing" once a few bundles had been loaded.
    """
    return tf.function(
        functools.partial(model, training=False),
        input_signature=[
            tf.TensorSpec((None, int(model.inputs[0].shape[-1])), tf.float32)
        ],
    )


def answers(outputs, kind, *, index=True):
    """The signature's numeric outputs, from the model's (n, k) float32 output.

    Args:
        outputs: The model's output as a NumPy array.
        kind: The output kind (see ``model_facts``).
        index: Also compute ``class_index`` (``predict_proba`` does not need it).

    Returns:
        A dict with ``predictions``, or ``probabilities`` / ``decision`` and
        ``class_index`` (int32).
    """
    if kind == "regression":
        return {"predictions": outputs[:, 0] if outputs.shape[1] == 1 else outputs}
    if kind == "binary_decision":
        decision = outputs[:, 0]
        return {"decision": decision, "class_index": (decision > 0.5).astype(np.int32)}
    if kind == "binary_probability":
        p = outputs[:, 0]
        q = np.float32(1.0) - p
        result = {"probabilities": np.stack([q, p], axis=1)}
        if index:
            result["class_index"] = (p > q).astype(np.int32)
        return result
    result = {"probabilities": outputs}
    if index:
        result["class_index"] = np.argmax(outputs, axis=1).astype(np.int32)
    return result
