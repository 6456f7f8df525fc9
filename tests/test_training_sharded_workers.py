"""Two MultiWorkerMirroredStrategy workers on loopback, each reading its share
of a streamed CSV: by file (4 parts) and by line (1 file), and a sharded run
interrupted mid-epoch that resumes to the uninterrupted weights.

The model's first layer writes the row ids of every training batch it sees
(column 0 of the features, ``tf.print`` to a file per worker) and passes the
other columns on. From those logs: in every epoch the two workers read
disjoint rows whose union is the whole file. The weights of both workers are
identical, and equal to a single-device run (no strategy) fed the same global
batches in the same order: the union of the workers' batches, step by step.
"""

import re

import numpy as np
import pandas as pd
import pytest
from cluster import launch, start_workers, wait_all

SIZES = [80, 30, 60, 33]  # worker 0 reads 140 rows, worker 1 63: it ends first
ROWS = sum(SIZES)

WORKER = """
import sys
import numpy as np
import tensorflow as tf

role, data, ids_out, out = sys.argv[1:5]
strategy = tf.distribute.MultiWorkerMirroredStrategy() if role == "worker" else None
import contextlib
import keras
import nda_models as nda


class RowIds(keras.layers.Layer):
    # Logs column 0 (the row id) of each training batch; passes the rest on.
    def call(self, x, training=None):
        if training:
            ids = tf.cast(tf.round(x[:, 0]), tf.int64)
            tf.print(ids, output_stream="file://" + ids_out, summarize=-1)
        return x[:, 1:]


def build():
    inputs = keras.Input((5,))
    hidden = keras.layers.Dense(
        8, activation="tanh", kernel_initializer=keras.initializers.GlorotUniform(0)
    )(RowIds()(inputs))
    output = keras.layers.Dense(1, kernel_initializer="zeros")(hidden)
    return keras.Model(inputs, output)


with strategy.scope() if strategy else contextlib.nullcontext():
    model = build()
trainer = nda.Trainer(model, loss="mse", optimizer="momentum", learning_rate=0.05,
                      batch_size=32, seed=0, strategy=strategy)
steps = []  # the global step at each epoch's end
ends = keras.callbacks.LambdaCallback(
    on_epoch_end=lambda epoch, logs: steps.append(int(trainer.loop.step)))
if role == "worker":
    files = data.split(",")
    stream = nda.stream_csv(files if len(files) > 1 else files[0], target="y",
                            batch_size=32, seed=1, shuffle_buffer=64)
    losses = trainer.fit(stream, epochs=2, callbacks=[ends]).history["loss"]
else:  # one device, fed the workers' global batches in their order
    table = np.loadtxt(data, delimiter=",", skiprows=1, dtype=np.float32)
    losses = []
    for epoch, batches in enumerate(np.load(ids_out, allow_pickle=True)):
        def generate(batches=batches):
            for ids in batches:
                yield table[ids, :5], table[ids, 5]
        spec = (tf.TensorSpec([None, 5], tf.float32), tf.TensorSpec([None], tf.float32))
        dataset = tf.data.Dataset.from_generator(generate, output_signature=spec)
        history = trainer.fit(dataset, epochs=epoch + 1, initial_epoch=epoch,
                              callbacks=[ends])
        losses += history.history["loss"]
np.savez(out, *model.get_weights(), steps=np.array(steps), loss=np.array(losses))
"""


RESUME_WORKER = """
import sys
import numpy as np
import tensorflow as tf

files, out, checkpoint_dir = sys.argv[1].split(","), sys.argv[2], sys.argv[3]
stop_at = int(sys.argv[4])
strategy = tf.distribute.MultiWorkerMirroredStrategy()
import keras
import nda_models as nda


class Stop(keras.callbacks.Callback):  # Ctrl-C on both workers at the same step
    def on_train_batch_end(self, batch, logs=None):
        if stop_at and int(trainer.loop.step) >= stop_at:
            raise KeyboardInterrupt


with strategy.scope():
    model = nda.build_model("mlp_regressor", input_dim=4, hidden_units=(8,), seed=0)
trainer = nda.Trainer(model, optimizer="adam", learning_rate=0.01, batch_size=32,
                      seed=0, strategy=strategy, checkpoint_dir=checkpoint_dir or None,
                      checkpoint_every=2 if checkpoint_dir else None)
stream = nda.stream_csv(files, target="y", features=["x0", "x1", "x2", "x3"],
                        batch_size=32, shuffle=False)
ran = []
began = keras.callbacks.LambdaCallback(on_epoch_begin=lambda e, _: ran.append(e))
try:
    history = trainer.fit(stream, epochs=2, callbacks=[Stop(), began])
except KeyboardInterrupt:
    np.savez(out, step=int(trainer.loop.step))
else:
    np.savez(out, *model.get_weights(), loss=np.array(history.history["loss"]),
             ran=np.array(ran), step=int(trainer.loop.step))
"""


