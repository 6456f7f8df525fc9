"""``run_signature.json``: the run signature beside the checkpoints, read by one rule.

The file is the user's folder's, and may be damaged in any way (emptied,
truncated, overwritten, replaced). One rule decides what counts as a run
signature: a regular file of at most ``MAX_BYTES``, UTF-8 JSON text, an
object holding every key a run signature has (``REQUIRED_KEYS``). Anything
else — 100,000 nested brackets, a 64 GiB sparse file, binary bytes, a list,
``{}`` — is damaged: ``check_saved_signature`` warns, resumes anyway and
writes a new signature (the checkpoints themselves are what resumes; the
signature only guards against resuming a different run). A folder, FIFO,
socket or device in the file's place is refused before it is read
(``refuse_non_file``): reading a FIFO would wait forever.

Example:
    >>> import pathlib
    >>> path = pathlib.Path("run_signature.json")
    >>> _ = path.write_text("[" * 100_000 + "]" * 100_000)
    >>> read_signature(path)
    (None, 'it is not JSON text')
    >>> write_signature(path, {"model.name": "m"}); read_signature(path)[1]
    'it lacks keys every run signature has (model.class, trainer.batch_size, ...)'
"""

import json
import os
import stat
import warnings

from nda_models.core.atomic_file import atomic_path
from nda_models.training.run.run_signature import (
    REQUIRED_KEYS,
    signature_difference,
    signature_summary,
)

MAX_BYTES = 1 << 20  # a real signature is a few kB
_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket",
          stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}  # fmt: skip


def read_signature(path):
    """Returns ``(signature, None)``, or ``(None, why it is not one)``.

    Reads at most ``MAX_BYTES`` + 1 bytes, whatever the file's size.
    """
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None, "it is missing"
    except OSError as error:
        return None, f"it cannot be read ({error.strerror or error})"
    if len(data) > MAX_BYTES:
        return None, f"it is larger than {MAX_BYTES} bytes (a signature is a few kB)"
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None, "it is not JSON text"
    if not isinstance(value, dict):
        return None, f"it holds a JSON {type(value).__name__}, not an object"
    missing = sorted(REQUIRED_KEYS - value.keys())
    if missing:
        shown = ", ".join(missing[:2]) + (", ..." if len(missing) > 2 else "")
        return None, f"it lacks keys every run signature has ({shown})"
    return value, None


def refuse_foreign_signature(path, folder):
    """Refuses to replace a ``run_signature.json`` that is someone's file.

    Called before a fresh run (no checkpoint in ``folder``) writes its
    signature: with no checkpoint to resume, a file of that name that is no
    run signature (see ``read_signature``) is not damage of ours but a
    user's file, and is kept. An empty file, or a signature of another run
    killed before its first checkpoint, is replaced.

    Raises:
        RuntimeError: naming the file and why it is not a signature.
    """
    if not os.path.lexists(path) or os.path.getsize(path) == 0:
        return
    saved, damage = read_signature(path)
    if saved is None:
        raise RuntimeError(
            f"{path} is not a run signature of nda_models ({damage}), and "
            f"{folder} holds no checkpoint, so it is someone's file: it is not "
            "replaced. Move or rename it, or pass another checkpoint folder. "
            f"Received: checkpoint_dir={str(folder)!r}"
        )


def write_signature(path, signature):
    """Writes ``signature`` atomically (flushed temporary file renamed over it)."""
    with atomic_path(path) as temp:
        temp.write_text(json.dumps(signature, indent=1, sort_keys=True))


def check_saved_signature(path, signature, folder):
    """Compares the signature saved at ``path`` with this run's ``signature``.

    A damaged file gives a ``RuntimeWarning`` and is rewritten.

    Raises:
        ValueError: if the saved signature is another run's, in one short
            line (what changed); the full old → new values are in a note.
    """
    saved, damage = read_signature(path)
    if saved is None:
        warnings.warn(
            f"{path} is not a run signature ({damage}), so the checkpoints in "
            f"{folder} cannot be checked against this run; resuming anyway and "
            "writing a new signature.",
            RuntimeWarning,
            stacklevel=4,
        )
        write_signature(path, signature)
        return
    changes = signature_summary(saved, signature)
    if changes:
        error = ValueError(
            f"The checkpoints in {folder} belong to a different run, so "
            "training cannot resume from them. Use the same model, settings and "
            "data, or another checkpoint_dir (or delete this one to start "
            f"afresh). Received (saved → now): {'; '.join(changes)}"
        )
        # The full old → new values: shown with a traceback (nda --debug).
        details = signature_difference(saved, signature)
        error.add_note("Full differences (saved → now):\n" + "\n".join(details))
        raise error


def refuse_non_file(path):
    """A folder, FIFO, socket or device where the run keeps a file is the
    user's: refuse, never read or delete it (links are followed).

    Raises:
        RuntimeError: naming what is there and what to do.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as error:  # a loop of symbolic links, say
        mode, kind = None, f"an unusable path ({error.strerror or error})"
    if mode is not None:
        if stat.S_ISREG(mode):
            return
        kind = _KINDS.get(stat.S_IFMT(mode), "a special file")
    raise RuntimeError(
        f"{path} is {kind}, but the checkpoints keep a file of that name "
        "there. Move or rename it (it is not touched), or pass another "
        f"checkpoint_dir. Received: {kind} at {str(path)!r}"
    )
