"""The ``>>>`` examples of the docstrings run, module by module (doctest).

Every module of the package with examples is checked, except those listed
in ``NOT_SELF_CONTAINED``: their examples sketch a call on a model, a
trainer, data or files that the example itself does not build (``trainer``,
``x``, ``bundle``...). A new module is checked by default. Each module runs
in a fresh temporary folder with the registry restored afterwards, so an
example can write files or register a model without leaving anything behind.
"""

import doctest
import importlib
import io
import pathlib

import numpy as np
import pytest

import nda_models as nda

PACKAGE = pathlib.Path(nda.__file__).parent

NOT_SELF_CONTAINED = {
    "nda_models.workflows.evaluate",
}


def modules_with_examples():
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if ">>>" not in path.read_text(encoding="utf-8"):
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts).removesuffix(".__init__")
        if name not in NOT_SELF_CONTAINED:
            names.append(name)
    return names


@pytest.mark.parametrize("name", modules_with_examples())
def test_docstring_examples_run(name, isolated_registry, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    report = io.StringIO()
    finder = doctest.DocTestFinder()
    for test in finder.find(module, extraglobs={"nda": nda, "np": np}):
        runner.run(test, out=report.write)
    assert runner.failures == 0, report.getvalue()


def test_the_exclusions_exist():
    """A module renamed or removed must leave the list, too."""
    names = {
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)
        for p in PACKAGE.rglob("*.py")
    }
    assert NOT_SELF_CONTAINED <= names
