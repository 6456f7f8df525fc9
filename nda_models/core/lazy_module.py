"""A heavy library named at the top of a module, imported on first use.

TensorFlow takes about 5 s to import, pandas, matplotlib, scikit-learn and
ONNX Runtime each a large part of a second. ``import nda_models`` and the
command line's argument checks need none of them, yet a module should say
what it depends on where a reader looks: at its top. So a module that needs
a heavy library only inside its functions writes, among its imports,

    tf = lazy_module("tensorflow")

and uses ``tf.constant(...)`` as usual; the library is imported the first
time an attribute is read. This is the pattern of the Scientific Python
community's SPEC 1 (``lazy_loader``), without its placeholder in
``sys.modules``: the proxy stays ours, and a program that imports the library
itself gets the real module, imported normally.

Only third-party libraries are named this way. A module of the package is
imported at the top as usual; the few places where one must wait (a module
that subclasses a Keras class, reached from one that must stay light) import
it inside the function, with a comment saying why.

Example:
    >>> import sys
    >>> colorsys = lazy_module("colorsys")
    >>> colorsys
    lazy_module('colorsys')
    >>> colorsys.rgb_to_hsv(1.0, 0.0, 0.0)
    (0.0, 1.0, 1.0)
    >>> colorsys
    lazy_module('colorsys') (imported)
"""

import importlib


class lazy_module:  # noqa: N801 - reads as the function it stands in for
    """A module imported the first time one of its attributes is read.

    Args:
        name: The module's import name, e.g. ``"tensorflow"`` or
            ``"sklearn.model_selection"``.

    Example:
        >>> json = lazy_module("json")
        >>> json.dumps([1, 2])
        '[1, 2]'
    """

    __slots__ = ("_name", "_module")

    def __init__(self, name):
        if not isinstance(name, str) or not name or name.startswith("."):
            raise ValueError(
                "lazy_module takes a module's absolute import name, e.g. "
                f"'tensorflow'. Received: {name!r}"
            )
        self._name = name
        self._module = None

    def __getattr__(self, attribute):
        module = self._module
        if module is None:
            if attribute.startswith("__") and attribute.endswith("__"):
                # Tools probe objects for dunders (doctest and inspect.unwrap
                # ask for __wrapped__): that must not import the library.
                raise AttributeError(attribute)
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self):
        imported = " (imported)" if self._module is not None else ""
        return f"lazy_module({self._name!r}){imported}"
