"""The graph functions of one ``Trainer``, as one object.

``build_loops`` makes every ``tf.function`` the run may call — the fused
training loops (``step.py``), evaluation and the full-data gradient
(``evaluation.py``) — and returns them together as ``CompiledLoops``, which
the data sources, the epoch runner and the callbacks are handed. Each
function is traced on its first call, once per Trainer (the input
signatures fix the shapes), so a function the run never uses (validation,
``tf.data`` input, the full gradient) is never traced.
"""

import dataclasses

import tensorflow as tf

from nda_models.training.loop.evaluation import EvaluationLoops
from nda_models.training.loop.forward import Forward
from nda_models.training.loop.step import FusedSteps, StepParts
from nda_models.training.loop.step_graph import step_graph
from nda_models.training.loop.trace_counts import TraceCounts
from nda_models.training.run.distribute import strategy_scope
from nda_models.zoo.tasks import CLASSIFICATION


@dataclasses.dataclass
class CompiledLoops:
    """The graph functions a fit calls, and what they were built from.

    Attributes:
        train_steps: ``(x, y, num_samples, batch_size, num_steps) -> totals``,
            the fused loop over in-memory arrays (see ``FusedSteps``).
        train_steps_checked: The same loop testing every step (the replay
            after a failed fast call; ``train_steps`` itself when that one
            already checks every step).
        train_steps_from_iterator: ``(iterator, num_steps) -> totals`` (tf.data).
        evaluate_batches: ``(x, y, batch_size) -> totals`` on arrays.
        evaluate_iterator: ``(iterator, max_steps) -> totals`` (tf.data).
        loss_and_gradients: ``(x, y) -> (J(Θ), [∇J(Θ) per variable])``.
        parts: The ``StepParts`` of the step.
        specs: ``(x_spec, y_spec)`` of a mini-batch.
        traces: ``TraceCounts`` of the functions above.

    Example:
        >>> import numpy as np
        >>> model = nda.build_model("linear_regressor", input_dim=2)
        >>> trainer = nda.Trainer(model, batch_size=8, seed=0)
        >>> x, y = np.ones((16, 2), np.float32), np.ones(16, np.float32)
        >>> _ = trainer.fit(x, y, epochs=2)
        >>> trainer.loops.traces  # two epochs, one trace
        {'train_steps': 1}
    """

    train_steps: object
    train_steps_checked: object
    train_steps_from_iterator: object
    evaluate_batches: object
    evaluate_iterator: object
    loss_and_gradients: object
    parts: StepParts
    specs: tuple
    traces: TraceCounts

    def step_graph(self):
        """The graph of one training step, for TensorBoard (``step_graph.py``)."""
        return step_graph(self.parts, *self.specs)


def build_loops(model, view, loss_fn, optimizer, loop, info, *, strategy=None,
                summaries=None):  # fmt: skip
    """Returns the ``CompiledLoops`` of one trainer (none traced yet).

    Args:
        model: The Keras model being trained.
        view: The model whose output the loss reads (``model`` itself, or
            ``training_view(model)``, see ``forward.py``).
        loss_fn: The Keras loss.
        optimizer: The built Keras optimizer.
        loop: The ``LoopState`` the training loops read and advance.
        info: The ``ModelInfo``: width, task (classifiers take int32
            labels) and the metrics summed per batch.
        strategy: ``None`` (one device) or the ``tf.distribute.Strategy``.
        summaries: ``Summaries`` written in-graph, or ``None``.
    """
    with strategy_scope(strategy):  # TensorFlow's default on one device
        current = tf.distribute.get_strategy()
    forward = Forward(model, view)
    parts = StepParts(forward, loss_fn, optimizer, tuple(info.metrics), current)
    x_spec = tf.TensorSpec([None, info.input_dim], tf.float32)
    y_dtype = tf.int32 if info.task in CLASSIFICATION else tf.float32
    y_spec = tf.TensorSpec([None], y_dtype)
    traces = TraceCounts()
    steps = FusedSteps(parts, loop, summaries, traces)
    # The fast loop checks divergence once per call; with per-step
    # summaries or a strategy every step is checked anyway.
    if summaries is None and strategy is None:
        train_steps = steps.array_loop(x_spec, y_spec)
        checked = steps.array_loop(
            x_spec, y_spec, checked=True, name="train_steps_checked"
        )
    elif strategy is None:
        train_steps = checked = steps.array_loop(x_spec, y_spec, checked=True)
    else:  # per-replica shards: their own signature
        train_steps = checked = steps.array_loop(None, None, checked=True)
    evaluation = EvaluationLoops(parts, traces)
    return CompiledLoops(
        train_steps=train_steps,
        train_steps_checked=checked,
        train_steps_from_iterator=steps.iterator_loop(),
        evaluate_batches=evaluation.array_loop(x_spec, y_spec),
        evaluate_iterator=evaluation.iterator_loop(),
        loss_and_gradients=evaluation.gradient_function(x_spec, y_spec),
        parts=parts,
        specs=(x_spec, y_spec),
        traces=traces,
    )
