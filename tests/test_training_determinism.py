"""Same seed, same machine, same versions: the same weights, for every zoo model.

Each model is built and trained twice from scratch in this process (dropout
on for the MLPs, shuffled mini-batches, momentum) and the weights must be
equal bit for bit; a checkpointed run must give the same weights too.
"""

import numpy as np
import pytest

import nda_models as nda
from nda_models.training import Trainer


def _data(task, n=96, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype(np.float32)
    score = x[:, 0] - 2 * x[:, 1] + 0.5 * x[:, 2]
    if task == "regression":
        return x, (score + 0.1 * rng.normal(size=n)).astype(np.float32)
    if task == "binary":
        return x, (score > 0).astype(np.int32)
    return x, np.digitize(score, [-1.0, 1.0]).astype(np.int32)


def _train(name, seed, checkpoint_dir=None):
    spec = nda.describe_model(name)
    hparams = {}
    if "num_classes" in spec.required:
        hparams["num_classes"] = 3
    if "seed" in spec.defaults:
        hparams.update(seed=0, hidden_units=(8, 8), dropout=0.2)
    model = nda.build_model(name, input_dim=4, **hparams)
    x, y = _data(spec.task)
    trainer = Trainer(
        model, optimizer="momentum", learning_rate=0.05, batch_size=10, seed=seed,
        checkpoint_dir=checkpoint_dir, checkpoint_every=4 if checkpoint_dir else None,
    )  # fmt: skip
    trainer.fit(x, y, epochs=3)
    return model.get_weights()


@pytest.mark.parametrize("name", nda.list_models())
def test_same_seed_gives_bit_identical_weights(name, tmp_path):
    first, second = _train(name, seed=4), _train(name, seed=4)
    checkpointed = _train(name, seed=4, checkpoint_dir=tmp_path)
    for a, b, c in zip(first, second, checkpointed, strict=True):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)
    other = _train(name, seed=5)
    assert any(not np.array_equal(a, b) for a, b in zip(first, other, strict=True))
