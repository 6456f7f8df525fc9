"""Writes a page to disk atomically, never into a pipe or over a folder.

The file is written beside its target and renamed over it
(``atomic_path``): a crash leaves the old page or the new one. As for every
single-file output and for bundles (``check_output_file``), a symbolic link
is followed (the page it points to is replaced, the link stays), and a
FIFO, a folder or a device at the path is refused: the writer would block on
the pipe, or the rename would destroy what is not an output file.
"""

import pathlib

from nda_models.core.atomic_file import atomic_path
from nda_models.core.output_locations import check_output_file

SUFFIXES = (".html", ".htm")


def check_page_path(path, argument="path"):
    """Returns ``path`` as a ``Path`` if a page may be written there.

    Raises:
        ValueError: If the name does not end in .html/.htm, or something
            other than a regular file (a FIFO, folder...) is there.

    Example:
        >>> check_page_path("page.html").name
        'page.html'
    """
    path = pathlib.Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ValueError(
            f"{argument} must name an .html file, which a browser opens. "
            f"Received: {argument}={str(path)!r}"
        )
    check_output_file(path, argument)  # FIFOs, folders: as other outputs
    return path


def write_page(path, document, argument="path"):
    """Writes ``document`` to ``path`` atomically (see the module docstring).

    Args:
        path: The .html file to create or replace; missing folders are made.
        document: The page (str), written as UTF-8.
        argument: The name the error messages give ``path`` (``--html``).

    Returns:
        The path written (``pathlib.Path``).

    Raises:
        ValueError: See ``check_page_path``.

    Example:
        >>> write_page("hello.html", "<!DOCTYPE html><p>hi</p>").read_text()
        '<!DOCTYPE html><p>hi</p>'
    """
    path = check_page_path(path, argument)
    with atomic_path(path) as temp:
        temp.write_text(document, encoding="utf-8")
    return path
