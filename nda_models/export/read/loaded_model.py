"""``LoadedModel``: a bundle ready for inference on raw features.

``predict`` validates the input (see ``input_checks``), then runs one of two
runtimes, which give the same answers (tested within 1e-5):

- ``"onnx"``: ONNX Runtime runs the bundle's model.onnx, the serving
  signature as an ONNX graph; TensorFlow is not imported;
- ``"keras"``: the Keras model runs as one compiled ``tf.function`` (not
  ``model.predict``, whose machinery costs milliseconds per call on small
  inputs), then NumPy post-processes its output exactly as the SavedModel's
  signature does (see ``answers``).

``.model`` (the ``keras.Model``) is loaded when first used, so the ONNX
runtime never pays for TensorFlow unless asked. Answers:

- regression: float32 values, shape (n,);
- classifiers: class names (or indices if the bundle has none), shape (n,);
- ``predict_proba`` (probabilistic classifiers): (n, c) probabilities, for a
  binary model the columns [1 - p, p] as scikit-learn orders them.

Example:
    >>> model = nda.build_model("softmax_classifier", input_dim=2, num_classes=3)
    >>> model.get_layer("logits").set_weights(
    ...     [np.eye(2, 3, dtype="float32"), np.zeros(3, "float32")])
    >>> bundle = nda.load_model(nda.save_model(model, "b", class_names=list("abc")))
    >>> bundle.predict([[5.0, 0.0], [0.0, 5.0]])
    array(['a', 'b'], dtype='<U1')
"""

import numpy as np

from nda_models.core.lazy_module import lazy_module
from nda_models.export.read.answers import answers, compiled_call
from nda_models.export.read.bundle_display import html_table, one_line
from nda_models.export.read.input_checks import features_array
from nda_models.export.read.keras_bundle import load_bundle_keras
from nda_models.export.read.output_checks import check_finite, check_structure
from nda_models.export.write.serving import serving_output_names

pd = lazy_module("pandas")

# Rows per call of the compiled function: bounds memory on very large inputs.
CHUNK_ROWS = 1 << 18


