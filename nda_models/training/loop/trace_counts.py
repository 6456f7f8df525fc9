"""How often each graph function of a ``Trainer`` was traced.

A ``tf.function`` runs its Python body only while tracing, so a counter
bumped there counts traces, not calls: the tests read it to prove that a
second ``fit`` (or ``reset``) traces nothing again.
"""


class TraceCounts(dict):
    """``{graph function name: number of traces}``; ``count`` adds one.

    Example:
        >>> traces = TraceCounts()
        >>> traces.count("train_steps"); traces.count("train_steps")
        >>> traces
        {'train_steps': 2}
    """

    def count(self, name):
        """Called from a graph function's Python body: one more trace of ``name``."""
        self[name] = self.get(name, 0) + 1
