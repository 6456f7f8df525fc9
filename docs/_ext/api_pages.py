"""Writes the API reference's pages from the packages' ``__all__`` (Sphinx).

One page per public package (``docs/api/generated/PACKAGE.rst``: its
docstring and a summary table) and one per public name (a class with its
methods, a function, or a table of names). A name that several packages
export (``nda.Trainer`` is ``nda_models.training.Trainer``) is documented
once, where ``PACKAGES`` meets it first, and the later packages link to it.
So a name added to an ``__all__`` is documented without editing the docs,
and ``tests/test_docs_site.py`` checks that every one reached the built
inventory.
"""

import importlib
import inspect
import pathlib
import pkgutil

from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging

LOG = logging.getLogger(__name__)

#: The public packages, in the order the reference shows them: a name is
#: documented under the first package that exports it.
PACKAGES = (
    ("nda_models", "The names most programs use: ``import nda_models as nda``."),
    ("nda_models.data", "Data sets, CSV files and streams."),
    ("nda_models.zoo", "The six lecture models and their losses."),
    ("nda_models.training", "The Trainer: the lecture's training loop."),
    ("nda_models.callbacks", "The lecture's callbacks."),
    ("nda_models.export", "Saved models (bundles)."),
    ("nda_models.sklearn", "scikit-learn estimators."),
    ("nda_models.exercises", "Checked exercises."),
    ("nda_models.autodiff", "Automatic differentiation, shown."),
    ("nda_models.runs", "TensorBoard runs as data."),
    ("nda_models.workflows", "What the ``nda`` commands do: train, tune, the tour."),
    ("nda_models.lecture", "The lecture's numbers and figures."),
    ("nda_models.cli", "The ``nda`` command (its commands: the user guide's page)."),
)


def _kind(obj):
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return "data"


def _attribute_doc(package, name, obj):
    """The ``#:`` comment of a module-level table, found in the module that
    defines it (autodoc finds it only under that module's own name)."""
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        if getattr(module, name, None) is not obj:
            continue
        docs = ModuleAnalyzer.for_module(info.name).find_attr_docs()
        if ("", name) in docs:
            return module.__name__, " ".join(docs["", name]).strip()
    return None, ""


def _data_page(package, name, obj):
    qualified = f"{package.__name__}.{name}"
    defined_in, doc = _attribute_doc(package, name, obj)
    if not doc:
        LOG.warning(
            "%s has no description: add a '#:' comment above its assignment",
            qualified,
        )
    lines = [qualified, "=" * len(qualified), "", f".. py:data:: {qualified}"]
    lines += [f"   :type: {type(obj).__name__}", "", f"   {doc}", ""]
    if defined_in:
        lines += [f"   Defined in ``{defined_in}``.", ""]
    keys = list(obj) if hasattr(obj, "__iter__") else []
    if keys:
        shown = ", ".join(f"``{key}``" for key in keys)
        lines += [f"   Names: {shown}.", ""]
    return "\n".join(lines)


def _object_page(qualified, obj, kind):
    module, _, name = qualified.rpartition(".")
    directive = {"class": "autoclass", "function": "autofunction"}[kind]
    lines = [qualified, "=" * len(qualified), "", f".. currentmodule:: {module}", ""]
    lines += [f".. {directive}:: {name}"]
    if kind == "class":
        lines += ["   :members:", "   :special-members: __call__"]
        if obj.__bases__ != (object,):  # "Bases: object" says nothing
            lines += ["   :show-inheritance:"]
    return "\n".join(lines) + "\n"


def _package_page(package, summary, own, linked):
    title = f"``{package.__name__}``"
    lines = [title, "=" * len(title), "", summary, ""]
    lines += [f".. automodule:: {package.__name__}", "   :no-members:", ""]
    names = [name for name, kind in own if kind != "data"]
    tables = [name for name, kind in own if kind == "data"]
    if names:
        lines += [".. autosummary::", ""] + [f"   {name}" for name in names] + [""]
    if tables:
        refs = ", ".join(f":py:data:`{name}`" for name in tables)
        lines += [f"Tables of names: {refs}.", ""]
    if linked:
        refs = ", ".join(f":py:obj:`{name} <{target}>`" for name, target in linked)
        lines += [f"Also exported here, documented above: {refs}.", ""]
    lines += [".. toctree::", "   :hidden:", ""]
    lines += [f"   {package.__name__}.{name}" for name, _ in own]
    return "\n".join(lines) + "\n"


def _skip_foreign_member(app, what, name, obj, skip, options):
    """Leaves out members defined outside the package (scikit-learn's
    ``set_fit_request``, Keras's callback methods): their docs are theirs."""
    module = getattr(obj, "__module__", None) or ""
    if what == "class" and module and not module.startswith("nda_models"):
        return True
    return None


def _unresolved_in_prose(app, env, node, contnode):
    """A Python name that the guide or the lecture pages link and the
    reference does not document is a warning (an error under ``-W``); in the
    docstrings, links to other libraries' names stay plain text."""
    if node.get("refdomain") != "py":
        return None
    if node.get("refdoc", "").startswith(("guide/", "lecture/index", "index")):
        LOG.warning(
            "%s links %r, which the API reference does not document",
            node["refdoc"],
            node["reftarget"],
        )
    return None


def _write(path, text):
    """Writes only on change, so Sphinx rebuilds only what changed."""
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def write_pages(out):
    """Writes every page into ``out``; returns the package pages' names."""
    out.mkdir(parents=True, exist_ok=True)
    documented = {}  # id(object) -> qualified name of its page
    pages, written = [], set()
    for package_name, summary in PACKAGES:
        package = importlib.import_module(package_name)
        own, linked = [], []
        for name in package.__all__:
            obj = getattr(package, name)
            kind = _kind(obj)
            qualified = f"{package_name}.{name}"
            if kind != "data" and id(obj) in documented:
                linked.append((name, documented[id(obj)]))
                continue
            documented.setdefault(id(obj), qualified)
            own.append((name, kind))
            if kind == "data":
                text = _data_page(package, name, obj)
            else:
                text = _object_page(qualified, obj, kind)
            _write(out / f"{qualified}.rst", text)
            written.add(f"{qualified}.rst")
        _write(
            out / f"{package_name}.rst", _package_page(package, summary, own, linked)
        )
        written.add(f"{package_name}.rst")
        pages.append(package_name)
    for stale in out.glob("*.rst"):
        if stale.name not in written:
            stale.unlink()
    return pages


def _on_builder_inited(app):
    out = pathlib.Path(app.srcdir) / "api" / "generated"
    pages = write_pages(out)
    index = ["API reference", "=============", ""]
    index += [
        "Every public name of the package, generated from the docstrings.",
        "Each package's ``__all__`` lists its public names; a name that several",
        "packages export is documented once, where this list meets it first.",
        "",
        ".. toctree::",
        "   :maxdepth: 1",
        "",
    ]
    index += [f"   generated/{page}" for page in pages]
    _write(out.parent / "index.rst", "\n".join(index) + "\n")


def setup(app):
    app.connect("builder-inited", _on_builder_inited)
    app.connect("autodoc-skip-member", _skip_foreign_member)
    app.connect("missing-reference", _unresolved_in_prose)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
