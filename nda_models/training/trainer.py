"""``Trainer``: fit, evaluate and predict any zoo model with the lecture's loop.

The step itself is in ``step.py`` (forward, loss, backprop, update); this
file orchestrates epochs, chunks of fused steps, validation and callbacks,
exactly where and as ``model.fit`` calls them.
"""

import math
import numbers

import keras
import numpy as np
import tensorflow as tf

from nda_models.callbacks.loop_callback import LoopCallback
from nda_models.callbacks.progress import VERBOSITIES, progress_callback
from nda_models.core.constraints import POSITIVE_INT, SEED, Interval
from nda_models.training.arguments import check_model
from nda_models.training.loop.divergence import DIVERGENCE_FACTOR
from nda_models.training.loop.epochs import EpochRunner
from nda_models.training.loop.evaluation import EvaluationLoops
from nda_models.training.loop.forward import Forward
from nda_models.training.loop.inputs import CLASSIFICATION, check_features, check_labels
from nda_models.training.loop.loop_state import LoopState
from nda_models.training.loop.metrics import RunningMeans
from nda_models.training.loop.optimizers import MOMENTUM, get_optimizer
from nda_models.training.loop.sampling_methods import SAMPLINGS
from nda_models.training.loop.schedules import LEARNING_RATE, get_schedule
from nda_models.training.loop.sources import UNKNOWN_CHUNK, ArraySource, DatasetSource
from nda_models.training.loop.step import FusedSteps, StepParts
from nda_models.training.loop.step_graph import step_graph
from nda_models.training.loop.summaries import Summaries
from nda_models.training.model_info import model_info, resolve_loss
from nda_models.training.run.checkpoints import make_checkpoints
from nda_models.training.run.distribute import check_strategy, strategy_scope
from nda_models.training.run.run_signature import run_signature
from nda_models.training.unused_arguments import (
    check_dataset_batch_size,
    check_loss_input,
    resolve_log_every,
    resolve_optimizer_options,
)

EVALUATION_BATCH_SIZE = 1024
COUNT = Interval(numbers.Integral, 0)  # epochs, initial_epoch
OPTIONAL_POSITIVE_INT = Interval(numbers.Integral, 1, allow_none=True)


