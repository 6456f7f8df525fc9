"""Ctrl-C held back while a block runs, then delivered.

A graph call of the fused loop and the booking of its losses, the write of
a checkpoint or of a bundle, must happen whole: a ``KeyboardInterrupt``
between the two would leave steps without their loss, or half a checkpoint;
one raised inside a library's weakref callback or ``__del__`` (TensorFlow
and Keras run many while saving) is printed as "Exception ignored" and
lost, so the run went on as if no Ctrl-C had come. Inside
``deferred_interrupts()`` a SIGINT is only recorded; when the block ends,
it is delivered as it would have been (a ``KeyboardInterrupt``, or the
user's own handler).
"""

import contextlib
import signal


@contextlib.contextmanager
def deferred_interrupts():
    """Holds back SIGINT inside the block and delivers it after (main thread).

    A SIGINT that the process ignores stays ignored; one that a handler of
    the user's would receive is passed to it after the block. Outside the
    main thread (where signals cannot be handled) the block runs as is.

    Example:
        >>> with deferred_interrupts():
        ...     total = sum(range(10))  # a SIGINT here would wait for the end
        >>> total
        45
    """
    received = []
    if signal.getsignal(signal.SIGINT) in (signal.SIG_IGN, None):
        yield
        return
    try:
        previous = signal.signal(signal.SIGINT, lambda *_: received.append(True))
    except ValueError:  # not the main thread: signals cannot be handled here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        if callable(previous) and previous is not signal.default_int_handler:
            previous(signal.SIGINT, None)
        else:
            raise KeyboardInterrupt
