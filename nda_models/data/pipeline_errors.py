"""Bad values found inside a ``tf.data`` pipeline, reported as one-line errors.

Data that arrives through ``tf.data`` (a user's dataset, ``stream_csv``) is
only seen batch by batch, inside the graph. The pipeline checks each batch
with one vectorised ``tf.debugging.Assert`` (a few reductions per batch, so
the fast path stays fast); when one fails, TensorFlow raises a long
``InvalidArgumentError``. ``value_error_from`` turns it back into the short
``ValueError`` the check meant, naming what was wrong and where (the file
row when the pipeline knows it).

Example (the checks run inside a graph: a ``tf.data`` map or a ``tf.function``):
    >>> import tensorflow as tf
    >>> @tf.function
    ... def finite(x):
    ...     ok = tf.math.is_finite(x)
    ...     check = batch_check(ok, "row {} is not finite", lambda first: [first + 1])
    ...     return after_checks([check], x)
    >>> try:
    ...     finite(tf.constant([1.0, float("nan"), 3.0]))
    ... except tf.errors.InvalidArgumentError as error:
    ...     print(value_error_from(error))
    row 2 is not finite
"""

import re

from nda_models.core.lazy_module import lazy_module

tf = lazy_module("tensorflow")

MARK = "nda_models input error:"
_FOUND = re.compile(r"\[" + re.escape(MARK) + r" ([^\]]*)\]((?: \[[^\]]*\])*)")


def batch_check(ok, message, details):
    """Describes one check of a batch (nothing runs until ``after_checks``).

    Args:
        ok: Bool tensor, one value per row (or a scalar), True where fine.
        message: One-line text with one ``{}`` per detail; no brackets.
        details: Function ``first -> [scalar tensors]`` giving the values
            shown in the message, from the index of the first bad row; it
            runs only when a check fails.

    Returns:
        ``(ok, message, details)``.
    """
    return tf.reshape(ok, [-1]), message, details


def after_checks(checks, *tensors):
    """Returns ``tensors`` once every check passed: one ``reduce_all`` and one
    ``tf.cond`` per batch; the messages are built only when a row is bad.

    Raises (when the tensors are evaluated):
        tf.errors.InvalidArgumentError: from the first failing check, whose
            message ``value_error_from`` turns back into a ``ValueError``.
    """

    def fail():
        reports = []
        for ok, message, details in checks:
            first = tf.argmin(tf.cast(ok, tf.int32))
            with tf.control_dependencies(reports):  # the first failure reports
                reports.append(
                    tf.debugging.Assert(
                        tf.reduce_all(ok), [f"{MARK} {message}", *details(first)]
                    )
                )
        with tf.control_dependencies(reports):
            return tf.constant(False)

    every = tf.reduce_all(tf.stack([tf.reduce_all(ok) for ok, _, _ in checks]))
    passed = tf.cond(every, lambda: tf.constant(True), fail)
    with tf.control_dependencies([passed]):
        return tuple(tf.identity(tensor) for tensor in tensors)


def value_error_from(error):
    """The ``ValueError`` a failed ``batch_check`` stands for, else ``None``.

    Args:
        error: A ``tf.errors.InvalidArgumentError``.
    """
    text = str(getattr(error, "message", error)).replace("\\'", "'")
    found = _FOUND.search(text)
    if found is None:
        return None
    values = re.findall(r"\[([^\]]*)\]", found.group(2))
    return ValueError(found.group(1).format(*(_number(v) for v in values)))


def _number(text):
    """``"5"`` -> 5, ``"1.7"`` -> 1.7, anything else unchanged."""
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            continue
    return text
