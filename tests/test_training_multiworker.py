"""Trainer(strategy=MultiWorkerMirroredStrategy): two worker processes on loopback.

Two processes, each a worker of a ``TF_CONFIG`` cluster on 127.0.0.1, train
the same zoo model on the same seeded data with the same global batch, as
the README describes for several machines. The oracle is a third process
that trains on one device without a strategy: if the workers did not
all-reduce their gradients, each would step on half a batch's gradient and
the weights would differ from it.

The checkpoint layout is checked too (the chief writes ``checkpoint_dir``,
worker 1 ``checkpoint_dir/worker-worker-1``), and a second round of the two
workers resumes each from its own folder and trains a third epoch.

The cluster's processes are started by ``tests/cluster.py``. Each worker
holds only its half of the in-memory rows (replica r keeps rows r, r + 2,
...), yet trains on the same mini-batches as one device.
"""

import numpy as np
import pytest
from cluster import launch, start_workers, wait_all

WORKER = """
import contextlib, sys
import numpy as np
import tensorflow as tf

role, out, checkpoint_dir, epochs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
# The strategy first, before any other TensorFlow call (as TF requires).
strategy = tf.distribute.MultiWorkerMirroredStrategy() if role == "worker" else None
import keras
import nda_models as nda

rng = np.random.default_rng(0)
x = rng.normal(size=(203, 8)).astype(np.float32)  # 203 = 6 x 32 + 11: uneven split
y = np.argmax(x[:, :3] + 0.5 * x[:, 3:6], axis=1).astype(np.int32)

def run(epochs, checkpoint_dir):
    scope = strategy.scope() if strategy else contextlib.nullcontext()
    with scope:
        model = nda.build_model("mlp_classifier", input_dim=8, num_classes=3,
                                hidden_units=(16,), seed=0)
    trainer = nda.Trainer(model, optimizer="sgd", learning_rate=0.1,
                          batch_size=32, seed=0, strategy=strategy,
                          checkpoint_dir=checkpoint_dir or None,
                          checkpoint_every=4 if checkpoint_dir else None)
    ran = []  # the epochs this call trains (a resumed run skips the done ones)
    counter = keras.callbacks.LambdaCallback(on_epoch_begin=lambda e, _: ran.append(e))
    history = trainer.fit(x, y, epochs=epochs, callbacks=[counter])
    return model.get_weights(), history.history["loss"], ran

def save(path, weights, losses, ran):
    replicas = strategy.num_replicas_in_sync if strategy else 1
    np.savez(path, *weights, loss=np.array(losses), ran=np.array(ran),
             replicas=np.array(replicas))

if role == "worker":
    save(out, *run(int(epochs), checkpoint_dir))
else:  # one device, no strategy: 2 epochs, then a fresh run of 3 epochs
    save(out + "-2.npz", *run(2, None))
    save(out + "-3.npz", *run(3, None))
"""


def _start_workers(tmp_path, round_name, epochs, checkpoint_dir):
    def args_of(index):
        out = tmp_path / f"{round_name}-worker{index}.npz"
        return ["worker", out, checkpoint_dir, epochs]

    return start_workers(tmp_path, round_name, tmp_path / "worker.py", args_of)


def _gap(a, b):
    keys = [k for k in a.files if k.startswith("arr_")]
    assert keys == [k for k in b.files if k.startswith("arr_")]
    return max(float(np.max(np.abs(a[k] - b[k]))) for k in keys)


def _checkpoints(folder):
    return sorted(p.name for p in folder.glob("ckpt-*.index"))


@pytest.mark.slow
def test_two_workers_on_loopback_match_one_device_and_resume(tmp_path):
    (tmp_path / "worker.py").write_text(WORKER)
    checkpoint_dir = tmp_path / "checkpoints"
    script = tmp_path / "worker.py"
    single = launch(tmp_path, "single", script, ["single", tmp_path / "single", "", 0])
    wait_all(tmp_path, [*_start_workers(tmp_path, "first", 2, checkpoint_dir), single])
    chief, other = (np.load(tmp_path / f"first-worker{i}.npz") for i in range(2))
    one_device = np.load(tmp_path / "single-2.npz")

    print("round 1 gaps:", _gap(chief, other), _gap(chief, one_device))
    assert int(chief["replicas"]) == int(other["replicas"]) == 2
    assert list(chief["ran"]) == [0, 1]
    assert _gap(chief, other) <= 1e-6  # every worker applies the same update
    assert _gap(chief, one_device) <= 1e-5  # the global batch's gradient
    np.testing.assert_allclose(chief["loss"], one_device["loss"], atol=1e-5)

    # 203 examples / 32 = 7 steps per epoch, 14 in all; saved every 4 steps
    # and at epoch ends, the newest 3 kept: steps 8, 12, 14 = ckpt-3..5.
    expected = ["ckpt-3.index", "ckpt-4.index", "ckpt-5.index"]
    assert _checkpoints(checkpoint_dir) == expected
    assert _checkpoints(checkpoint_dir / "worker-worker-1") == expected
    assert sorted(p.name for p in checkpoint_dir.iterdir() if p.is_dir()) == [
        "worker-worker-1"
    ]

    # Second round: each worker resumes from its own folder, trains epoch 3.
    wait_all(tmp_path, _start_workers(tmp_path, "second", 3, checkpoint_dir))
    chief, other = (np.load(tmp_path / f"second-worker{i}.npz") for i in range(2))
    one_device = np.load(tmp_path / "single-3.npz")
    print("round 2 gaps:", _gap(chief, other), _gap(chief, one_device))
    assert _gap(chief, other) <= 1e-6
    assert _gap(chief, one_device) <= 1e-5
    assert list(chief["ran"]) == list(other["ran"]) == [2]  # resumed, not rerun
    assert len(chief["loss"]) == 3  # the History of the first round is kept
    np.testing.assert_allclose(chief["loss"], one_device["loss"], atol=1e-5)
