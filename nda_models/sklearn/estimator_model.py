"""The estimator's Keras models: ``model_``, the pooled training model, blocks.

A fit involves two Keras models of the same architecture (same builder,
same options, the same ``model.variables`` in the same order):

- ``model_``, the estimator's own: built with ``normalization=`` (the
  training data's mean and variance, when ``standardize=True``), so it takes
  raw features, as a bundle does; it is what ``predict`` runs and what
  ``save`` and ``nda.save_model`` write;
- the *training model* of a pooled ``Trainer`` (see ``trainer_pool``),
  built without normalisation: the statistics would be constants of its
  traced graphs. The fit standardises the features itself, with the
  ``Normalization`` layer's formula, so both see the same numbers.

Predictions run ``model_`` on blocks of exactly ``PREDICT_BLOCK`` rows (the
last one padded): a row's float32 result then never depends on which or how
many other rows share the call (a matrix product of another height may round
differently by 1 ulp), as scikit-learn's subset and sample-order checks
require.
"""

import numpy as np

from nda_models.core.lazy_module import lazy_module
from nda_models.zoo.registry import build_model, describe_model

keras = lazy_module("keras")

PREDICT_BLOCK = 1024


def architecture(model_name, input_dim, options, seed):
    """The builder arguments of a fit (all but the normalisation).

    Args:
        model_name: Registry key.
        input_dim: Number of features.
        options: Builder options (model hyper-parameters, ``num_classes``).
        seed: Seed of the initial weights and dropout, for builders that take one.

    Returns:
        ``{"name": ..., "input_dim": ..., "options": {...}}``.
    """
    options = dict(options)
    if "seed" in describe_model(model_name).defaults:
        options["seed"] = seed
    return {"name": model_name, "input_dim": int(input_dim), "options": options}


def build_estimator_model(arch, normalization):
    """Builds ``model_``: the architecture with ``normalization`` inside."""
    return build_model(
        arch["name"], input_dim=arch["input_dim"], normalization=normalization,
        **arch["options"],
    )  # fmt: skip


def build_training_model(arch):
    """Builds the pooled ``Trainer``'s model: no normalisation, seed 0 (its
    weights are replaced by each fit's own)."""
    options = dict(arch["options"])
    if "seed" in options:
        options["seed"] = 0
    return build_model(arch["name"], input_dim=arch["input_dim"], **options)


def pool_key(arch, trainer_options):
    """The key of the pooled ``Trainer``s this fit can use, or ``None``.

    Everything that shapes the traced graphs is in it; the seed, η (unless
    a schedule holds it) and M are not: ``Trainer.reset`` sets those.
    """
    options = {k: v for k, v in arch["options"].items() if k != "seed"}
    try:
        key = (
            arch["name"], arch["input_dim"], _frozen(options),
            _frozen(trainer_options),
        )  # fmt: skip
        hash(key)
    except TypeError:  # an unhashable option (an optimizer or schedule object)
        return None
    return key


def _frozen(options):
    return tuple(
        sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in options.items())
    )


def standardize(x, normalization):
    """``(x - mean) / max(sqrt(variance), ε)`` in float32, as the model's
    ``Normalization`` layer computes it (``x`` itself without statistics)."""
    if normalization is None:
        return x
    mean, variance = normalization
    scale = np.maximum(np.sqrt(variance), np.float32(keras.config.epsilon()))
    return ((x - mean) / scale).astype(np.float32)


def predict_in_blocks(model, x):
    """``model``'s inference outputs on float32 ``x``, in padded fixed blocks."""
    to_numpy = keras.ops.convert_to_numpy  # bound once, not per block
    parts = []
    for start in range(0, x.shape[0], PREDICT_BLOCK):
        block = x[start : start + PREDICT_BLOCK]
        rows = block.shape[0]
        if rows < PREDICT_BLOCK:
            padding = np.zeros((PREDICT_BLOCK - rows, x.shape[1]), dtype=x.dtype)
            block = np.concatenate([block, padding])
        outputs = to_numpy(model(block, training=False))
        parts.append(outputs[:rows])
    if not parts:
        width = model.outputs[0].shape[-1]
        return np.zeros((0, width), dtype=np.float32)
    return np.concatenate(parts)
