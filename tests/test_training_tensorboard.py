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


def test_graphs_tab_shows_one_training_step_in_four_boxes(tmp_path):
    """The written graph is train_step on one batch, not the tf.range loop."""
    ds = nda.load_dataset("iris")
    model = nda.build_model("mlp_classifier", input_dim=4, num_classes=3,
                            hidden_units=(8,), seed=0)  # fmt: skip
    trainer = Trainer(model, batch_size=16, log_dir=tmp_path, seed=0)
    before = [v.numpy().copy() for v in model.trainable_variables]
    graph = trainer.step_graph()  # tracing only: nothing runs
    for old, new in zip(before, model.trainable_variables, strict=True):
        np.testing.assert_array_equal(old, new.numpy())
    trainer.fit(ds.x_train, ds.y_train, epochs=1)
    events = EventAccumulator(str(tmp_path / "train"))
    events.Reload()
    graph_def = events.Graph()
    names = [node.name for node in graph_def.node]
    scopes = {name.split("/")[0] for name in names if "/" in name}
    assert {"forward", "loss", "gradient_tape", "update"} <= scopes, scopes
    assert {"features", "labels", "batch_size"} <= set(names)
    ops = {node.op for node in graph_def.node}
    assert not ops & {"While", "StatelessWhile"}, ops  # not the fused loop
    assert "MatMul" in {n.op for n in graph_def.node if n.name.startswith("forward/")}
    assert len(graph.get_operations()) == len(graph_def.node)
