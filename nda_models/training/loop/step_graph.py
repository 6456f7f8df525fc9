"""The graph of one training step, for TensorBoard's Graphs tab.

The fused loop (``step.py``) runs many steps inside a ``tf.range`` loop, so
its traced graph is a ``While`` node with the step hidden in a function
library. What a student wants to see is the slide "Deep Learning Iteration
Cycle": one mini-batch going forward -> loss -> gradient -> update.
``step_graph`` traces exactly that, ``train_step`` on one batch, whose four
stages carry their own name scopes, and returns the graph without running it.
"""

import tensorflow as tf

from nda_models.training.loop.step import train_step


def step_graph(parts, x_spec, y_spec):
    """Traces ``train_step`` once on symbolic inputs and returns its graph.

    Nothing runs: tracing builds the graph only, so the weights, the optimizer
    and the random state are untouched.

    Args:
        parts: The Trainer's ``StepParts`` (``forward``, ``loss_fn``,
            ``optimizer``, ``strategy``).
        x_spec: ``tf.TensorSpec`` of a mini-batch of features, (M, d).
        y_spec: ``tf.TensorSpec`` of its labels, (M,).

    Returns:
        A ``tf.Graph`` with inputs ``features``, ``labels`` and
        ``batch_size`` and the name scopes ``forward``, ``loss``,
        ``gradient_tape`` (backpropagation) and ``update``.

    Example:
        >>> import nda_models as nda
        >>> model = nda.build_model("linear_regressor", input_dim=2)
        >>> graph = nda.Trainer(model).step_graph()  # calls this function
        >>> scopes = {op.name.split("/")[0] for op in graph.get_operations()}
        >>> sorted(scopes & {"forward", "loss", "gradient_tape", "update"})
        ['forward', 'gradient_tape', 'loss', 'update']
    """
    signature = [
        tf.TensorSpec(x_spec.shape, x_spec.dtype, name="features"),
        tf.TensorSpec(y_spec.shape, y_spec.dtype, name="labels"),
        tf.TensorSpec([], tf.int32, name="batch_size"),
    ]

    def one_replica(features, labels, batch_size):
        loss, _, _ = train_step(
            parts.forward, parts.loss_fn, parts.optimizer, features, labels,
            batch_size,
        )  # fmt: skip
        return loss

    @tf.function(input_signature=signature, autograph=False)
    def training_step(features, labels, batch_size):
        return parts.strategy.run(one_replica, args=(features, labels, batch_size))

    return training_step.get_concrete_function().graph
