"""The epoch loop of ``Trainer.fit``, calling callbacks where ``model.fit`` does.

Per epoch: ``on_epoch_begin``; then chunks of steps, each one graph call
wrapped in ``on_train_batch_begin``/``on_train_batch_end`` (like Keras with
``steps_per_execution``); then validation between ``on_test_begin`` and
``on_test_end``; then ``on_epoch_end`` with ``loss``, metrics, ``val_*`` and
``learning_rate``. ``model.stop_training`` is honoured after every chunk and
every epoch. Divergence is checked once per chunk (see ``divergence.py``).
"""

from nda_models.training.divergence import divergence_error
from nda_models.training.metrics import RunningMeans
from nda_models.training.schedules import learning_rate_at


class EpochRunner:
    """Runs the epochs of one ``fit`` call.

    Args:
        trainer: The ``Trainer`` (graph functions, model, optimizer, state).
        source: ``ArraySource`` or ``DatasetSource`` of the training data.
        callbacks: A ``keras.callbacks.CallbackList``.
        chunk: Steps per graph call (chunks are aligned on the global step,
            so a callback asking for every k steps sees steps k, 2k, ...).
    """

    def __init__(self, trainer, source, callbacks, chunk):
        self.trainer = trainer
        self.source = source
        self.callbacks = callbacks
        self.chunk = chunk
        self.model = trainer.model
        self.graph_written = False

    def run(self, initial_epoch, epochs, validation):
        """Trains from ``initial_epoch`` to ``epochs``; returns the History."""
        model, callbacks = self.model, self.callbacks
        model.optimizer = self.trainer.optimizer  # as compile() would: callbacks use it
        model.stop_training = False
        model._initial_epoch = None  # BackupAndRestore sets it in on_train_begin
        self.trainer.training_data = getattr(self.source, "arrays", None)
        callbacks.on_train_begin()
        initial_epoch = model._initial_epoch or initial_epoch
        logs = None
        try:
            for epoch in range(initial_epoch, epochs):
                logs = self.run_epoch(epoch)
                if validation is not None:
                    logs.update(self.validate(validation))
                logs["learning_rate"] = self.trainer.learning_rate
                callbacks.on_epoch_end(epoch, logs)
                if model.stop_training:
                    break
        finally:
            if self.trainer._parts.summaries is not None:
                self.trainer._parts.summaries.flush()
        callbacks.on_train_end(logs)
        return model.history

    def run_epoch(self, epoch):
        """One pass over the data, as chunks of fused steps; returns its logs."""
        state, source = self.trainer.state, self.source
        self.callbacks.on_epoch_begin(epoch)
        state.begin_epoch(epoch)
        source.begin_epoch()
        means = RunningMeans(self.trainer.info.metrics)
        batch, total = 0, source.steps_per_epoch
        while total is None or batch < total:
            step = int(state.step)
            num_steps = self.chunk - step % self.chunk
            if total is not None:
                num_steps = min(num_steps, total - batch)
            self.callbacks.on_train_batch_begin(batch)
            result = source.train(self.trainer, num_steps)
            self._write_graph_once()
            means.add(result)
            done = int(result["steps"])
            if int(result["bad_step"]) >= 0:
                self._diverged(result, epoch, step, batch + done - 1, means)
                break
            if done:
                self.callbacks.on_train_batch_end(batch + done - 1, means.logs())
            batch += done
            if self.model.stop_training or done < num_steps:
                break
        return means.logs()

    def _diverged(self, result, epoch, chunk_start, batch, means):
        """Rolls back, lets callbacks see the NaN loss, raises unless they stop."""
        self.trainer._parts.snapshot.restore()
        bad_step = int(result["bad_step"])
        learning_rate = learning_rate_at(self.trainer.optimizer, bad_step)
        logs = dict(means.logs(), loss=float("nan"))
        self.callbacks.on_train_batch_end(batch, logs)  # TerminateOnNaN sees it
        if not self.model.stop_training:
            raise divergence_error(bad_step, epoch, learning_rate, chunk_start)

    def validate(self, validation):
        """Evaluates ``validation`` inside on_test_begin/on_test_end."""
        callbacks = self.callbacks
        callbacks.on_test_begin()
        callbacks.on_test_batch_begin(0)
        logs, num_batches = self.trainer.evaluate_source(validation)
        callbacks.on_test_batch_end(max(num_batches - 1, 0), logs)
        callbacks.on_test_end(logs)
        return {f"val_{name}": value for name, value in logs.items()}

    def _write_graph_once(self):
        """After the first graph call, writes the traced train step to TensorBoard."""
        summaries = self.trainer._parts.summaries
        if summaries is None or self.graph_written:
            return
        self.graph_written = True
        summaries.write_graph(self.source.concrete_function(self.trainer))
