"""A path the user passes to the library, checked before it is used.

``os.fspath`` on a wrong value says "expected str, bytes or os.PathLike
object, not NoneType", naming neither the argument nor what to pass. The
public functions that take a folder or a file check it first with
``path_argument`` (``optional_path`` where ``None`` means "none"). An
empty string, which ``pathlib`` reads as the current folder (a save into
it, checkpoints or TensorBoard files among the user's own), is refused too.

Example:
    >>> path_argument("saved_models/m", "path", "saved_models/NAME")
    PosixPath('saved_models/m')
    >>> path_argument(None, "path", "saved_models/NAME")
    Traceback (most recent call last):
    ...
    TypeError: `path` must be a path (a str or a pathlib.Path), e.g. \
'saved_models/NAME'. Received: path=None (NoneType)
    >>> optional_path("", "logdir", "runs")
    Traceback (most recent call last):
    ...
    ValueError: `logdir` is an empty string. Pass a path, e.g. 'runs' ('.' for \
the current folder). Received: logdir=''
"""

import os
import pathlib


def path_argument(value, name, example):
    """Returns ``value`` as a ``pathlib.Path``, or raises a ``TypeError``.

    Args:
        value: What the user passed: a ``str`` or an ``os.PathLike`` of text.
        name: The argument's name, for the message.
        example: A path of the kind expected, for the message.

    Raises:
        TypeError: for anything else (``None``, a number, ``bytes``), naming
            the argument, an example and what was received.
        ValueError: for an empty string.
    """
    if isinstance(value, str | os.PathLike):
        text = os.fspath(value)
        if text == "":
            raise ValueError(
                f"`{name}` is an empty string. Pass a path, e.g. {example!r} ('.' "
                f"for the current folder). Received: {name}={value!r}"
            )
        if isinstance(text, str):
            return pathlib.Path(text)
    raise TypeError(
        f"`{name}` must be a path (a str or a pathlib.Path), e.g. {example!r}. "
        f"Received: {name}={value!r} ({type(value).__name__})"
    )


def optional_path(value, name, example):
    """``path_argument`` of an argument that ``None`` turns off (``log_dir``)."""
    return None if value is None else path_argument(value, name, example)
