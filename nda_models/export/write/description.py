"""The descriptive fields of a bundle, gathered from the model, dataset and user.

Names come from the arguments of ``save_model`` first, then from the dataset
(a ``nda_models.data.Dataset`` or any object with ``name``, ``task``,
``feature_names`` and ``class_names``). They are checked against the model:
one feature name per input, one class name per class.

Example:
    >>> ds = nda.load_dataset("iris")
    >>> model = nda.build_model("softmax_classifier", input_dim=4, num_classes=3)
    >>> fields = describe_for_bundle(model, dataset=ds)
    >>> fields["output_kind"], fields["class_names"]
    ('multiclass_probability', ['setosa', 'versicolor', 'virginica'])
"""

from nda_models.export.format.json_values import to_json
from nda_models.export.write import model_facts
from nda_models.zoo.tasks import TASKS


def describe_for_bundle(
    model,
    *,
    feature_names=None,
    class_names=None,
    dataset=None,
    task=None,
    output_kind=None,
    hparams=None,
):
    """Returns the descriptive metadata fields of ``model``.

    Raises:
        ValueError: for names that do not fit the model, a task that
            contradicts the registry or the dataset, or an output kind that
            is missing or wrong (see ``model_facts.output_kind``).
        TypeError: for a dataset that is neither a name nor a dataset object.
    """
    data = dataset_summary(dataset)
    task = _resolve_task(model, task, data)
    kind = model_facts.output_kind(model, task, output_kind)
    input_dim = model_facts.input_width(model)
    if feature_names is None:
        feature_names = getattr(dataset, "feature_names", None)
    if class_names is None and task != "regression":
        class_names = getattr(dataset, "class_names", None)
    merged = model_facts.built_hparams(model)
    merged.update(to_json(dict(hparams or {}), "hparams"))
    return {
        "registry_name": model.name if model_facts.registered_task(model) else None,
        "task": task,
        "output_kind": kind,
        "input_dim": input_dim,
        "hparams": merged,
        "feature_names": check_feature_names(feature_names, input_dim),
        "class_names": check_class_names(class_names, kind, model),
        "dataset": data,
        "normalization": model_facts.normalization_stats(model),
    }


def dataset_summary(dataset):
    """``{"name", "task", "n_train", "n_val", "n_test"}`` of a dataset, or None."""
    if dataset is None:
        return None
    if isinstance(dataset, str):
        return {"name": dataset}
    if not hasattr(dataset, "name"):
        raise TypeError(
            "`dataset` must be a dataset name or a Dataset from nda.load_dataset. "
            f"Received: dataset of type {type(dataset).__name__}"
        )
    summary = {"name": str(dataset.name), "task": getattr(dataset, "task", None)}
    for split in ("train", "val", "test"):
        x = getattr(dataset, f"x_{split}", None)
        if x is not None:
            summary[f"n_{split}"] = int(len(x))
    return summary


def _resolve_task(model, task, data):
    registered = model_facts.registered_task(model)
    data_task = (data or {}).get("task")
    for source, other in (("task", task), ("dataset task", data_task)):
        if registered and other and other != registered:
            raise ValueError(
                f"The model {model.name!r} is a {registered} model, but the "
                f"{source} is {other!r}. Save it with a matching dataset. "
                f"Received: {source}={other!r}"
            )
    return TASKS.check("task", registered or task or data_task or "regression")


def check_feature_names(names, input_dim):
    """One unique string per input feature, or ``None``."""
    if names is None:
        return None
    names = _string_list("feature_names", names)
    if len(names) != input_dim:
        raise ValueError(
            f"The model takes {input_dim} features, so `feature_names` needs "
            f"{input_dim} names in input order. Received: {len(names)} names {names}"
        )
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(
            "Feature names must be unique so that DataFrame columns can be "
            f"matched by name. Received duplicates: {duplicates}"
        )
    return names


def check_class_names(names, kind, model):
    """One string per class (two for binary models), or ``None``."""
    if kind == "regression":
        if names is not None:
            raise ValueError(
                "A regression model has no classes; pass class_names=None (or, "
                "for a classifier outside the registry, task='binary' or "
                f"'multiclass'). Received: class_names={names!r}"
            )
        return None
    if names is None:
        return None
    names = _string_list("class_names", names)
    expected = 2 if kind.startswith("binary") else model_facts.output_width(model)
    if len(names) != expected or len(set(names)) != len(names):
        raise ValueError(
            f"The model has {expected} classes, so `class_names` needs {expected} "
            f"distinct names, one per class index. Received: {names}"
        )
    return names


def _string_list(argument, names):
    if isinstance(names, str | bytes) or not hasattr(names, "__iter__"):
        raise TypeError(
            f"`{argument}` must be a list of strings. Received: {argument}={names!r}"
        )
    return [str(name) for name in names]