class LoadedModel:
    """A loaded bundle: its Keras model, its metadata and inference methods.

    Args:
        model: The ``keras.Model`` from the bundle's model.keras, or ``None``
            to load it from ``path`` when first used.
        metadata: The dict of metadata.json.
        path: The bundle directory.
        onnx_runner: An ``OnnxRunner`` over model.onnx to serve ``predict``
            with ONNX Runtime, or ``None`` to serve it with Keras.

    Attributes:
        model: The ``keras.Model`` (loaded on first use with the ONNX runtime).
        runtime: ``"onnx"`` or ``"keras"``, what serves ``predict``.
        metadata: The metadata dict.
        feature_names: Input feature names in order, or ``None``.
        class_names: Class names by index, or ``None``.
        task: ``"regression"``, ``"binary"`` or ``"multiclass"``.
    """

    def __init__(self, model, metadata, path=None, onnx_runner=None):
        if model is None and (path is None or onnx_runner is None):
            raise ValueError(
                "LoadedModel needs a Keras model, or a bundle path and an ONNX "
                f"runner to serve predictions. Received: model=None, path={path!r}"
            )
        self._model = model
        self._onnx = onnx_runner
        self.runtime = "keras" if onnx_runner is None else "onnx"
        self.metadata = metadata
        self.path = path
        self.task = metadata["task"]
        self.output_kind = metadata["output_kind"]
        self.input_dim = int(metadata["input_dim"])
        names = metadata.get("feature_names")
        self.feature_names = None if names is None else tuple(names)
        classes = metadata.get("class_names")
        self.class_names = None if classes is None else tuple(classes)
        self._classes = None if classes is None else np.asarray(classes)
        self._num_classes = _num_classes(metadata, self.output_kind)
        self._function = None
        numeric = [
            n for n in serving_output_names(self.output_kind) if n != "class_name"
        ]
        self._onnx_outputs = {
            True: numeric,
            False: [name for name in numeric if name != "class_index"],
        }

    @property
    def model(self):
        """The bundle's ``keras.Model``, rebuilt safely from model.keras.

        With the ONNX runtime it is loaded (and TensorFlow imported) only now.
        """
        if self._model is None:
            self._model = load_bundle_keras(self.path, self.metadata)
        return self._model

    def predict(self, x):
        """Predicts from raw features: values, or class names for classifiers.

        Args:
            x: NumPy array or list of rows of shape (n, input_dim), or a pandas
                DataFrame whose columns are matched to ``feature_names``.

        Returns:
            A NumPy array of shape (n,): float32 values for regression (or
            (n, k) for k outputs), class names (or int indices) otherwise.

        Raises:
            ValueError, TypeError: for invalid input, see ``input_checks``.
        """
        result = self._forward(x)
        if self.output_kind == "regression":
            return result["predictions"]
        return self._labels(result["class_index"])

    @property
    def predict_proba(self):
        """Class probabilities, (n, c); absent for the perceptron and regressors.

        As in scikit-learn, models without probabilities have no
        ``predict_proba``: ``hasattr(bundle, "predict_proba")`` is False.
        """
        if self.output_kind == "binary_decision":
            raise AttributeError(
                "The perceptron gives decisions, not probabilities, so this "
                "bundle has no predict_proba. Use predict(x) for its decisions."
            )
        if self.output_kind == "regression":
            raise AttributeError(
                "A regression model has no class probabilities, so this bundle "
                "has no predict_proba. Use predict(x)."
            )
        return self._predict_proba

    def _predict_proba(self, x):
        """Returns the (n, c) class probabilities of the rows of ``x``."""
        return self._forward(x, index=False)["probabilities"]

    def predict_frame(self, x):
        """Predictions as a DataFrame, one row per input row, in order.

        Columns: ``prediction`` (value or class name), and for probabilistic
        classifiers one ``probability_<class>`` column per class. Used by
        ``nda predict``.
        """
        result = self._forward(x)
        if self.output_kind == "regression":
            values = result["predictions"]
            return pd.DataFrame(
                {"prediction": list(values) if values.ndim > 1 else values}
            )
        frame = pd.DataFrame({"prediction": self._labels(result["class_index"])})
        if "probabilities" in result:
            probabilities = result["probabilities"]
            names = self.class_names or range(probabilities.shape[1])
            for column, name in enumerate(names):
                frame[f"probability_{name}"] = probabilities[:, column]
        return frame

    def _forward(self, x, index=True):
        """Validated input -> the signature's numeric outputs as NumPy arrays.

        Raises:
            ValueError: for invalid input (``input_checks``), answers that are
                not finite (``output_checks``), or a model.onnx whose answers
                do not fit the bundle ("corrupt or incomplete bundle").
        """
        values = features_array(x, self.feature_names, self.input_dim, stacklevel=4)
        if values.shape[0] <= CHUNK_ROWS:
            result = self._run(values, index)
        else:
            starts = range(0, values.shape[0], CHUNK_ROWS)
            parts = [self._run(values[i : i + CHUNK_ROWS], index) for i in starts]
            result = {k: np.concatenate([part[k] for part in parts]) for k in parts[0]}
        check_finite(result, values)
        return result

    def _run(self, values, index):
        """One runtime call: ONNX Runtime, or the compiled Keras model + NumPy."""
        if self._onnx is not None:
            result = self._onnx(values, self._onnx_outputs[index])
            check_structure(
                result, self.output_kind, len(values), self._num_classes, self.path
            )
            return result
        if self._function is None:
            self._function = compiled_call(self.model)
        return answers(self._function(values).numpy(), self.output_kind, index=index)

    def _labels(self, index):
        return index if self._classes is None else self._classes[index]

    def __repr__(self):
        return one_line(self)

    def _repr_html_(self):
        """The bundle as a table in Jupyter: model, task, features, classes,
        runtime, metrics, creation time (every string escaped)."""
        return html_table(self)


def _num_classes(metadata, kind):
    """2 for binary kinds, the number of class names for multiclass, else None."""
    if kind == "regression":
        return None
    if kind.startswith("binary"):
        return 2
    names = metadata.get("class_names") or (metadata.get("serving") or {}).get(
        "class_names"
    )
    return len(names) if names else None
