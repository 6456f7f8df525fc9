"""Puts the lecture's executed notebooks and its scripts into the site (Sphinx).

The test suite runs every notebook of ``notebooks/`` in a real kernel and
saves the executed copy in ``build/notebooks/``; this extension copies
those copies into ``docs/lecture/notebooks/`` (git-ignored), where myst-nb
renders them with their figures and numbers, without executing them again.
A copy whose cells differ from the notebook in ``notebooks/`` (the notebook
changed since the tests ran) or a missing copy is a warning, an error under
``-W``: run ``make docs``, which runs the notebooks first. With
``NDA_DOCS_NOTEBOOKS=optional`` (``tests/test_docs_site.py``, which may run
before the notebooks do) such a notebook is left out with an info line.

Each script of ``scripts/`` gets a page with its source and a link to the
notebook of the same section (``01_gradient_descent.py`` and
``01_gradient_descent.ipynb``).
"""

import json
import os
import pathlib

from sphinx.util import logging

LOG = logging.getLogger(__name__)


def _missing(message, *args):
    """A notebook left out: a warning, or an info line if they are optional."""
    optional = os.environ.get("NDA_DOCS_NOTEBOOKS") == "optional"
    (LOG.info if optional else LOG.warning)(message, *args)


def _sources(path):
    """The cells of a notebook as (type, source) pairs: what its author wrote."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [
        (cell["cell_type"], "".join(cell["source"])
         if isinstance(cell["source"], list) else cell["source"])
        for cell in cells
    ]  # fmt: skip


def _write(path, text):
    if not path.exists() or path.read_bytes() != text.encode("utf-8"):
        path.write_text(text, encoding="utf-8")


def copy_notebooks(root, out):
    """Copies each executed notebook into ``out``; returns the stems copied."""
    out.mkdir(parents=True, exist_ok=True)
    stems = []
    for source in sorted((root / "notebooks").glob("*.ipynb")):
        executed = root / "build" / "notebooks" / source.name
        if not executed.exists():
            _missing(
                "%s has not been executed: run `make docs` (it runs the "
                "notebooks first) or the tests (tests/test_notebooks.py)",
                source.relative_to(root),
            )
            continue
        try:
            cells = _sources(executed)
        except (ValueError, KeyError) as error:  # damaged or half-written
            _missing(
                "build/notebooks/%s cannot be read (%s): run the "
                "notebooks again (`make docs` does)",
                source.name,
                error,
            )
            continue
        if cells != _sources(source):
            _missing(
                "build/notebooks/%s is older than notebooks/%s: run the "
                "notebooks again (`make docs` does)",
                source.name,
                source.name,
            )
            continue
        _write(out / source.name, executed.read_text(encoding="utf-8"))
        stems.append(source.stem)
    for stale in out.glob("*.ipynb"):
        if stale.stem not in stems:
            stale.unlink()
    return stems


def _script_page(script, notebook):
    title = f"``scripts/{script.name}``"
    lines = [title, "=" * len(title), ""]
    if notebook:
        lines += [
            "The notebook of this section, with its figures: "
            f":doc:`../notebooks/{notebook}`.",
            "",
        ]
    lines += [
        "Run it from the repository's folder (``--quick``: a smaller run,",
        "``--out DIR``: where the figures go, ``figures/`` by default)::",
        "",
        f"    .venv/bin/python scripts/{script.name} --quick",
        "",
    ]
    lines += [
        f".. literalinclude:: ../../../scripts/{script.name}",
        "   :language: python",
        "",
    ]
    return "\n".join(lines)


def write_script_pages(root, out, notebooks):
    """Writes one page per script into ``out``; returns their names."""
    out.mkdir(parents=True, exist_ok=True)
    names = []
    for script in sorted((root / "scripts").glob("[0-9]*.py")):
        notebook = script.stem if script.stem in notebooks else None
        _write(out / f"{script.stem}.rst", _script_page(script, notebook))
        names.append(script.stem)
    for stale in out.glob("*.rst"):
        if stale.stem not in names:
            stale.unlink()
    return names


def _toctree(title, entries):
    lines = [title, "=" * len(title), "", ".. toctree::", "   :maxdepth: 1", ""]
    return "\n".join(lines + [f"   {entry}" for entry in entries]) + "\n"


def _on_builder_inited(app):
    src = pathlib.Path(app.srcdir)
    root = src.parent
    lecture = src / "lecture"
    notebooks = copy_notebooks(root, lecture / "notebooks")
    scripts = write_script_pages(root, lecture / "scripts", notebooks)
    entries = [f"notebooks/{stem}" for stem in notebooks]
    _write(lecture / "notebooks.rst", _toctree("Notebooks", entries))
    entries = [f"scripts/{stem}" for stem in scripts]
    _write(lecture / "scripts.rst", _toctree("Scripts", entries))


def setup(app):
    app.connect("builder-inited", _on_builder_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
