"""The autodiff engine's modules import each other without a cycle.

Issue 23: ``node.py`` used to import ``ops`` inside 16 of ``Node``'s methods
(node → ops → block → node). Every import counts here, module-level or
inside a function, so a lazy import that hides a cycle is found too.
"""

import ast
import pathlib

import nda_models.autodiff as autodiff

PACKAGE = pathlib.Path(autodiff.__file__).parent
PREFIX = "nda_models.autodiff."


def _imported_modules(path):
    """The ``nda_models.autodiff`` modules ``path`` imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {name for name in names if _module_path(name) is not None}
    return found


def _module_path(name):
    if not name.startswith(PREFIX):
        return None
    parts = name.removeprefix(PREFIX).split(".")
    file = PACKAGE.joinpath(*parts).with_suffix(".py")
    folder = PACKAGE.joinpath(*parts, "__init__.py")
    return file if file.exists() else folder if folder.exists() else None


def _graph():
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        if path.name == "__init__.py":
            continue  # the package's face re-exports everything
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        graph[PREFIX + ".".join(parts)] = _imported_modules(path)
    return graph


def _cycle(graph):
    """One import cycle as a list of modules, or None (depth-first search)."""
    state = {}

    def visit(module, path):
        state[module] = "open"
        for child in sorted(graph.get(module, ())):
            if state.get(child) == "open":
                return path[path.index(child) :] + [child]
            if child not in state:
                cycle = visit(child, [*path, child])
                if cycle:
                    return cycle
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module, [module])
            if cycle:
                return cycle
    return None


def test_the_engine_has_no_import_cycle():
    graph = _graph()
    assert PREFIX + "node" in graph and PREFIX + "ops" in graph
    assert _cycle(graph) is None


def test_node_imports_no_block():
    assert _imported_modules(PACKAGE / "node.py") == set()


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_operators_still_build_blocks():
    from nda_models.autodiff import variable

    w = variable(2.0, "w")
    values = [(w * 3).value, (3 * w).value, (w + 1).value, (1 - w).value]
    values += [(w / 4).value, (1 / w).value, (w**2).value, (2**w).value]
    assert values == [6.0, 6.0, 3.0, -1.0, 0.5, 0.5, 4.0, 4.0]
    assert (-w).value == -2.0 and w.exp().block.name == "exp"
    assert [w.log().block.name, w.relu().block.name] == ["log", "relu"]
    assert [w.sigmoid().block.name, w.tanh().block.name] == ["sigmoid", "tanh"]
