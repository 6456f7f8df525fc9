"""``Trainer``: fit, evaluate and predict any zoo model with the lecture's loop.

The step itself is in ``loop/step.py`` (forward, loss, backprop, update),
the epochs and callbacks in ``loop/epochs.py``, checkpoints in
``run/checkpoints.py``. The Trainer resolves its options into those
collaborators (the optimizer, the loss, the loop state, the compiled loops,
TensorBoard summaries and checkpoints) and hands each what it uses.
"""

import contextlib
import numbers

import keras
import tensorflow as tf

from nda_models.callbacks.loop_callback import bound
from nda_models.core.constraints import POSITIVE_INT, SEED, Interval
from nda_models.core.path_argument import optional_path
from nda_models.training.defaults import TRAINER_DEFAULTS as DEFAULTS
from nda_models.training.fit_setup import callback_list, chunk_size, verbosity
from nda_models.training.loop.compiled_loops import build_loops
from nda_models.training.loop.epochs import EpochRunner
from nda_models.training.loop.evaluation import EVALUATION_BATCH_SIZE, evaluate_source
from nda_models.training.loop.inputs import check_features, check_labels
from nda_models.training.loop.loop_state import LoopState
from nda_models.training.loop.sampling_methods import SAMPLINGS
from nda_models.training.loop.schedules import learning_rate_at
from nda_models.training.loop.sources import as_source, as_validation_source
from nda_models.training.loop.summaries import make_summaries
from nda_models.training.model_info import check_model, model_info, resolve_loss
from nda_models.training.optimizer_setup import make_optimizer
from nda_models.training.reset_values import (
    assign_variables,
    restart_optimizer,
    set_learning_rate,
)
from nda_models.training.run.checkpoints import make_checkpoints
from nda_models.training.run.distribute import check_strategy
from nda_models.training.run.run_signature import run_signature
from nda_models.training.unused_arguments import check_dataset_batch_size

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
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(200, 2)).astype("float32")
        >>> y = (5 + 2 * x[:, 0] - 3 * x[:, 1]).astype("float32")  # the lecture's
        >>> model = nda.build_model("linear_regressor", input_dim=2)
        >>> trainer = Trainer(model, learning_rate=0.05, batch_size=32, seed=0)
        >>> history = trainer.fit(x, y, epochs=20)
        >>> history.history["loss"][-1] < 1e-3
        True
        >>> np.round(model.get_weights()[0].ravel(), 2).tolist()
        [2.0, -3.0]
    """

    def __init__(self, model, *, loss=None, optimizer=DEFAULTS["optimizer"],
                 learning_rate=None, batch_size=DEFAULTS["batch_size"],
                 sampling=DEFAULTS["sampling"], schedule=None, seed=None,
                 momentum=None, tau=None, power=None, metrics=None, loss_input=None,
                 steps_per_execution=None, log_dir=None, log_every=None,
                 checkpoint_dir=None, checkpoint_every=None, strategy=None,
                 divergence_factor=DEFAULTS["divergence_factor"]):  # fmt: skip
        self.input_dim = check_model(model)
        self.strategy = check_strategy(strategy, model, optimizer)
        self.model = model
        self.batch_size = POSITIVE_INT.check("batch_size", batch_size)
        self.sampling = SAMPLINGS.check("sampling", sampling)
        self.seed = SEED.check("seed", seed)
        self.steps_per_execution = OPTIONAL_POSITIVE_INT.check(
            "steps_per_execution", steps_per_execution
        )
        self.optimizer = make_optimizer(
            optimizer, learning_rate=learning_rate, schedule=schedule,
            momentum=momentum, tau=tau, power=power,
            variables=model.trainable_variables, strategy=self.strategy,
        )  # fmt: skip
        self._optimizer_start = [v.numpy() for v in self.optimizer.variables]
        self.info = model_info(model, metrics)
        self.loss, view = resolve_loss(model, loss, loss_input)
        self.log_dir = log_dir
        optional_path(log_dir, "log_dir", "runs/my_run")
        self.summaries = make_summaries(log_dir, log_every, model.trainable_variables)
        self.loop = LoopState(
            self.sampling, self.seed, divergence_factor, self.info.metrics
        )
        self.loop.protect([*model.variables, *self.optimizer.variables])
        self.loops = build_loops(
            model, view, self.loss, self.optimizer, self.loop, self.info,
            strategy=self.strategy, summaries=self.summaries,
        )  # fmt: skip
        self.checkpoints = make_checkpoints(
            checkpoint_dir, checkpoint_every, model_variables=model.variables,
            optimizer_variables=self.optimizer.variables,
            loop_items=self.loop.checkpoint_items(), strategy=self.strategy,
        )  # fmt: skip

    @property
    def trace_counts(self):
        """``{graph function: traces}`` (each is traced once per Trainer)."""
        return self.loops.traces

    def step_graph(self):
        """The graph of one training step (forward, loss, gradient, update).

        TensorBoard's Graphs tab shows it (``log_dir=``); see ``step_graph.py``.
        """
        return self.loops.step_graph()

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
            >>> x, y = np.ones((64, 2), "float32"), np.ones(64, "float32")
            >>> model = nda.build_model("linear_regressor", input_dim=2)
            >>> trainer = Trainer(model, seed=0)
            >>> start = [v.numpy() for v in model.variables]
            >>> _ = trainer.fit(x, y, epochs=2)
            >>> trainer.reset(start, learning_rate=0.1, batch_size=16)
            >>> _ = trainer.fit(x, y, epochs=2)
            >>> trainer.trace_counts  # no new trace
            {'train_steps': 1}
        """
        if batch_size is not None:
            self.batch_size = POSITIVE_INT.check("batch_size", batch_size)
        if learning_rate is not None:
            set_learning_rate(self.optimizer, learning_rate)
        if variables is not None:
            assign_variables(self.model.variables, variables)
        restart_optimizer(self.optimizer, self._optimizer_start)
        self.loop.reset()

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
            RuntimeError: if another run holds the checkpoint folder.
        """
        epochs = COUNT.check("epochs", epochs)
        initial_epoch = COUNT.check("initial_epoch", initial_epoch)
        verbose = verbosity(verbose)
        source = as_source(
            x, y, self.info, batch_size=self.batch_size, strategy=self.strategy
        )
        validation = as_validation_source(validation_data, self.info)
        callbacks = callback_list(callbacks, self.model, verbose, epochs, source)
        runner = EpochRunner(
            self.loops, self.loop, source, callbacks,
            chunk_size(callbacks, self.steps_per_execution, verbose, source),
            model=self.model, learning_rate=self._learning_rate_at,
            checkpoints=self.checkpoints, summaries=self.summaries,
        )  # fmt: skip
        self.model.optimizer = self.optimizer  # as compile() would: callbacks use it
        with (
            self._checkpoint_session(source) as resume,
            bound(callbacks.callbacks, self, training_data=source.arrays),
        ):
            return runner.run(initial_epoch, epochs, validation, resume)

    def _checkpoint_session(self, source):
        """The checkpoint folder held for this fit (resume progress or None)."""
        if self.checkpoints is None:
            return contextlib.nullcontext()
        signature = run_signature(
            model=self.model, optimizer=self.optimizer, loss=self.loss,
            batch_size=self.batch_size, sampling=self.sampling, seed=self.seed,
            metrics=self.info.metrics, source=source,
        )  # fmt: skip
        return self.checkpoints.session(signature)

    def evaluate(self, x, y=None, *, batch_size=None):
        """Returns ``{"loss": J(Θ), metric: value}`` on a whole set, as Keras does.

        Example:
            >>> x = np.array([[0.0, 1.0], [1.0, 0.0]], "float32")
            >>> model = nda.build_model("linear_regressor", input_dim=2)
            >>> model.set_weights([np.array([[2.0], [-3.0]]), np.array([5.0])])
            >>> Trainer(model).evaluate(x, np.array([2.0, 7.0], "float32"))
            {'loss': 0.0, 'mean_absolute_error': 0.0}
        """
        batch_size = OPTIONAL_POSITIVE_INT.check("batch_size", batch_size)
        check_dataset_batch_size(x, batch_size)
        source = as_source(x, y, self.info, batch_size=self.batch_size)
        logs, _ = evaluate_source(self.loops, self.info.metrics, source, batch_size)
        return logs

    def predict(self, x, *, batch_size=None):
        """Returns the model's inference output on raw features ``x`` (NumPy)."""
        x, size = check_features(x, self.input_dim), batch_size or EVALUATION_BATCH_SIZE
        return self.model.predict(x, batch_size=size, verbose=0)

    def full_loss_and_gradients(self, x, y):
        """Returns J(Θ) and ∇J(Θ) on all of ``(x, y)`` at the current Θ (NumPy)."""
        x = check_features(x, self.input_dim)
        y = check_labels(y, x.shape[0], self.info.task, self.info.num_classes)
        loss, gradients = self.loops.loss_and_gradients(tf.constant(x), tf.constant(y))
        return float(loss), [g.numpy() for g in gradients]

    @property
    def learning_rate(self):
        """The current η_t as a float (a schedule is evaluated at step t)."""
        return float(keras.ops.convert_to_numpy(self.optimizer.learning_rate))

    def _learning_rate_at(self, step=None):
        """η_t at global step ``step`` (the current η without one)."""
        if step is None:
            return self.learning_rate
        return learning_rate_at(self.optimizer, step)
