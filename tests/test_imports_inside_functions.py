"""Imports live at the top of a module (issue 23 item 4).

An import inside a function is allowed only where it keeps TensorFlow (or
ONNX Runtime, scikit-learn) out of ``import nda_models`` or out of the command
line's argument checks, and each says why in a comment on its line or the
line above. A heavy third-party library is named at the module's top with
``nda_models.core.lazy_module`` instead. BUDGET is the most the package may
hold; it only goes down.
"""

import ast
import pathlib

import nda_models

PACKAGE = pathlib.Path(nda_models.__file__).parent
BUDGET = 5  # issue 23's limit is 25


def imports_inside_functions():
    """Yields (path, line number, source line, line above) of each one."""
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        seen = set()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    if inner.lineno not in seen:
                        seen.add(inner.lineno)
                        above = lines[inner.lineno - 2] if inner.lineno > 1 else ""
                        yield path, inner.lineno, lines[inner.lineno - 1], above


def test_at_most_the_budget_of_imports_inside_functions():
    found = [f"{path.relative_to(PACKAGE)}:{line}" for path, line, *_ in
             imports_inside_functions()]  # fmt: skip
    assert len(found) <= BUDGET, (len(found), found)


def test_each_import_inside_a_function_says_why():
    silent = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path, line, source, above in imports_inside_functions()
        if not above.strip().startswith("#")
        and "#" not in source.replace("# noqa", "").split("noqa")[0]
    ]
    assert not silent, f"an import inside a function needs a comment why: {silent}"
