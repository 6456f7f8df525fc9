"""TensorBoard written by the training loop itself, in-graph.

At step 1 and every ``log_every`` steps (steps count from 1, as in Keras's
TensorBoard callback) the fused loop writes, under ``log_dir/train``:
the mini-batch ``loss`` and the ``learning_rate`` η_t (scalars), the norm of
each variable's gradient (``gradient_norm/<variable>``), and histograms of
weights (``weights/<variable>``) and gradients (``gradients/<variable>``).
``write_graph`` adds the graph of one training step (``step_graph.py``). Writes run
under ``tf.summary.record_if``, so skipped steps cost one comparison.
"""

import os

import tensorflow as tf

from nda_models.core.constraints import POSITIVE_INT
from nda_models.training.unused_arguments import resolve_log_every


def _tag(variable):
    return getattr(variable, "path", variable.name).replace(":", "_")


class Summaries:
    """In-graph TensorBoard writer of the training loop.

    Args:
        log_dir: Directory of the run; events go to ``log_dir/train``.
        log_every: Write every this many steps (step 1 included).
        variables: The trainable variables, in the order of the gradients.

    Example:
        >>> import keras
        >>> w = keras.Variable([1.0, 2.0], name="w")
        >>> summaries = Summaries("logs/run1", log_every=10, variables=[w])
        >>> summaries.tags, os.path.isdir("logs/run1/train")
        (['w'], True)
    """

    def __init__(self, log_dir, log_every, variables):
        self.log_dir = os.fspath(log_dir)
        self.log_every = POSITIVE_INT.check("log_every", log_every)
        self.variables = list(variables)
        self.tags = [_tag(v) for v in self.variables]
        self.writer = tf.summary.create_file_writer(os.path.join(self.log_dir, "train"))

    def write(self, step, loss, optimizer, gradients):
        """Writes the summaries of update ``step + 1`` (in-graph).

        Steps are numbered from 1 as in Keras's TensorBoard callback: the
        first update is step 1, then every ``log_every``-th (1, k, 2k, ...).
        """
        number = step + 1
        # Top-level name scope: tags read "loss", not "while/loss".
        with (
            tf.compat.v1.get_default_graph().name_scope(""),
            self.writer.as_default(step=number),
            tf.summary.record_if((number == 1) | (number % self.log_every == 0)),
        ):
            tf.summary.scalar("loss", loss)
            tf.summary.scalar("learning_rate", optimizer.learning_rate)
            for tag, variable, gradient in zip(
                self.tags, self.variables, gradients, strict=True
            ):
                tf.summary.scalar(f"gradient_norm/{tag}", tf.norm(gradient))
                tf.summary.histogram(f"weights/{tag}", variable)
                tf.summary.histogram(f"gradients/{tag}", gradient)

    def write_graph(self, graph):
        """Writes a ``tf.Graph`` for TensorBoard's Graphs tab."""
        with self.writer.as_default():
            tf.summary.graph(graph)
        self.writer.flush()

    def flush(self):
        self.writer.flush()


def make_summaries(log_dir, log_every, variables):
    """The ``Summaries`` of ``log_dir``, or ``None`` without one.

    Raises:
        ValueError: for ``log_every`` without ``log_dir`` (it would have no
            effect) or a ``log_every`` that is not a positive integer.

    Example:
        >>> make_summaries(None, None, []) is None
        True
        >>> make_summaries("logs/run2", None, []).log_every  # the default
        10
    """
    log_every = POSITIVE_INT.check("log_every", resolve_log_every(log_dir, log_every))
    if log_dir is None:
        return None
    return Summaries(log_dir, log_every, variables)
