"""TensorBoard written by the loop, read back with TensorBoard's EventAccumulator."""

import numpy as np
import tensorflow as tf
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

import nda_models as nda
from nda_models.training import Trainer


def test_loop_writes_scalars_histograms_and_graph(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 2)).astype(np.float32)
    y = (x @ [1.0, 2.0]).astype(np.float32)
    model = nda.build_model("linear_regressor", input_dim=2)
    trainer = Trainer(model, batch_size=4, log_dir=tmp_path, log_every=5, seed=0)
    trainer.fit(x, y, epochs=2)  # 20 steps, numbered from 1: writes at 1, 5, ..., 20
    events = EventAccumulator(str(tmp_path / "train"), size_guidance={"tensors": 0})
    events.Reload()
    tags = set(events.Tags()["tensors"])
    kernel = "prediction/kernel"
    expected = {
        "loss", "learning_rate", f"gradient_norm/{kernel}",
        f"weights/{kernel}", f"gradients/{kernel}", "gradient_norm/prediction/bias",
    }  # fmt: skip
    assert expected <= tags, tags
    assert [e.step for e in events.Tensors("loss")] == [1, 5, 10, 15, 20]
    rates = [
        float(tf.make_ndarray(e.tensor_proto)) for e in events.Tensors("learning_rate")
    ]
    np.testing.assert_allclose(rates, 0.01)
    assert events.Tags()["graph"]
    assert trainer.trace_counts["train_steps"] == 1
