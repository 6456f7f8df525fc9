"""A pool of traced ``Trainer``s, lent to fits of the same architecture.

Most of the cost of a small fit is not the epochs but tracing the
``Trainer``'s graph functions (about 0.6 s of CPU), and a fresh Keras model
and ``Trainer`` trace them again. The graphs depend only on the
architecture and the optimizer, so a fit borrows a ``Trainer`` of its *key*
(model name, builder options without the seed, ``input_dim``, optimizer,
schedule, sampling), puts its own starting point into it with
``Trainer.reset`` (initial weights, optimizer state, sampling seed, η, M),
trains, copies the result out (see ``training_state``) and gives it back.
``GridSearchCV``, ``cross_val_score`` and scikit-learn's estimator checks
then trace each architecture once per process.

A ``Trainer`` is lent to one fit at a time (threads included); the pool
keeps at most ``MAX_IDLE`` idle ones and forgets the least recently used.
The pooled model is never an estimator's ``model_``: that one is the
estimator's own, so the next fit cannot change it.

Example:
    >>> pool = TrainerPool(max_idle=2)
    >>> with pool.lend("key", lambda: object()) as trainer:
    ...     pass  # trains here; the next lend("key", ...) reuses it
    >>> pool.idle_count()
    1
"""

import collections
import contextlib
import threading

MAX_IDLE = 16


class TrainerPool:
    """Idle ``Trainer``s by key, lent out one fit at a time.

    Args:
        max_idle: How many idle trainers to keep (least recently used go).
    """

    def __init__(self, max_idle=MAX_IDLE):
        self.max_idle = max_idle
        self._idle = collections.OrderedDict()  # key -> [trainer, ...]
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def lend(self, key, make):
        """Lends a trainer of ``key`` (``make()`` builds one if none is idle).

        A ``key`` of ``None`` means "not poolable" (e.g. a Keras schedule
        object): a new trainer is made and dropped afterwards. The trainer
        comes back even if training raised: every borrower resets it first.
        """
        trainer = self._take(key) if key is not None else None
        if trainer is None:
            trainer = make()
        try:
            yield trainer
        finally:
            if key is not None:
                self._give_back(key, trainer)

    def idle_count(self):
        """Number of idle trainers held."""
        with self._lock:
            return sum(len(trainers) for trainers in self._idle.values())

    def clear(self):
        """Forgets every idle trainer."""
        with self._lock:
            self._idle.clear()

    def _take(self, key):
        with self._lock:
            trainers = self._idle.get(key)
            if not trainers:
                return None
            trainer = trainers.pop()
            if not trainers:
                del self._idle[key]
            return trainer

    def _give_back(self, key, trainer):
        with self._lock:
            self._idle.setdefault(key, []).append(trainer)
            self._idle.move_to_end(key)
            while sum(len(t) for t in self._idle.values()) > self.max_idle:
                oldest = next(iter(self._idle))
                self._idle[oldest].pop(0)
                if not self._idle[oldest]:
                    del self._idle[oldest]


POOL = TrainerPool()
