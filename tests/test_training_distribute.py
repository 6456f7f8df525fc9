"""Trainer(strategy=MirroredStrategy): same weights as one device, same global batch.

The CPU is split into two logical devices, which must happen before
TensorFlow initialises its devices, so the comparison runs in a subprocess.
"""

import subprocess
import sys

import pytest

SCRIPT = """
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import contextlib
import numpy as np
from sklearn.datasets import make_classification
import nda_models as nda
from nda_models.training import Trainer

x, y = make_classification(n_samples=203, n_features=6, n_informative=4,
                           n_classes=3, random_state=0)
x, y = x.astype(np.float32), y.astype(np.int32)
frame = {f"x{i}": x[:, i] for i in range(6)}
import pandas as pd
pd.DataFrame(dict(frame, y=y)).to_csv(sys.argv[2], index=False)

def run(strategy, data="arrays", optimizer="momentum", **options):
    scope = strategy.scope() if strategy else contextlib.nullcontext()
    with scope:
        model = nda.build_model("mlp_classifier", input_dim=6, num_classes=3,
                                hidden_units=(8,), l2=0.01, seed=0)
    trainer = Trainer(model, optimizer=optimizer, learning_rate=0.05,
                      batch_size=20, seed=3, strategy=strategy, **options)
    if data == "arrays":
        history = trainer.fit(x, y, epochs=3, validation_data=(x[:50], y[:50]))
    elif data == "dataset":
        dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(20)
        history = trainer.fit(dataset, epochs=3)
    else:  # distribute_datasets_from_function: per-replica batches of 10
        stream = nda.stream_csv(sys.argv[2], target="y", batch_size=20, shuffle=False)
        history = trainer.fit(stream, epochs=3)
    return model.get_weights(), history.history, trainer.evaluate(x, y)

def gap(a, b):
    return max(float(np.max(np.abs(p - q))) for p, q in zip(a, b, strict=True))

mirrored = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
assert mirrored.num_replicas_in_sync == 2
for data, optimizer in [("arrays", "momentum"), ("arrays", "adam"),
                        ("dataset", "sgd"), ("stream", "sgd")]:
    w1, h1, e1 = run(None, data, optimizer)
    w2, h2, e2 = run(mirrored, data, optimizer)
    print(data, optimizer, "weights", gap(w1, w2))
    losses = zip(h1["loss"], h2["loss"])
    print(data, optimizer, "loss", max(abs(a - b) for a, b in losses))
    print(data, optimizer, "evaluate", abs(e1["loss"] - e2["loss"]))
w3, _, _ = run(mirrored, checkpoint_dir=sys.argv[1], checkpoint_every=4)
w4, h4, _ = run(mirrored, checkpoint_dir=sys.argv[1], checkpoint_every=4)
print("resumed gap", gap(w3, w4))
print("resumed epochs", len(h4["loss"]))
"""


def _parse(stdout):
    values = {}
    for line in stdout.splitlines():
        *key, value = line.split()
        values[" ".join(key)] = float(value)
    return values


def test_two_replicas_match_one_device_within_1e_5(tmp_path):
    script = tmp_path / "distribute.py"
    script.write_text(SCRIPT)
    result = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "checkpoints"),
         str(tmp_path / "data.csv")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    values = _parse(result.stdout)
    for case in ("arrays momentum", "arrays adam", "dataset sgd", "stream sgd"):
        assert values[f"{case} weights"] <= 1e-5
        # losses are unscaled: the logged mean loss is the single-device one
        assert values[f"{case} loss"] <= 1e-5
        assert values[f"{case} evaluate"] <= 1e-5
    # A checkpoint written under the strategy restores: the finished run
    # resumes at its end (same weights) with its 3 epochs of History.
    assert values["resumed gap"] == 0.0
    assert values["resumed epochs"] == 3


def test_strategy_must_be_a_strategy_and_own_the_model():
    import tensorflow as tf

    import nda_models as nda
    from nda_models.training import Trainer

    model = nda.build_model("linear_regressor", input_dim=2)
    with pytest.raises(TypeError, match="must be None or a tf.distribute.Strategy"):
        Trainer(model, strategy="mirrored")
    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    with pytest.raises(ValueError, match=r"built under `strategy.scope\(\)`"):
        Trainer(model, strategy=strategy)
    with strategy.scope():
        inside = nda.build_model("linear_regressor", input_dim=2)
    import keras

    outside_optimizer = keras.optimizers.SGD(0.1)
    with pytest.raises(ValueError, match="optimizer .* created under"):
        Trainer(inside, optimizer=outside_optimizer, strategy=strategy)
