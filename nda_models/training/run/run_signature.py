"""The signature of a training run: what must not change when it resumes.

A flat dict of JSON values — the model (name, layers and their
configuration), the trainer settings (optimizer and its learning rate or
schedule, loss, batch size, sampling, seed, metrics) and the data (size,
width and a SHA-256 of in-memory arrays; a ``stream_csv``'s files, their
bytes and reading settings, see ``data/stream_identity.py``; and how workers
share it: a sharded dataset cannot resume on a different number of workers).
``RunCheckpoints`` stores it beside the checkpoints and refuses to resume
when it differs. The number of
epochs and the checkpoint interval are not part of it: a run may be
resumed to train longer.
"""

import hashlib
import json
import re

import numpy as np

_SKIPPED_CONFIG_KEYS = {"name", "trainable", "dtype", "build_config"}
#: The keys every signature has, whatever the model and data.
REQUIRED_KEYS = frozenset(
    {"model.name", "model.class", "trainer.optimizer", "trainer.loss",
     "trainer.batch_size", "trainer.sampling", "trainer.seed", "trainer.metrics"}
)  # fmt: skip
_MAX_SHOWN = 60


def run_signature(*, model, optimizer, loss, batch_size, sampling, seed, metrics,
                  source):  # fmt: skip
    """Returns the flat signature dict of a run: the facts it must keep.

    Args:
        model: The ``keras.Model`` (name, class, each layer's configuration).
        optimizer: The Keras optimizer (class and configuration).
        loss: The Keras loss (class and configuration).
        batch_size: M.
        sampling: The sampling name.
        seed: The sampling seed.
        metrics: The metric names.
        source: The training data source (``data.*`` facts).

    Example:
        >>> import keras
        >>> from nda_models.training.loop.sources import ArraySource
        >>> x, y = np.zeros((8, 2), np.float32), np.zeros(8, np.float32)
        >>> signature = run_signature(
        ...     model=nda.build_model("linear_regressor", input_dim=2),
        ...     optimizer=keras.optimizers.SGD(0.05),
        ...     loss=keras.losses.MeanSquaredError(), batch_size=4,
        ...     sampling="permutation", seed=0, metrics=("mean_absolute_error",),
        ...     source=ArraySource(x, y, 4))
        >>> signature["trainer.batch_size"], signature["trainer.optimizer"]
        (4, 'SGD')
        >>> signature["data.num_samples"], signature["trainer.optimizer.learning_rate"]
        (8, 0.05)
    """
    signature = {"model.name": model.name, "model.class": type(model).__name__}
    for index, layer in enumerate(model.layers):
        config = {
            key: value
            for key, value in layer.get_config().items()
            if key not in _SKIPPED_CONFIG_KEYS
        }
        signature[f"model.layers[{index}]"] = _compact(type(layer).__name__, config)
    signature["trainer.optimizer"] = type(optimizer).__name__
    for key, value in optimizer.get_config().items():
        if key != "name":
            signature[f"trainer.optimizer.{key}"] = _json(value)
    signature["trainer.loss"] = _compact(type(loss).__name__, _config(loss))
    signature["trainer.batch_size"] = batch_size
    signature["trainer.sampling"] = sampling
    signature["trainer.seed"] = seed
    signature["trainer.metrics"] = list(metrics)
    signature.update(_data_signature(source))
    return signature


def signature_difference(saved, current):
    """Returns ``["key: old → new", ...]`` for every key whose value differs."""
    missing = object()
    changes = []
    for key in sorted(set(saved) | set(current)):
        old, new = saved.get(key, missing), current.get(key, missing)
        if old != new:
            changes.append(f"{key}: {_shown(old, missing)} → {_shown(new, missing)}")
    return changes


def signature_summary(saved, current):
    """Returns one short ``"key: what changed"`` per differing key.

    A layer is shown by the settings that changed, not its whole
    configuration: ``model.layers[1]: units 6 → 7``.

    Example:
        >>> signature_summary({"trainer.seed": 1}, {"trainer.seed": 2})
        ['trainer.seed: 1 → 2']
    """
    missing = object()
    changes = []
    for key in sorted(set(saved) | set(current)):
        old, new = saved.get(key, missing), current.get(key, missing)
        if old == new:
            continue
        old_parts, new_parts = _parts(old), _parts(new)
        if old_parts and new_parts and old_parts[0] == new_parts[0]:
            fields = sorted(set(old_parts[1]) | set(new_parts[1]))
            what = ", ".join(
                f"{name} {_short(old_parts[1].get(name, '(absent)'))} → "
                f"{_short(new_parts[1].get(name, '(absent)'))}"
                for name in fields
                if old_parts[1].get(name) != new_parts[1].get(name)
            )
        else:
            what = f"{_short(_shown(old, missing))} → {_short(_shown(new, missing))}"
        changes.append(f"{key}: {what}")
    return changes


def _parts(value):
    """``"Kind(a=1, b=2)"`` -> ``("Kind", {"a": "1", "b": "2"})``, else None."""
    match = isinstance(value, str) and re.fullmatch(r"(\w+)\((.*)\)", value)
    if not match:
        return None
    fields = {}
    for part in re.split(r", (?=\w+=)", match.group(2)) if match.group(2) else []:
        name, _, text = part.partition("=")
        fields[name] = text
    return match.group(1), fields


def _short(text):
    return text if len(text) <= 40 else text[:37] + "..."


def _data_signature(source):
    # Sharding only under a strategy: single-device signatures stay as they were.
    sharding = {} if source.sharding == "none" else {"data.sharding": source.sharding}
    arrays = getattr(source, "arrays", None)
    if arrays is None:
        stream = _stream_identity(source)
        facts = {} if stream is None else stream.signature()
        return {"data.steps_per_epoch": source.steps_per_epoch, **facts, **sharding}
    x, y = arrays
    digest = hashlib.sha256()
    for array in (x, y):
        digest.update(np.ascontiguousarray(array).tobytes())
    return {
        "data.num_samples": int(x.shape[0]),
        "data.input_dim": int(x.shape[1]),
        "data.sha256": digest.hexdigest()[:16],
        **sharding,
    }


def _stream_identity(source):
    """The ``StreamIdentity`` of a ``stream_csv`` source (its files, their
    bytes, how they are read), or ``None`` for another dataset."""
    return getattr(getattr(source, "input_function", None), "identity", None)


def _config(value):
    get_config = getattr(value, "get_config", None)
    try:
        return get_config() if get_config is not None else {}
    except (NotImplementedError, TypeError):
        return {}


def _json(value):
    """``value`` as plain JSON types (tuples become lists, objects strings),
    floats at float32 precision (0.05, not 0.05000000074505806)."""
    return _rounded(json.loads(json.dumps(value, default=str, sort_keys=True)))


def _rounded(value):
    if isinstance(value, float):
        return float(f"{value:.7g}")
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    return value


def _compact(kind, config):
    """``Kind(key=value, ...)`` with long values replaced by a short digest."""
    parts = []
    for key, value in sorted(config.items()):
        text = json.dumps(_json(value), sort_keys=True)
        if len(text) > _MAX_SHOWN:
            text = "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:12]
        parts.append(f"{key}={text}")
    return f"{kind}({', '.join(parts)})"


def _shown(value, missing):
    return "(absent)" if value is missing else json.dumps(value)
