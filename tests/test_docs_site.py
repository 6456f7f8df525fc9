"""The documentation site builds with warnings as errors and documents every
public name.

The site is built once, into a temporary folder, by ``sphinx-build -W`` as
``make docs`` does, except that the lecture's executed notebooks may be
missing (``NDA_DOCS_NOTEBOOKS=optional``: this test may run before
``tests/test_notebooks.py`` executes them; ``make test`` builds the site
again after pytest, notebooks required). The oracle for "every public name"
is the package itself: every ``__all__`` of every package of
``nda_models``, each name resolved to its object and looked for in the
built inventory ``objects.inv`` under any name that resolves to the same
object (``nda.Trainer`` is documented once, as ``nda_models.Trainer``).
"""

import importlib
import json
import os
import pathlib
import pkgutil
import subprocess
import sys

import pytest
from sphinx.util.inventory import InventoryFile

import nda_models

ROOT = pathlib.Path(__file__).resolve().parents[1]
# Names the guide leans on: a guard that the walk below finds them.
GUIDE_NAMES = ("nda_models.LoadedModel", "nda_models.ModelSpec",
               "nda_models.callbacks.LoopCallback", "nda_models.sklearn.NDAClassifier",
               "nda_models.exercises.get_exercise")  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    # As `make docs` runs it: conf.py keeps TensorFlow's start-up lines out.
    unset = ("TF_CPP_MIN_LOG_LEVEL", "NDA_MODELS_QUIET_TF")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["NDA_DOCS_NOTEBOOKS"] = "optional"
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going",
         "-q", "-d", str(out / "doctrees"), "docs", str(out / "html")],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-8000:]
    assert done.stderr.strip() == "", done.stderr[-8000:]
    return out / "html"


def _public_names():
    """Every ``package.name`` of an ``__all__`` in the package."""
    packages = [nda_models] + [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(nda_models.__path__, "nda_models.")
        if info.ispkg
    ]
    return [
        f"{package.__name__}.{name}"
        for package in packages
        for name in getattr(package, "__all__", ())
    ]


def _resolve(dotted):
    """The object a dotted name means, as attribute access sees it (the
    package's ``read_runs`` is the function, not the module of that name)."""
    first, *rest = dotted.split(".")
    obj = importlib.import_module(first)
    for i, part in enumerate(rest, start=1):
        if not hasattr(obj, part):
            importlib.import_module(".".join([first, *rest[:i]]))
        obj = getattr(obj, part)
    return obj


def _inventory(site):
    inventory = InventoryFile.loads((site / "objects.inv").read_bytes(), uri="")
    return getattr(inventory, "data", inventory)


def test_every_public_name_is_documented(site):
    documented = {}
    for kind, entries in _inventory(site).items():
        if kind.startswith("py:") and kind != "py:module":
            for name in entries:
                try:
                    documented.setdefault(id(_resolve(name)), name)
                except (ImportError, AttributeError):
                    continue  # a method's parameter, a property's type...
    public = _public_names()
    assert set(GUIDE_NAMES) <= set(public), "the packages lost their __all__?"
    missing = [name for name in public if id(_resolve(name)) not in documented]
    assert missing == []


def test_every_public_package_has_its_page(site):
    inventory = _inventory(site)
    modules = set(inventory.get("py:module", {}))
    packages = {
        name.rpartition(".")[0] for name in _public_names() if name.count(".") >= 1
    }
    assert packages - modules == set()


def test_the_front_page_links_the_three_parts(site):
    front = (site / "index.html").read_text(encoding="utf-8")
    for page in ("lecture/index.html", "guide/index.html", "api/index.html"):
        assert f'href="{page}"' in front
        assert (site / page).is_file()


def test_a_half_written_notebook_copy_is_left_out_not_a_crash(tmp_path, monkeypatch):
    """Under xdist the site may be built while another worker writes an
    executed notebook: a copy that is not JSON yet is left out with a note."""
    sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    monkeypatch.setattr(sys, "path", sys.path)  # restored after the test
    import lecture_pages

    monkeypatch.setenv("NDA_DOCS_NOTEBOOKS", "optional")
    notebook = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "build" / "notebooks").mkdir(parents=True)
    for stem in ("whole", "half"):
        path = tmp_path / "notebooks" / f"{stem}.ipynb"
        path.write_text(json.dumps(notebook))
    (tmp_path / "build" / "notebooks" / "whole.ipynb").write_text(json.dumps(notebook))
    (tmp_path / "build" / "notebooks" / "half.ipynb").write_text('{"cells": [')
    out = tmp_path / "site"
    assert lecture_pages.copy_notebooks(tmp_path, out) == ["whole"]
    assert sorted(p.name for p in out.iterdir()) == ["whole.ipynb"]
