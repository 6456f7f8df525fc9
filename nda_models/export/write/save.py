"""``save_model``: writes a trained model as a bundle, atomically.

The bundle holds model.keras, a SavedModel, model.onnx (the same signature
for ONNX Runtime, see ``onnx_export``), metadata.json and history.csv.

Example:
    >>> import nda_models as nda
    >>> ds = nda.load_dataset("iris")
    >>> model = nda.build_model("softmax_classifier", input_dim=4, num_classes=3,
    ...                         normalization=ds.normalization)
    >>> nda.save_model(model, "saved_models/iris_softmax", dataset=ds)
    PosixPath('/.../saved_models/iris_softmax')
"""

from nda_models.core.path_argument import path_argument
from nda_models.export.format import bundle_layout
from nda_models.export.format.checksums import tree_checksums
from nda_models.export.format.json_values import to_json
from nda_models.export.format.metadata import (
    check_text,
    finish_metadata,
    user_metadata,
    write_metadata,
)
from nda_models.export.write import atomic, model_facts
from nda_models.export.write.description import describe_for_bundle
from nda_models.export.write.history_csv import history_frame
from nda_models.export.write.onnx_export import export_onnx
from nda_models.export.write.serving import export_saved_model, serving_output_names
from nda_models.zoo.keras_model import check_keras_model


def save_model(
    model,
    path=None,
    *,
    feature_names=None,
    class_names=None,
    dataset=None,
    history=None,
    overwrite=True,
    onnx=True,
    **metadata,
):
    """Saves ``model`` as a bundle: .keras, SavedModel, ONNX, metadata, history.

    The bundle is written into a temporary folder beside ``path``, flushed to
    disk and then swapped in, so ``path`` always holds a complete bundle (the
    old one until the new one is complete). Input normalisation is part of the
    model (its ``Normalization`` layer), so the bundle takes raw features.

    Args:
        model: A trained single-input ``keras.Model`` (a zoo model or another
            model with input shape (batch, input_dim)), or a fitted
            ``nda_models.sklearn`` estimator (its feature names, class names
            and model hyper-parameters are recorded).
        path: Bundle directory; default ``saved_models/<model.name>``.
        feature_names: Input feature names in order; default the dataset's.
        class_names: One name per class index; default the dataset's.
        dataset: The dataset name, or the ``Dataset`` the model was trained on.
        history: A keras ``History``, a dict of per-epoch lists or a DataFrame;
            written to history.csv.
        overwrite: Replace an existing bundle at ``path``.
        onnx: Also write model.onnx, so that ``load_model`` serves the bundle
            with ONNX Runtime, without TensorFlow. ``False`` is for models the
            converter cannot translate; such bundles are served by Keras.
        **metadata: Stored in metadata.json. ``hparams`` (the builder's
            hyper-parameters; ``build_model``'s are recorded by themselves),
            ``metrics`` (e.g. test accuracy), and for models outside the
            registry ``task`` and ``output_kind`` (required for a binary
            model: ``"binary_probability"`` or ``"binary_decision"``) have a
            meaning; other keys are kept.

    Returns:
        The absolute ``pathlib.Path`` of the bundle.

    Raises:
        ValueError: if a weight is NaN or infinite (nothing is written), if
            names do not fit the model, ``path`` is not a bundle folder, or
            the model cannot be converted to ONNX (see ``onnx``).
        TypeError: if ``model`` is not a ``keras.Model`` or metadata is not
            JSON-serialisable.
        FileExistsError: if ``path`` exists and ``overwrite`` is False.
    """
    if hasattr(model, "__nda_model__"):
        # A fitted nda_models.sklearn estimator: its Keras model, and the
        # feature names, class names and hyper-parameters it holds.
        model, known = model.__nda_model__()
        if feature_names is None:
            feature_names = known.pop("feature_names", None)
        if class_names is None:
            class_names = known.pop("class_names", None)
        known.pop("feature_names", None)
        known.pop("class_names", None)
        metadata = {**known, **metadata}
    check_keras_model(model)
    if path is not None:
        path = path_argument(path, "path", "saved_models/NAME")
    if not isinstance(onnx, bool):
        raise TypeError(f"`onnx` must be True or False. Received: onnx={onnx!r}")
    model_facts.check_finite_weights(model)
    fields = describe_for_bundle(
        model,
        feature_names=feature_names,
        class_names=class_names,
        dataset=dataset,
        task=metadata.pop("task", None),
        output_kind=metadata.pop("output_kind", None),
        hparams=metadata.pop("hparams", None),
    )
    fields["metrics"] = to_json(dict(metadata.pop("metrics", None) or {}), "metrics")
    fields["history_file"] = bundle_layout.HISTORY_FILE if history is not None else None
    fields.update(user_metadata(metadata))
    check_text(fields)
    frame = None if history is None else history_frame(history)
    if path is None:
        path = bundle_layout.default_bundle_path(model.name)

    def write(folder):
        _write_bundle(model, folder, fields, frame, onnx)

    return atomic.write_atomically(path, write, overwrite=overwrite)


def _write_bundle(model, folder, fields, history_table, onnx):
    """Writes every file of the bundle into the empty ``folder``."""
    model.save(folder / bundle_layout.KERAS_FILE)
    kind = fields["output_kind"]
    names = fields["class_names"]
    if names is None and kind != "regression":
        names = [str(index) for index in range(_num_classes(model, kind))]
    export_saved_model(
        model, folder / bundle_layout.SAVED_MODEL_DIR, kind, names, fields["input_dim"]
    )
    fields["serving"] = {
        "directory": bundle_layout.SAVED_MODEL_DIR,
        "signature": bundle_layout.SERVING_SIGNATURE,
        "input": bundle_layout.SERVING_INPUT,
        "class_names": names,
        "outputs": serving_output_names(kind),
    }
    fields["onnx"] = None
    if onnx:
        fields["onnx"] = export_onnx(
            model, folder / bundle_layout.ONNX_FILE, kind, names, fields["input_dim"]
        )
    if history_table is not None:
        history_table.to_csv(folder / bundle_layout.HISTORY_FILE, index=False)
    write_metadata(folder, finish_metadata(fields, tree_checksums(folder)))


def _num_classes(model, kind):
    return 2 if kind.startswith("binary") else model_facts.output_width(model)
