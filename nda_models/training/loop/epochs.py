"""The epoch loop of ``Trainer.fit``, calling callbacks where ``model.fit`` does.

Per epoch: ``on_epoch_begin``; then chunks of steps, each one graph call
wrapped in ``on_train_batch_begin``/``on_train_batch_end`` (like Keras with
``steps_per_execution``); then validation between ``on_test_begin`` and
``on_test_end``; then ``on_epoch_end`` with ``loss``, metrics, ``val_*`` and
``learning_rate``. ``model.stop_training`` is honoured after every chunk and
every epoch. Divergence is checked once per chunk (see ``divergence.py``);
checkpoints are written after chunks that ended well (see ``checkpoints.py``),
and on Ctrl-C or a closed output pipe.
"""

from nda_models.core.deferred_interrupts import deferred_interrupts
from nda_models.training.loop.divergence import divergence_error
from nda_models.training.loop.evaluation import evaluate_source
from nda_models.training.loop.metrics import RunningMeans
from nda_models.training.run.checkpoints import warn_if_past_end


class EpochRunner:
    """Runs the epochs of one ``fit`` call.

    Args:
        loops: ``CompiledLoops``: the graph functions the source calls.
        loop: The ``LoopState`` (counters, snapshot, epoch means).
        source: ``ArraySource`` or ``DatasetSource`` of the training data.
        callbacks: A ``keras.callbacks.CallbackList``.
        chunk: Steps per graph call (chunks are aligned on the global step,
            so a callback asking for every k steps sees steps k, 2k, ...).
        model: The model the callbacks see (``stop_training``, ``history``).
        learning_rate: ``learning_rate(step=None) -> float``: η_t at global
            step ``step``, or the current η without one.
        checkpoints: ``RunCheckpoints`` or ``None``: saves every
            ``checkpoints.every`` steps, at each epoch's end and on Ctrl-C.
        summaries: ``Summaries`` (TensorBoard) or ``None``.

    Example:
        >>> from nda_models.training.fit_setup import callback_list
        >>> from nda_models.training.loop.sources import ArraySource
        >>> model = nda.build_model("linear_regressor", input_dim=2)
        >>> trainer = nda.Trainer(model, batch_size=4, seed=0)  # makes the parts
        >>> source = ArraySource(np.ones((8, 2), "float32"), np.ones(8, "float32"), 4)
        >>> runner = EpochRunner(
        ...     trainer.loops, trainer.loop, source,
        ...     callback_list(None, model, 0, 3, source), 2,
        ...     model=model, learning_rate=lambda step=None: 0.01)
        >>> history = runner.run(0, 3, validation=None)
        >>> history.epoch, int(trainer.loop.step)  # 3 epochs of 2 steps
        ([0, 1, 2], 6)
    """

    def __init__(self, loops, loop, source, callbacks, chunk, *, model,
                 learning_rate, checkpoints=None, summaries=None):  # fmt: skip
        self.loops = loops
        self.loop = loop
        self.source = source
        self.callbacks = callbacks
        self.chunk = chunk
        self.model = model
        self.learning_rate = learning_rate
        self.checkpoints = checkpoints
        self.summaries = summaries
        self.diverged = False
        self.graph_written = False

    def run(self, initial_epoch, epochs, validation, resume=None):
        """Trains from ``initial_epoch`` to ``epochs``; returns the History.

        ``resume`` is the progress restored from a checkpoint (see
        ``checkpoints.py``): training then continues at the restored epoch
        and mini-batch, with the History of the earlier epochs.
        """
        model, callbacks = self.model, self.callbacks
        model.stop_training = False
        model._initial_epoch = None  # BackupAndRestore sets it in on_train_begin
        callbacks.on_train_begin()
        initial_epoch = model._initial_epoch or initial_epoch
        start_batch, means = 0, None
        if resume is not None:
            initial_epoch, start_batch, means = self._resume(resume)
            warn_if_past_end(self.checkpoints, initial_epoch, start_batch, epochs)
        logs = None
        try:
            for epoch in range(initial_epoch, epochs):
                logs = self.run_epoch(epoch, start_batch, means)
                start_batch, means = 0, None
                if validation is not None:
                    logs.update(self.validate(validation))
                logs["learning_rate"] = self.learning_rate()
                callbacks.on_epoch_end(epoch, logs)
                self._save_epoch_end(epoch)
                if model.stop_training:
                    break
        except (KeyboardInterrupt, BrokenPipeError):
            # Ctrl-C, or the reader of the progress went away (`nda train |
            # head`): both arrive between graph calls, so keep the progress.
            self._save(int(self.loop.step))
            raise
        finally:
            if self.summaries is not None:
                self.summaries.flush()
        callbacks.on_train_end(logs)
        return model.history

    def run_epoch(self, epoch, start_batch=0, means=None):
        """One pass over the data, as chunks of fused steps; returns its logs."""
        loop, source = self.loop, self.source
        self.callbacks.on_epoch_begin(epoch)
        if start_batch == 0:
            loop.begin_epoch(epoch)  # else: resumed mid-epoch, counters restored
        if means is not None:
            loop.means = means
        source.begin_epoch(skip=start_batch)
        batch, total = start_batch, source.steps_per_epoch
        while total is None or batch < total:
            step = int(loop.step)
            num_steps = self._chunk_steps(step)
            if total is not None:
                num_steps = min(num_steps, total - batch)
            self.callbacks.on_train_batch_begin(batch)
            with deferred_interrupts():  # Ctrl-C: never steps without their loss
                result = source.train(self.loops, num_steps)
                if result["recheck"]:  # diverged somewhere: replay, checking steps
                    loop.snapshot.restore()
                    result = source.train(self.loops, num_steps, checked=True)
                loop.means.add(result)
            self._write_graph_once()
            done = int(result["steps"])
            if int(result["bad_step"]) >= 0:  # the epoch's loss is then NaN
                return self._diverged(result, epoch, step, batch + done - 1)
            if done:
                self.callbacks.on_train_batch_end(batch + done - 1, loop.means.logs())
            batch += done
            if self.checkpoints is not None and self.checkpoints.due(step + done):
                self._save(step + done)
            if self.model.stop_training or done < num_steps:
                break
        return loop.means.logs()

    def _chunk_steps(self, step):
        """Steps of the next graph call: chunks end on multiples of the chunk
        size and of the checkpoint interval (so saves fall on those steps)."""
        num_steps = self.chunk - step % self.chunk
        every = None if self.checkpoints is None else self.checkpoints.every
        if every is not None:
            num_steps = min(num_steps, every - step % every)
        return num_steps

    def _resume(self, progress):
        """Restores History and epoch means; returns (epoch, batch, means)."""
        loop, history = self.loop, self.model.history
        history.epoch = list(progress.get("epochs", []))
        history.history = {k: list(v) for k, v in progress.get("history", {}).items()}
        means = RunningMeans(loop.metrics)
        saved = progress.get("means")
        if saved and int(loop.batch) > 0:
            means.loss_sum, means.count = saved["loss_sum"], saved["count"]
            means.metric_sums = list(saved["metric_sums"])
        return int(loop.epoch), int(loop.batch), means

    def _save_epoch_end(self, epoch):
        """At an epoch's end the run resumes at the next epoch's first batch."""
        if self.checkpoints is None or self.diverged:
            return
        self.loop.begin_epoch(epoch + 1)
        self._save(int(self.loop.step))

    def _save(self, step):
        """Saves a checkpoint with the host-side progress (never after NaN)."""
        if self.checkpoints is None or self.diverged:
            return
        loop, history = self.loop, self.model.history
        kept = sum(1 for e in getattr(history, "epoch", []) if e < int(loop.epoch))
        means = loop.means
        progress = {
            "epochs": list(history.epoch[:kept]),
            "history": {k: list(v[:kept]) for k, v in history.history.items()},
            "means": None
            if means is None
            else {
                "loss_sum": means.loss_sum,
                "count": means.count,
                "metric_sums": list(means.metric_sums),
            },
        }
        self.checkpoints.save(progress, step)

    def _diverged(self, result, epoch, chunk_start, batch):
        """Rolls back, lets callbacks see a NaN loss, raises unless they stop.

        Returns:
            The epoch's logs with ``loss=nan`` (a callback such as
            ``TerminateOnNaN`` stopped training instead of the error).
        """
        self.diverged = True
        self.loop.snapshot.restore()
        bad_step = int(result["bad_step"])
        learning_rate = self.learning_rate(bad_step)
        logs = dict(self.loop.means.logs(), loss=float("nan"))
        self.callbacks.on_train_batch_end(batch, logs)  # TerminateOnNaN sees it
        if not self.model.stop_training:
            raise divergence_error(bad_step, epoch, learning_rate, chunk_start)
        return logs

    def validate(self, validation):
        """Evaluates ``validation`` inside on_test_begin/on_test_end."""
        callbacks = self.callbacks
        callbacks.on_test_begin()
        callbacks.on_test_batch_begin(0)
        logs, num_batches = evaluate_source(self.loops, self.loop.metrics, validation)
        callbacks.on_test_batch_end(max(num_batches - 1, 0), logs)
        callbacks.on_test_end(logs)
        return {f"val_{name}": value for name, value in logs.items()}

    def _write_graph_once(self):
        """After the first graph call, writes the traced train step to TensorBoard."""
        if self.summaries is None or self.graph_written:
            return
        self.graph_written = True
        self.summaries.write_graph(self.loops.step_graph())
