"""Checks that output locations can be written, before any work starts.

A run that trains for minutes and then cannot write its bundle, table or
figure loses the result, so ``train_model``, ``tune``, ``nda train``/``tune``
and the lecture scripts check every output location first: the folder (or
the nearest existing folder above it) must be a writable folder. (A bundle's
place, which must also be empty, absent or an existing bundle, is checked by
``nda_models.export.write.atomic.check_bundle_location``.)

Example:
    >>> check_output_folder("runs/linear_regressor-tuning", "out")
"""

import os
import pathlib

from nda_models.core.atomic_file import output_target
from nda_models.core.path_argument import optional_path


def check_output_folder(path, what):
    """Raises ``ValueError`` unless folder ``path`` exists or can be created.

    Args:
        path: The folder (``None``: nothing to check).
        what: Its name in the message (``"--out"``, ``"logdir"``).

    Raises:
        ValueError: if a file stands in the way or the place is not writable.
    """
    path = optional_path(path, what, "figures/NAME")
    if path is None:
        return
    folder = path.absolute()
    existing = next(p for p in (folder, *folder.parents) if os.path.lexists(p))
    if not existing.is_dir():
        raise ValueError(
            f"cannot write {what} {str(path)!r}: {str(existing)!r} is a file, not "
            f"a folder. Choose another path. Received: {what}={str(path)!r}"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ValueError(
            f"cannot write {what} {str(path)!r}: the folder {str(existing)!r} is "
            f"not writable. Choose another path. Received: {what}={str(path)!r}"
        )


def model_folder(root, model_name):
    """``root/MODEL``, where a run writes its timestamped folders (or ``None``).

    Checked rather than ``root`` alone: a file named after the model there
    (``runs/perceptron``) stopped TensorBoard's writer, or the grid search's
    tables after the whole search, with a TensorFlow error.

    Example:
        >>> model_folder("runs", "perceptron").as_posix()
        'runs/perceptron'
    """
    return None if root is None else pathlib.Path(os.fspath(root)) / model_name


def check_output_file(path, what):
    """Raises ``ValueError`` unless ``path`` can be written as a regular file.

    The rule of ``atomic_file.output_target``, checked before a command does
    its work: a symbolic link is followed (its target is written, the link
    stays, as for bundles); a folder, FIFO, socket, device or loop of links
    is refused, naming what is there; and the folder of the file must be
    writable.

    Args:
        path: The file to create or replace.
        what: Its name in the message (``"--export"``).

    Raises:
        ValueError: for a folder or a special file at ``path`` (or where its
            links lead), or a folder above it that cannot be written.

    Example:
        >>> check_output_file("results/table.csv", "--export")
    """
    check_output_folder(output_target(path, what).parent, what)


def check_not_input(path, what, inputs):
    """Raises ``ValueError`` if output ``path`` is one of the files read.

    ``nda predict --input x.csv --output x.csv`` would replace the user's
    data with its predictions: an output may never be an input (the same
    file by any name: a link, a hard link, ``./x.csv``).

    Args:
        path: The output file.
        what: Its option (``"--output"``).
        inputs: ``{option: path}`` of the files the command reads.

    Raises:
        ValueError: naming both options.

    Example:
        >>> _ = open("x.csv", "w").write("a\\n1\\n")
        >>> check_not_input("x.csv", "--output", {"--input": "./x.csv"})
        Traceback (most recent call last):
        ...
        ValueError: --output 'x.csv' is the file --input reads ('./x.csv'): \
writing it would replace that data. Choose another file name. Received: \
--output='x.csv', --input='./x.csv'
    """
    for option, source in inputs.items():
        try:
            same = os.path.samefile(path, source)
        except (OSError, TypeError, ValueError):
            continue  # one of them does not exist (yet): not the same file
        if same:
            raise ValueError(
                f"{what} {str(path)!r} is the file {option} reads ({str(source)!r}): "
                "writing it would replace that data. Choose another file name. "
                f"Received: {what}={str(path)!r}, {option}={str(source)!r}"
            )