class Trainer:
    """Trains a Keras model by (stochastic, mini-batch) gradient descent.

    Each step is the lecture's learning cycle — forward pass, loss,
    gradients by backpropagation, update Θ ← Θ − η_t (1/M) Σ ∇J_i(Θ) — run
    many steps per ``tf.function`` call. M = 1 is vanilla SGD, M = n full
    gradient descent (``batch_size`` larger than n is clamped to n).

    Args:
        model: A built ``keras.Model`` (a zoo model, or any model with ``loss=``).
        loss: ``None`` (the zoo model's registered loss, read from
            ``training_view(model)``), a loss name, or a Keras loss.
        optimizer: ``"sgd"``, ``"momentum"``, ``"adam"`` or a Keras optimizer
            (which keeps its own learning rate and momentum).
        learning_rate: η (η_0 for a decaying schedule); ``None`` means 0.01.
            Giving it with an optimizer object or a schedule object, which
            set the rate themselves, is a ``ValueError``.
        batch_size: M, an integer >= 1.
        sampling: ``"permutation"`` (reshuffle each epoch, without
            replacement), ``"preshuffle"`` (shuffle once, then sweep the
            same order every epoch) or ``"uniform"`` (with replacement).
        schedule: ``None``/``"constant"``, ``"robbins_monro"``
            (η_t = η_0 / (1 + t/τ)^p) or a Keras ``LearningRateSchedule``.
        seed: Seed of the sampling generator; same seed, same weights.
        momentum: μ of ``optimizer="momentum"`` (``None``: 0.9); a
            ``ValueError`` with any other optimizer, where it has no effect.
        tau: τ of ``"robbins_monro"`` (``None``: 100); a ``ValueError``
            with another schedule.
        power: p of ``"robbins_monro"``, in (0.5, 1] (``None``: 1); a
            ``ValueError`` with another schedule.
        metrics: Metric names; ``None`` means the model's defaults.
        loss_input: Layer an explicit ``loss`` reads (default: the output).
        steps_per_execution: Steps per graph call; ``None`` = a whole epoch
            (about 20 calls per epoch with a progress bar).
        log_dir: If set, the loop writes TensorBoard summaries there.
        log_every: Steps between TensorBoard writes (``None``: 10); a
            ``ValueError`` without ``log_dir``.
        checkpoint_dir: If set, the run is checkpointed there (model,
            optimizer, counters, data order, random state) and ``fit``
            resumes from the newest checkpoint, mid-epoch included; with a
            checkpoint, ``epochs`` counts the whole run, as with
            ``keras.callbacks.BackupAndRestore``.
        checkpoint_every: Save every this many steps (also at each epoch's
            end and on Ctrl-C); ``None``: only at epoch ends and on Ctrl-C.
        strategy: ``None`` or a ``tf.distribute.Strategy`` (e.g.
            ``MirroredStrategy``); the model must be built under
            ``strategy.scope()``. ``batch_size`` is the global batch: with
            arrays, replica r of R holds rows r, r + R, ... and trains on its
            rows of each mini-batch (the same mini-batches as one device);
            a dataset's batches are split and sharded by ``tf.distribute``.
        divergence_factor: Training stops with the divergence error when a
            step's loss exceeds this factor × max(first loss, 1), as well as
            on any NaN/inf; ``None`` stops on NaN/inf only.

    Example:
        >>> model = nda.build_model("linear_regressor", input_dim=2)
        >>> trainer = Trainer(model, learning_rate=0.05, batch_size=32, seed=0)
        >>> history = trainer.fit(x, y, epochs=20)
        >>> history.history["loss"][-1]
    """

    def __init__(self, model, *, loss=None, optimizer="sgd", learning_rate=None,
                 batch_size=32, sampling="permutation", schedule=None, seed=None,
                 momentum=None, tau=None, power=None, metrics=None, loss_input=None,
                 steps_per_execution=None, log_dir=None, log_every=None,
                 checkpoint_dir=None, checkpoint_every=None,
                 strategy=None, divergence_factor=1e4):  # fmt: skip
        self.input_dim = check_model(model)
        self.strategy = check_strategy(strategy, model, optimizer)
        self.model = model
        self.batch_size = POSITIVE_INT.check("batch_size", batch_size)
        self.sampling = SAMPLINGS.check("sampling", sampling)
        self.seed = SEED.check("seed", seed)
        self.steps_per_execution = OPTIONAL_POSITIVE_INT.check(
            "steps_per_execution", steps_per_execution
        )
        learning_rate, momentum, tau, power = resolve_optimizer_options(
            optimizer, schedule, learning_rate, momentum, tau, power
        )
        MOMENTUM.check("momentum", momentum)
        rate = get_schedule(schedule, learning_rate, tau=tau, power=power)
        with strategy_scope(self.strategy):  # optimizer variables are replicated
            self.optimizer = get_optimizer(optimizer, rate, momentum=momentum)
        self.info = model_info(model, metrics)
        check_loss_input(loss, loss_input)
        self.loss, view = resolve_loss(model, loss, loss_input)
        self.log_dir = log_dir
        log_every = POSITIVE_INT.check(
            "log_every", resolve_log_every(log_dir, log_every)
        )
        factor = DIVERGENCE_FACTOR.check("divergence_factor", divergence_factor)
        self.loop = LoopState(self.sampling, self.seed, factor, self.info.metrics)
        self.summaries = None  # TensorBoard from inside the loop, see summaries.py
        if log_dir is not None:
            self.summaries = Summaries(log_dir, log_every, model.trainable_variables)
        self.trace_counts = {}
        self.training_data = None  # (x, y) of the running fit, for IterationTable
        self._build(Forward(model, view))
        every = OPTIONAL_POSITIVE_INT.check("checkpoint_every", checkpoint_every)
        self.checkpoints = make_checkpoints(self, checkpoint_dir, every)

    def _build(self, forward):
        """Builds the optimizer state and the (not yet traced) graph functions.

        Each graph function is traced on its first call, once per Trainer (the
        input signatures fix the shapes), so a function the run never uses
        (validation, ``tf.data`` input, the full gradient) is never traced.
        """
        if not self.optimizer.built:
            with strategy_scope(self.strategy):
                self.optimizer.build(self.model.trainable_variables)
        self._optimizer_start = [v.numpy() for v in self.optimizer.variables]
        self.loop.protect([*self.model.variables, *self.optimizer.variables])
        with strategy_scope(self.strategy):  # TensorFlow's default on one device
            strategy = tf.distribute.get_strategy()
        parts = StepParts(
            forward,
            self.loss,
            self.optimizer,
            self.info.metrics,
            strategy,
            distributed=self.strategy is not None,
        )
        x_spec = tf.TensorSpec([None, self.input_dim], tf.float32)
        y_dtype = tf.int32 if self.info.task in CLASSIFICATION else tf.float32
        y_spec = tf.TensorSpec([None], y_dtype)
        self._step_parts, self._specs = parts, (x_spec, y_spec)
        steps = FusedSteps(parts, self.loop, self.summaries, self.trace_counts)
        evaluation = EvaluationLoops(parts, self.trace_counts)
        # The fast loop checks divergence once per call; with per-step
        # summaries or a strategy every step is checked anyway.
        if self.summaries is None and self.strategy is None:
            self.train_steps = steps.array_loop(x_spec, y_spec)
            self.train_steps_checked = steps.array_loop(
                x_spec, y_spec, checked=True, name="train_steps_checked"
            )
        elif self.strategy is None:
            self.train_steps = steps.array_loop(x_spec, y_spec, checked=True)
            self.train_steps_checked = self.train_steps
        else:  # per-replica shards: their own signature
            self.train_steps = steps.array_loop(None, None, checked=True)
            self.train_steps_checked = self.train_steps
        self.train_steps_from_iterator = steps.iterator_loop()
        self.evaluate_batches = evaluation.array_loop(x_spec, y_spec)
        self.evaluate_iterator = evaluation.iterator_loop()
        self.loss_and_gradients = evaluation.gradient_function(x_spec, y_spec)

    def step_graph(self):
        """The graph of one training step (forward, loss, gradient, update).

        TensorBoard's Graphs tab shows it (``log_dir=``); see ``step_graph.py``.
        """
        return step_graph(self._step_parts, *self._specs)

    def reset(self, variables=None, *, learning_rate=None, batch_size=None):
        """Starts a new run with the graphs already traced (no retracing).

        The optimizer's state (step counter, momenta) goes back to what it
        was when this Trainer was made, the loop's counters and sampling
        generator back to their seed, and the model's variables to
        ``variables``. Training the same architecture again (``nda tune``'s
        grid, restarts from the same initial weights) then costs no new
        trace: a fresh model and Trainer would trace every graph again.

        Args:
            variables: Values for each of ``model.variables`` in order (e.g.
                ``[v.numpy() for v in model.variables]`` saved right after
                building the model), or ``None`` to keep the current ones.
            learning_rate: New constant η (not for a schedule), or ``None``.
            batch_size: New M, or ``None``.

        Raises:
            ValueError: if ``variables`` does not match the model's variables.
            TypeError: if ``learning_rate`` is given but the optimizer uses a
                schedule.

        Example:
            >>> start = [v.numpy() for v in model.variables]
            >>> trainer.fit(x, y, epochs=5)
            >>> trainer.reset(start, learning_rate=0.1, batch_size=16)
            >>> trainer.fit(x, y, epochs=5)  # as a fresh Trainer would, faster
        """
        if batch_size is not None:
            self.batch_size = POSITIVE_INT.check("batch_size", batch_size)
        if learning_rate is not None:
            self._set_learning_rate(learning_rate)
        if variables is not None:
            self._set_model_variables(variables)
        for variable, start in zip(
            self.optimizer.variables, self._optimizer_start, strict=True
        ):
            if variable is not self._learning_rate_variable():
                variable.assign(start)
        self.loop.reset()

    def _learning_rate_variable(self):
        rate = self.optimizer.learning_rate
        return rate if isinstance(rate, tf.Variable | keras.Variable) else None

    def _set_learning_rate(self, learning_rate):
        learning_rate = LEARNING_RATE.check("learning_rate", learning_rate)
        variable = self._learning_rate_variable()
        if variable is None:
            raise TypeError(
                "reset(learning_rate=...) needs an optimizer with a constant "
                "learning rate; this one follows a schedule. Build a new Trainer "
                "with the schedule you want. Received: learning_rate="
                f"{learning_rate!r}"
            )
        variable.assign(learning_rate)

    def _set_model_variables(self, variables):
        targets = self.model.variables
        if not isinstance(variables, list | tuple) or len(variables) != len(targets):
            count = len(variables) if isinstance(variables, list | tuple) else None
            raise ValueError(
                f"`variables` must hold one value per model variable ({len(targets)}"
                ", in the order of model.variables). Received: "
                f"{count} values"
            )
        for target, value in zip(targets, variables, strict=True):
            value = np.asarray(value)
            if tuple(value.shape) != tuple(target.shape):
                raise ValueError(
                    f"`variables` do not fit the model: {target.path} has shape "
                    f"{tuple(target.shape)}. Received: shape {value.shape}"
                )
            target.assign(value)

    def fit(self, x, y=None, *, epochs=1, validation_data=None, callbacks=None,
            verbose=0, initial_epoch=0):  # fmt: skip
        """Trains for ``epochs`` epochs, calling callbacks as ``model.fit`` does.

        Args:
            x: float32 features (n, d), or a ``tf.data.Dataset`` of
                ``(features, labels)`` batches (then ``y`` is ``None`` and
                ``batch_size``/``sampling`` are the dataset's business).
            y: Labels (n,): real targets, or class indices for classifiers.
            epochs: Index of the last epoch (as in Keras, with initial_epoch).
            validation_data: ``(x_val, y_val)`` or a dataset; adds ``val_*``.
            callbacks: List of ``keras.callbacks.Callback``.
            verbose: 0 silent, 1 progress bar, 2 one line per epoch.
            initial_epoch: Epoch to start from.

        Returns:
            A ``keras.callbacks.History``; ``.history`` has per-epoch lists
            ``loss``, the metrics, ``val_*`` and ``learning_rate``.

        Raises:
            ValueError, TypeError: for bad arguments or data.
            TrainingDivergedError: (a ``RuntimeError``) if the loss or a
                gradient becomes NaN/inf or the loss explodes; the weights are
                rolled back first. ``.step`` and ``.epoch`` count from 1.
            ValueError: for bad values met inside a ``tf.data`` dataset (NaN
                features, labels that are not classes of the model, no
                batches at all), naming the batch and row, or the file line
                of a ``stream_csv`` stream.
        """
        epochs = COUNT.check("epochs", epochs)
        initial_epoch = COUNT.check("initial_epoch", initial_epoch)
        verbose = VERBOSITIES.check("verbose", verbose)
        verbose = 1 if verbose == "auto" else int(verbose)
        source = self._source(x, y, "x", "y", self.batch_size, self.strategy)
        validation = self._validation_source(validation_data)
        callbacks = self._callback_list(callbacks, verbose, epochs, source)
        chunk = self._chunk_size(callbacks, verbose, source)
        runner = EpochRunner(
            self, self.loop, source, callbacks, chunk,
            checkpoints=self.checkpoints, summaries=self.summaries,
        )  # fmt: skip
        resume = None
        if self.checkpoints is not None:
            resume = self.checkpoints.begin(run_signature(self, source))
        ours = [cb for cb in callbacks.callbacks if isinstance(cb, LoopCallback)]
        for callback in ours:
            callback.bind(self)
        try:
            return runner.run(initial_epoch, epochs, validation, resume)
        finally:
            for callback in ours:
                callback.bind(None)

    def evaluate(self, x, y=None, *, batch_size=None):
        """Returns ``{"loss": J(Θ), metric: value}`` on a whole set, as Keras does.

        Example:
            >>> trainer.evaluate(x_test, y_test)
            {'loss': 0.25, 'mean_absolute_error': 0.4}
        """
        batch_size = OPTIONAL_POSITIVE_INT.check("batch_size", batch_size)
        check_dataset_batch_size(x, batch_size)
        source = self._source(x, y, "x", "y", self.batch_size)
        logs, _ = self.evaluate_source(source, batch_size)
        return logs

    def evaluate_source(self, source, batch_size=None):
        """Evaluates a source in one graph call; returns ``(logs, num_batches)``."""
        totals, num_batches = source.evaluate(self, batch_size or EVALUATION_BATCH_SIZE)
        means = RunningMeans(self.info.metrics)
        means.add(totals)
        return means.logs(), num_batches

    def predict(self, x, *, batch_size=None):
        """Returns the model's inference output on raw features ``x`` (NumPy)."""
        x = check_features(x, self.input_dim)
        return self.model.predict(
            x, batch_size=batch_size or EVALUATION_BATCH_SIZE, verbose=0
        )

    def full_loss_and_gradients(self, x, y):
        """Returns J(Θ) and ∇J(Θ) on all of ``(x, y)`` at the current Θ (NumPy)."""
        x = check_features(x, self.input_dim)
        y = check_labels(y, x.shape[0], self.info.task, self.info.num_classes)
        loss, gradients = self.loss_and_gradients(tf.constant(x), tf.constant(y))
        return float(loss), [g.numpy() for g in gradients]

    @property
    def learning_rate(self):
        """The current η_t as a float (a schedule is evaluated at step t)."""
        return float(keras.ops.convert_to_numpy(self.optimizer.learning_rate))

    def _source(self, x, y, x_name, y_name, batch_size, strategy=None):
        """The data as a source; distributed over ``strategy``'s replicas
        when given (training data), whole otherwise (evaluation)."""
        if isinstance(x, tf.data.Dataset):
            if y is not None:
                raise ValueError(
                    f"`{y_name}` must be None when `{x_name}` is a tf.data.Dataset "
                    f"(the dataset yields the labels). Received: {y_name} of type "
                    f"{type(y).__name__}"
                )
            return DatasetSource(
                x, self.input_dim, strategy, self.info.task, self.info.num_classes
            )
        x = check_features(x, self.input_dim, x_name)
        y = check_labels(y, x.shape[0], self.info.task, self.info.num_classes, y_name)
        return ArraySource(x, y, batch_size, strategy)

    def _validation_source(self, validation_data):
        if validation_data is None or isinstance(validation_data, tf.data.Dataset):
            return (
                None
                if validation_data is None
                else self._source(validation_data, None, "validation_data", "y_val", 1)
            )
        if not (
            isinstance(validation_data, (tuple, list)) and len(validation_data) == 2
        ):
            raise ValueError(
                "`validation_data` must be a pair (x_val, y_val) or a tf.data.Dataset."
                f" Received: validation_data of type {type(validation_data).__name__}"
            )
        x_val, y_val = validation_data
        return self._source(x_val, y_val, "x_val", "y_val", EVALUATION_BATCH_SIZE)

    def _callback_list(self, callbacks, verbose, epochs, source):
        callbacks = list(callbacks or [])
        for callback in callbacks:
            if not isinstance(callback, keras.callbacks.Callback):
                raise TypeError(
                    "`callbacks` must be a list of keras.callbacks.Callback. "
                    f"Received: an item of type {type(callback).__name__}"
                )
        if not any(isinstance(cb, keras.callbacks.ProgbarLogger) for cb in callbacks):
            progress = progress_callback(verbose)  # bar, notebook or line per epoch
            callbacks += [progress] if progress is not None else []
        return keras.callbacks.CallbackList(
            callbacks, add_history=True, add_progbar=False, model=self.model,
            verbose=verbose, epochs=epochs, steps=source.steps_per_epoch,
        )  # fmt: skip

    def _chunk_size(self, callbacks, verbose, source):
        """Steps per graph call: what callbacks need, else as few calls as possible."""
        required = [
            cb.steps_per_execution for cb in callbacks.callbacks
            if isinstance(cb, LoopCallback) and cb.steps_per_execution is not None
        ]  # fmt: skip
        if required:
            return min(required)
        if self.steps_per_execution is not None:
            return self.steps_per_execution
        steps = source.steps_per_epoch
        if steps is None:
            return UNKNOWN_CHUNK
        # With a progress bar, ~20 graph calls per epoch keep it moving.
        return max(1, math.ceil(steps / 20)) if verbose == 1 else steps
