"""Keeping a user's files through a bundle swap: hard links, never a move.

When ``save_model`` replaces a bundle, the folder's extras (a ``ckpt/``
checkpoint folder, ``notes.txt``: see ``bundle_contents``) must survive. The
new bundle is complete in its temporary folder first; then every extra of
the old bundle folder is *hard-linked* into it at the same relative path
(folders are recreated, symbolic links linked as links), and the two folders
are swapped in one step. So at every instant, a kill at any moment included,
each extra is at its path in the bundle folder: before the swap as itself,
after it as the link in the new bundle, which is the same file (same inode:
same content, and later writes go to it). Nothing is moved or copied.

After the swap the temporary folder holds the old bundle, and ``dispose``
empties it: the files the old bundle owns are deleted, an extra that is the
same file as the one now in the bundle folder is unlinked, and anything else
(a file that arrived in the old folder during the swap) is moved into the
bundle folder; if that name is taken there, the folder is kept, with a
warning. The next save disposes of a killed save's folder the same way.

A file system without hard links, or an extra on another file system mounted
inside the bundle folder, cannot keep extras like this: that save is refused,
naming the entry, and nothing changes.

Example:
    >>> import pathlib
    >>> old, new = pathlib.Path("old"), pathlib.Path("new")
    >>> (old / "ckpt").mkdir(parents=True)
    >>> (old / "ckpt" / "ckpt-1.index").write_text("weights")
    7
    >>> new.mkdir()
    >>> mirror_extras(old, new, ["ckpt"])
    >>> (new / "ckpt" / "ckpt-1.index").samefile(old / "ckpt" / "ckpt-1.index")
    True
"""

import os
import pathlib
import shutil
import stat
import warnings

from nda_models.export.write.bundle_contents import (
    is_checkpoint_folder,
    owned_paths,
    split_contents,
)


def mirror_extras(old, new, extras):
    """Hard-links the ``extras`` of folder ``old`` into ``new``, same paths.

    Every collision is found before anything is linked.

    Raises:
        ValueError: if ``new`` already has an entry where an extra goes (the
            new bundle writes a file of that name), or an extra cannot be
            hard-linked (naming it).
    """
    old, new = pathlib.Path(old), pathlib.Path(new)
    plan = []
    for name in extras:
        _plan(old, new, name, plan)
    for kind, name in plan:
        source, target = old / name, new / name
        try:
            if kind == "folder":
                os.mkdir(target)
            else:
                os.link(source, target, follow_symlinks=False)
        except OSError as error:
            raise ValueError(
                f"Cannot keep {name!r} in the bundle folder {str(old)!r} while the "
                f"bundle is replaced: hard-linking it failed ({error.strerror}). "
                "Move it out of the bundle folder, or save the bundle elsewhere; "
                f"nothing was changed. Received: {name!r}"
            ) from None
    for kind, name in reversed(plan):
        if kind == "folder":
            shutil.copystat(old / name, new / name, follow_symlinks=False)


def _plan(old, new, name, plan):
    source, target = old / name, new / name
    if _is_folder(source):
        if not os.path.lexists(target):
            plan.append(("folder", name))
        elif not _is_folder(target):
            raise _collision(old, name)
        for child in sorted(os.listdir(source)):
            _plan(old, new, f"{name}/{child}", plan)
    elif os.path.lexists(target):
        raise _collision(old, name)
    else:
        plan.append(("link", name))


def _collision(old, name):
    return ValueError(
        f"Cannot replace the bundle at {str(old)!r}: {name!r} in it is not part of "
        "the bundle, but the new bundle writes an entry of that name. Move or "
        "rename it, or save the bundle elsewhere; nothing was changed. "
        f"Received: {name!r}"
    )


def dispose(folder, bundle):
    """Empties and removes ``folder``, a replaced or abandoned copy of ``bundle``.

    Args:
        folder: The swapped-out old bundle, or a new one that was never
            swapped in (a failed or killed save).
        bundle: The bundle folder it belongs beside; extras found only in
            ``folder`` are moved there.
    """
    folder, bundle = pathlib.Path(folder), pathlib.Path(bundle)
    if not os.path.lexists(folder):
        return
    owned = owned_paths(folder)
    if owned is None:
        # No valid metadata.json: a save that died while writing (before any
        # extra was linked in, so all is that save's own), or a replaced
        # folder that held only checkpoint folders (extras, released below).
        for entry in os.scandir(folder):
            if not is_checkpoint_folder(entry.path):
                _remove(entry.path)
        owned = set()
    files, folders, extras = split_contents(folder, owned)
    for name in files:
        (folder / name).unlink(missing_ok=True)  # a link itself, never its target
    kept = [name for name in extras if not _release(folder / name, bundle / name)]
    for name in folders:
        _remove_if_empty(folder / name)
    _remove_if_empty(folder)
    if kept:
        warnings.warn(
            f"Kept {str(folder)!r}: it holds {kept[:3]}, which are not part of a "
            f"bundle and could not be put back into {str(bundle)!r} (that name is "
            "taken there). Move them where you want them, then delete the folder.",
            UserWarning,
            stacklevel=3,
        )


def _release(entry, home):
    """Unlinks ``entry`` if ``home`` is the same file, else moves it to ``home``.

    Returns:
        True if nothing of ``entry`` is left.
    """
    if _is_folder(entry):
        left = [
            name
            for name in sorted(os.listdir(entry))
            if not _release(entry / name, home / name)
        ]
        return not left and _remove_if_empty(entry)
    if os.path.lexists(home):
        if not _same_file(entry, home):
            return False
        entry.unlink()
        return True
    home.parent.mkdir(parents=True, exist_ok=True)
    os.rename(entry, home)
    return True


def _remove(path):
    if _is_folder(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        os.unlink(path)


def _same_file(a, b):
    first, second = os.lstat(a), os.lstat(b)
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def _is_folder(path):
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _remove_if_empty(path):
    try:
        os.rmdir(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return True
