"""A path the user passes to the library, checked before it is used.

``os.fspath`` on a wrong value says "expected str, bytes or os.PathLike
object, not NoneType", naming neither the argument nor what to pass. The
public functions that take a folder or a file check it first with
``path_argument``.

Example:
    >>> path_argument("saved_models/m", "path", "saved_models/NAME")
    PosixPath('saved_models/m')
    >>> path_argument(None, "path", "saved_models/NAME")
    Traceback (most recent call last):
    ...
    TypeError: `path` must be a path (a str or a pathlib.Path), e.g. \
'saved_models/NAME'. Received: path=None (NoneType)
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
    """
    if isinstance(value, str | os.PathLike):
        text = os.fspath(value)
        if isinstance(text, str):
            return pathlib.Path(text)
    raise TypeError(
        f"`{name}` must be a path (a str or a pathlib.Path), e.g. {example!r}. "
        f"Received: {name}={value!r} ({type(value).__name__})"
    )
