"""A family of names defined once, beside what implements them.

A ``NameTable`` maps each name of a family (the losses, the optimizers, the
tasks...) to what it stands for: a factory, or a record such as a task's
description. Its checks, the command line's ``choices=``, the error messages
and the docs all read the same table, so a name is added in one place.

A factory that needs TensorFlow is written ``Lazy("module:attribute")``: the
module is imported the first time the factory is called, so a table (and
``nda --help``, which lists it) costs no import.

Example:
    >>> roots = NameTable({"sqrt": Lazy("math:sqrt"), "abs": abs}, noun="root")
    >>> list(roots), roots.lookup("root", "sqrt")(9.0)
    (['sqrt', 'abs'], 3.0)
    >>> roots.lookup("root", "sqrd")
    Traceback (most recent call last):
    ...
    ValueError: Unknown root. Did you mean 'sqrt'? Expected one of \
['sqrt', 'abs']. Received: root='sqrd'
"""

import importlib

from nda_models.core.constraints import Options


class Lazy:
    """A callable named by ``"module:attribute"``, imported on first use.

    Args:
        reference: Where the callable lives, e.g. ``"keras.losses:Huber"``.
        **keywords: Fixed keyword arguments of every call (as
            ``functools.partial``), e.g. ``from_logits=True``.

    Example:
        >>> floor = Lazy("math:floor")
        >>> floor(2.7), floor
        (2, Lazy('math:floor'))
    """

    def __init__(self, reference, **keywords):
        module, _, attribute = reference.partition(":")
        if not module or not attribute:
            raise ValueError(
                "A lazy reference is written 'module:attribute', e.g. "
                f"'keras.losses:Huber'. Received: {reference!r}"
            )
        self.reference, self.keywords = reference, keywords
        self._target = None

    def resolve(self):
        """Imports and returns the referenced object (once)."""
        if self._target is None:
            module, _, attribute = self.reference.partition(":")
            self._target = getattr(importlib.import_module(module), attribute)
        return self._target

    def __call__(self, *args, **kwargs):
        return self.resolve()(*args, **self.keywords, **kwargs)

    def __repr__(self):
        fixed = "".join(f", {key}={value!r}" for key, value in self.keywords.items())
        return f"Lazy({self.reference!r}{fixed})"


class NameTable(Options):
    """The names of one family, each with what it stands for.

    Iterating gives the names in order (so a table is argparse's
    ``choices=``); ``check`` validates a name as ``Options`` does, with the
    closest name suggested; ``lookup`` returns the entry.

    Args:
        entries: ``{name: entry}`` in the order to list them; an entry is a
            factory (a callable, or a ``Lazy`` one) or any record.
        noun, meaning, alternatives, allow_none: As for ``Options``.

    Example:
        >>> sizes = NameTable({"small": 8, "large": 64}, noun="size")
        >>> sizes.lookup("size", "large"), "small" in sizes
        (64, True)
    """

    def __init__(self, entries, *, noun=None, meaning="", alternatives="",
                 allow_none=False):  # fmt: skip
        entries = dict(entries)
        super().__init__(
            tuple(entries), noun=noun, meaning=meaning, alternatives=alternatives,
            allow_none=allow_none,
        )  # fmt: skip
        self._entries = entries

    def lookup(self, argument, name):
        """Returns what ``name`` stands for (``None`` for ``None`` if allowed).

        Args:
            argument: The argument's name, for the message (``"loss"``).
            name: The name to look up.

        Raises:
            ValueError: for an unknown name (the names are listed and the
                closest one suggested).
            TypeError: for a value that is not a name.
        """
        name = self.check(argument, name)
        return None if name is None else self._entries[name]

    def items(self):
        """``(name, entry)`` pairs, in order (for docs and tables)."""
        return self._entries.items()