def _write_parts(folder, sizes):
    """The table (id, four features, y) as one file and as parts of ``sizes``."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(sum(sizes), 4)).round(4)
    y = (x @ np.array([1.0, -2.0, 0.5, 0.0]) + 0.1 * rng.normal(size=len(x))).round(4)
    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(4)])
    frame.insert(0, "id", np.arange(len(x)))
    frame["y"] = y
    whole = folder / "all.csv"
    frame.to_csv(whole, index=False)
    parts, start = [], 0
    for index, size in enumerate(sizes):
        parts.append(folder / f"part-{index}.csv")
        frame.iloc[start : start + size].to_csv(parts[-1], index=False)
        start += size
    return whole, parts


def _logged_batches(path):
    """Each ``tf.print`` of the ids is one training step on that worker."""
    text = path.read_text()
    return [
        [int(v) for v in group.split()] for group in re.findall(r"\[([^\]]*)\]", text)
    ]


def _weights(npz):
    return [npz[k] for k in npz.files if k.startswith("arr_")]


def _run_cluster(tmp_path, name, files):
    script = tmp_path / "worker.py"
    data = ",".join(str(f) for f in files)

    def args_of(index):
        ids = tmp_path / f"{name}-ids{index}.txt"
        return ["worker", data, ids, tmp_path / f"{name}-worker{index}.npz"]

    wait_all(tmp_path, start_workers(tmp_path, name, script, args_of))
    results = [np.load(tmp_path / f"{name}-worker{i}.npz") for i in range(2)]
    logs = [_logged_batches(tmp_path / f"{name}-ids{i}.txt") for i in range(2)]
    return results, logs


def _check_epochs(results, logs):
    """Per epoch: disjoint shares, union = every row once; returns the global
    batches of each epoch (the workers' batches of each step, joined)."""
    steps = [int(s) for s in results[0]["steps"]]
    assert steps == [int(s) for s in results[1]["steps"]]
    assert len(logs[0]) == len(logs[1]) == steps[-1]  # one log line per step
    epochs, start = [], 0
    for stop in steps:
        first = sum(logs[0][start:stop], [])
        second = sum(logs[1][start:stop], [])
        assert not set(first) & set(second)  # disjoint
        assert sorted(first + second) == list(range(ROWS))  # every row once
        steps_of = zip(logs[0][start:stop], logs[1][start:stop], strict=True)
        epochs.append([a + b for a, b in steps_of])
        start = stop
    return epochs


def _single_device(tmp_path, name, whole, epochs):
    batches = np.empty(len(epochs), dtype=object)
    batches[:] = [[np.array(ids, dtype=np.int64) for ids in epoch] for epoch in epochs]
    order = tmp_path / f"{name}-order.npy"
    np.save(order, batches, allow_pickle=True)
    out = tmp_path / f"{name}-single.npz"
    script = tmp_path / "worker.py"
    wait_all(
        tmp_path,
        [launch(tmp_path, f"{name}-single", script, ["single", whole, order, out])],
    )
    return np.load(out)


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["4 files", "1 file"])
def test_two_workers_read_disjoint_shares_and_match_one_device(tmp_path, layout):
    (tmp_path / "worker.py").write_text(WORKER)
    whole, parts = _write_parts(tmp_path, SIZES)
    files = parts if layout == "4 files" else [whole]
    results, logs = _run_cluster(tmp_path, "cluster", files)
    epochs = _check_epochs(results, logs)
    if layout == "4 files":  # by file: worker 0 reads parts 0 and 2
        assert set(sum(logs[0], [])) == set(range(80)) | set(range(110, 170))
        assert [] in logs[1]  # worker 1's data ended first: it trained on nothing
    else:  # by line: every other line
        assert set(sum(logs[0], [])) == set(range(0, ROWS, 2))

    chief, other = (_weights(r) for r in results)
    for a, b in zip(chief, other, strict=True):
        np.testing.assert_array_equal(a, b)  # every worker applies the same update

    single = _single_device(tmp_path, "cluster", whole, epochs)
    assert list(single["steps"]) == list(results[0]["steps"])
    for a, b in zip(chief, _weights(single), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
    np.testing.assert_allclose(results[0]["loss"], single["loss"], rtol=1e-5)


def _resume_round(tmp_path, name, parts, checkpoint_dir, stop_at):
    data = ",".join(str(part) for part in parts)

    def args_of(index):
        return [data, tmp_path / f"{name}-{index}.npz", checkpoint_dir, stop_at]

    script = tmp_path / "resume.py"
    wait_all(tmp_path, start_workers(tmp_path, name, script, args_of))
    return [np.load(tmp_path / f"{name}-{index}.npz") for index in range(2)]


@pytest.mark.slow
def test_sharded_stream_resumes_mid_epoch_to_the_uninterrupted_weights(tmp_path):
    (tmp_path / "resume.py").write_text(RESUME_WORKER)
    _, parts = _write_parts(tmp_path, SIZES)  # 9 steps per epoch (140 rows / 16)
    checkpoint_dir = tmp_path / "checkpoints"
    straight = _resume_round(tmp_path, "straight", parts, "", 0)
    stopped = _resume_round(tmp_path, "stopped", parts, checkpoint_dir, 5)
    assert [int(r["step"]) for r in stopped] == [6, 6]  # mid-epoch 0
    resumed = _resume_round(tmp_path, "resumed", parts, checkpoint_dir, 0)
    assert int(resumed[0]["step"]) == int(straight[0]["step"]) == 18
    assert list(resumed[0]["ran"]) == [0, 1]  # epoch 0 finished, then epoch 1
    for a, b in zip(_weights(resumed[0]), _weights(straight[0]), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)
    np.testing.assert_allclose(resumed[0]["loss"], straight[0]["loss"], rtol=1e-5)
