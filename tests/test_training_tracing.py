"""No retracing per epoch, per chunk, per learning rate or per data size."""

import keras
import numpy as np

import nda_models as nda
from nda_models.training import Trainer


def test_each_graph_function_is_traced_exactly_once():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(90, 2)).astype(np.float32)
    y = (x @ [1.0, 2.0]).astype(np.float32)
    trainer = Trainer(nda.build_model("linear_regressor", input_dim=2),
                      batch_size=8, steps_per_execution=3, seed=0)  # fmt: skip
    plateau = keras.callbacks.ReduceLROnPlateau(monitor="loss", patience=0,
                                                min_delta=1e6)  # fmt: skip
    trainer.fit(x, y, epochs=4, validation_data=(x[:30], y[:30]), callbacks=[plateau])
    trainer.optimizer.learning_rate = 0.003  # as a user or a callback would
    trainer.fit(x[:50], y[:50], epochs=2, validation_data=(x[:7], y[:7]))
    trainer.evaluate(x[:11], y[:11], batch_size=4)
    trainer.full_loss_and_gradients(x, y)
    trainer.full_loss_and_gradients(x[:5], y[:5])
    assert trainer.trace_counts == {
        "train_steps": 1,
        "evaluate_batches": 1,
        "loss_and_gradients": 1,
    }
    assert trainer.learning_rate < 0.01
