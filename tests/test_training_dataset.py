"""fit / evaluate on a tf.data.Dataset of (features, labels) batches."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from support import lecture_data

import nda_models as nda
from nda_models.training import Trainer


class BatchCounter(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.last_batches = []

    def on_train_batch_end(self, batch, logs=None):
        self.last_batch = batch

    def on_epoch_end(self, epoch, logs=None):
        self.last_batches.append(self.last_batch)


@pytest.mark.parametrize("unknown_length", [False, True])
def test_dataset_training_reaches_lstsq_and_epochs_end_with_the_data(unknown_length):
    x, y = lecture_data()
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(200, seed=0).batch(16)
    if unknown_length:
        dataset = dataset.filter(lambda features, labels: True)
        assert int(dataset.cardinality()) == tf.data.UNKNOWN_CARDINALITY
    model = nda.build_model("linear_regressor", input_dim=2)
    trainer = Trainer(model, learning_rate=0.05, steps_per_execution=5)
    counter = BatchCounter()
    history = trainer.fit(
        dataset, epochs=25, validation_data=dataset, callbacks=[counter]
    )
    assert counter.last_batches == [12] * 25  # 13 batches of 16 over 200 rows
    assert int(trainer.optimizer.iterations) == 13 * 25
    design = np.c_[np.ones(len(x)), x]
    expected = np.linalg.lstsq(design, y, rcond=None)[0]
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(np.r_[bias, kernel.ravel()], expected, atol=0.05)
    assert history.history["val_loss"][-1] == pytest.approx(
        trainer.evaluate(x, y)["loss"], rel=1e-4
    )
    assert trainer.trace_counts["train_steps_from_iterator"] == 1


def test_dataset_errors():
    x, y = lecture_data(20)
    trainer = Trainer(nda.build_model("linear_regressor", input_dim=2))
    batched = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
    with pytest.raises(ValueError, match="must be None when `x` is a tf.data.Dataset"):
        trainer.fit(batched, y)
    with pytest.raises(ValueError, match="infinite"):
        trainer.fit(batched.repeat())
    with pytest.raises(ValueError, match=r"\(features, labels\)"):
        trainer.fit(tf.data.Dataset.from_tensor_slices(x).batch(4))
    with pytest.raises(ValueError, match=r"call\s+.batch"):
        trainer.fit(tf.data.Dataset.from_tensor_slices((x, y)))
    with pytest.raises(ValueError, match="input_dim=2"):
        trainer.fit(tf.data.Dataset.from_tensor_slices((x[:, :1], y)).batch(4))
