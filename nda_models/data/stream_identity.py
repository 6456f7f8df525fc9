"""What identifies the data of a ``stream_csv``, for a run's signature.

A checkpointed run on a stream resumes only on the same data, as a run on
arrays does (their SHA-256 is in the signature). For a stream, "the same
data" means:

- the same files in the same order, each named by its resolved path (a
  symbolic link, ``./a.csv`` and ``a.csv`` are the file they name);
- each with the same bytes: its size and the SHA-256 of the whole file. The
  modification time is not part of it, so a file touched, or copied back
  with its bytes unchanged, is the same data; a row appended, a cell edited
  (even to the same length), a part added, removed, renamed or moved is not;
- read the same way: header, target, features, task, class names, batch
  size, passes per epoch (``num_epochs``) and shuffling (buffer and seed,
  which decide which rows a resumed epoch skips). ``check_rows`` is not
  part of it: it changes how much is checked before streaming, not the data.

The hashes are computed when a signature is asked for (a checkpointed
``Trainer.fit``), in one read of the files, and kept while a file's size,
modification time and inode stay the same.
"""

import hashlib
import json
import pathlib

_BLOCK = 1 << 20


class StreamIdentity:
    """The identity of one stream: its files and how they are read.

    Args:
        files: The CSV files, in reading order.
        settings: The reading settings, ``{name: JSON value}`` (``header``,
            ``target``, ...); recorded as ``data.NAME``.

    Attributes:
        files: The resolved paths, a tuple.

    Example:
        >>> path = pathlib.Path("d.csv")
        >>> _ = path.write_text("a,y\\n1,2\\n")
        >>> StreamIdentity([path], {"target": "y"}).signature()["data.files[0]"]
        'CsvFile(bytes=8, folder="...", name="d.csv", sha256="6eca8591af4d545e")'
    """

    def __init__(self, files, settings):
        self.files = tuple(pathlib.Path(path).resolve() for path in files)
        self.settings = dict(settings)
        self._digests = {}

    def signature(self):
        """The flat ``{"data.KEY": JSON value}`` part of a run signature."""
        facts = {}
        for index, path in enumerate(self.files):
            size, digest = self._digest(path)
            facts[f"data.files[{index}]"] = _file_record(path, size, digest)
        facts.update({f"data.{key}": value for key, value in self.settings.items()})
        return facts

    def _digest(self, path):
        """``(size, first 16 hex digits of the SHA-256)``, cached per stat."""
        stat = path.stat()
        key = (path, stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if key not in self._digests:
            digest = hashlib.sha256()
            with open(path, "rb") as file:
                while block := file.read(_BLOCK):
                    digest.update(block)
            self._digests[key] = digest.hexdigest()[:16]
        return stat.st_size, self._digests[key]


def _file_record(path, size, digest):
    """``CsvFile(bytes=..., folder=..., name=..., sha256=...)``: one signature
    value whose changed fields the resume error shows one by one."""
    fields = {"bytes": size, "folder": str(path.parent), "name": path.name}
    fields["sha256"] = digest
    shown = ", ".join(f"{key}={json.dumps(value)}" for key, value in fields.items())
    return f"CsvFile({shown})"
