"""Bad values found inside a ``tf.data`` pipeline, reported as one-line errors.

Data that arrives through ``tf.data`` (a user's dataset, ``stream_csv``) is
only seen batch by batch, inside the graph. The pipeline checks each batch
with one vectorised ``tf.debugging.Assert`` (a few reductions per batch, so
the fast path stays fast); when one fails, TensorFlow raises a long
``InvalidArgumentError``. ``value_error_from`` turns it back into the short
``ValueError`` the check meant, naming what was wrong and where (the file
row when the pipeline knows it).

Example:
    >>> check = batch_check(ok, "label {} in row {} is not a class", label, row)
    >>> with tf.control_dependencies([check]): y = tf.identity(y)
"""

import re

MARK = "nda_models input error:"
_FOUND = re.compile(r"\[" + re.escape(MARK) + r" ([^\]]*)\]((?: \[[^\]]*\])*)")


def batch_check(condition, message, *values):
    """An in-graph assertion: ``message`` with ``{}`` filled by ``values``.

    Args:
        condition: Scalar bool tensor, True when the batch is fine.
        message: One-line text with one ``{}`` per value; no brackets.
        *values: Scalar tensors shown in the message (computed only if needed
            by the reader; they are cheap reductions of the batch).

    Returns:
        The assert op, to use in ``tf.control_dependencies``.
    """
    import tensorflow as tf

    return tf.debugging.Assert(condition, [f"{MARK} {message}", *values])


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
