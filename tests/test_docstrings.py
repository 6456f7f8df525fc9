"""The ``>>>`` examples of the docstrings run, module by module (doctest).

Every module of the package with examples is checked: each example builds
the tiny model, data or files it uses. A line that cannot run in isolation
(a duration or a path of this machine, data that is not shipped) is marked
``# doctest: +SKIP`` with the reason just before it; a module whose examples
cannot run at all may be listed in ``NOT_SELF_CONTAINED`` with its reason
(at most three). A new module is checked by default. Each module runs in a
fresh temporary folder with the registry restored afterwards, so an example
can write files or register a model without leaving anything behind.
"""

import doctest
import importlib
import io
import pathlib

import numpy as np
import pytest

import nda_models as nda

PACKAGE = pathlib.Path(nda.__file__).parent

# {module: why its examples cannot run}; none today, at most three.
NOT_SELF_CONTAINED = {}


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


def test_the_exclusions_exist_and_say_why():
    """A module renamed or removed must leave the list, too."""
    names = {
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)
        for p in PACKAGE.rglob("*.py")
    }
    assert set(NOT_SELF_CONTAINED) <= names
    assert len(NOT_SELF_CONTAINED) <= 3
    assert all(reason.strip() for reason in NOT_SELF_CONTAINED.values())


def skips_without_reason(docstring):
    """The skipped ``>>>`` lines of ``docstring`` that no reason precedes.

    A reason is a ``>>> # ...`` comment or prose just before the skipped
    line, or before the run of skipped lines (and their output) it ends.
    """
    lines = [line.strip() for line in docstring.splitlines()]
    return [
        line.removeprefix(">>> ")
        for index, line in enumerate(lines)
        if line.startswith(">>>")
        and "doctest: +SKIP" in line
        and not _reason_before(lines, index)
    ]


def _reason_before(lines, index):
    above = index - 1
    while above >= 0:
        line = lines[above]
        if line.startswith(">>> #"):
            return True
        if line.startswith(">>>") and "doctest: +SKIP" not in line:
            return False
        if line and not line.startswith((">>>", "...")):
            # Text: prose (a reason), unless it is an example's output.
            while (
                above >= 0
                and lines[above]
                and not lines[above].startswith((">>>", "..."))
            ):
                above -= 1
            if above < 0 or not lines[above]:
                return True
            continue
        above -= 1
    return False


def test_a_skip_without_reason_is_found():
    bare = ">>> x = 1\n>>> print(x)  # doctest: +SKIP\n1\n"
    commented = ">>> x = 1\n>>> # Skipped: its output is this machine's.\n" + bare[10:]
    prose = "Skipped: a path.\n\n>>> y = 2  # doctest: +SKIP\n" + bare[10:]
    assert skips_without_reason(bare) == ["print(x)  # doctest: +SKIP"]
    assert skips_without_reason(commented) == []
    assert skips_without_reason(prose) == []
    assert skips_without_reason(">>> y = 2\n2\n\n" + bare[10:]) != []


def test_every_skipped_line_says_why():
    missing = {}
    for name in modules_with_examples():
        for test in doctest.DocTestFinder().find(importlib.import_module(name)):
            if test.docstring and skips_without_reason(test.docstring):
                missing[test.name] = skips_without_reason(test.docstring)
    assert not missing, f"say why, just before each skipped line: {missing}"
