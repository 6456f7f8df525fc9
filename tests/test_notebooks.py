"""The lecture's notebooks: one per section, committed clean, in step with
their scripts, and executed top to bottom in real Jupyter kernels.

Every notebook runs at the quick scale (``NDA_NOTEBOOK_SCALE=quick``, read by
its first cell), never skipped, two at a time in fresh kernels (see
``notebook_runner``); the executed copies go to ``build/notebooks/``. A run
fails on any error output or stderr, and passes only if the notebook shows a
figure inline, shows each figure once, and ends with exercises whose
unanswered check shows the expected form of the answer.
"""

import ast
import os
import pathlib

import nbformat
import notebook_runner
import pytest

from nda_models.lecture.section_index import NOTEBOOKS, SECTIONS

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIGURE_TYPES = ("image/png", "image/svg+xml")
# Two kernels at a time, or one on a worker of `make test` (pytest-xdist), whose
# other worker keeps the second core busy.
WORKERS = int(
    os.environ.get(
        "NDA_NOTEBOOK_WORKERS", "1" if "PYTEST_XDIST_WORKER" in os.environ else "2"
    )
)


def _read(stem):
    return nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)


def _code(notebook):
    """The notebook's code cells as one Python source (magics left out)."""
    cells = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    lines = "\n".join(cells).splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("%"))


def _section_call_nodes(source):
    calls = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "section"
    ]
    return sorted(calls, key=lambda node: (node.lineno, node.col_offset))


def _section_calls(source):
    """The ``section.NAME`` functions a source calls, in source order."""
    return [node.func.attr for node in _section_call_nodes(source)]


# The scale is the script's --quick (args.scale) and the notebook's SCALE.
_SCALE = {"args.scale", "SCALE"}


def _argument(node):
    """An argument as both sources must write it: a literal as its value,
    the scale as itself, another section call by its name, any other
    expression (a variable of that source) as a placeholder."""
    if ast.unparse(node) in _SCALE:
        return "<scale>"
    if isinstance(node, ast.Call):
        return f"<call {ast.unparse(node.func)}>"
    try:
        return repr(ast.literal_eval(node))
    except ValueError:
        return "<value>"


def _section_call_forms(source):
    """Each ``section.NAME(...)`` call with its arguments (see ``_argument``)."""
    return [
        (
            node.func.attr,
            [_argument(arg) for arg in node.args],
            sorted((k.arg, _argument(k.value)) for k in node.keywords),
        )
        for node in _section_call_nodes(source)
    ]


def test_one_notebook_per_section_and_nothing_else():
    found = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert found == sorted(NOTEBOOKS)
    scripts = sorted(p.stem for p in (ROOT / "scripts").glob("[0-9]*.py"))
    assert scripts == sorted(SECTIONS)


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_notebook_is_committed_without_outputs(stem):
    notebook = _read(stem)
    nbformat.validate(notebook)
    assert set(notebook.metadata) <= {"kernelspec", "language_info"}
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    for cell in notebook.cells:
        assert not cell.metadata, (stem, cell.id)
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.id


@pytest.mark.parametrize("stem", SECTIONS)
def test_script_and_notebook_call_the_same_section_functions(stem):
    """One source of truth: what the script runs, the notebook runs, in order."""
    script = (ROOT / "scripts" / f"{stem}.py").read_text(encoding="utf-8")
    module = f"from nda_models.lecture.sections import {stem[3:]} as section"
    notebook = _code(_read(stem))
    assert module in script and module in notebook
    from_script, from_notebook = _section_calls(script), _section_calls(notebook)
    assert from_script and from_script == from_notebook
    assert _section_call_forms(script) == _section_call_forms(notebook)
    public = set(__import__(SECTIONS[stem], fromlist=["_"]).__all__)
    assert set(from_script) == public  # every function of the section is used


@pytest.mark.parametrize(
    "drifted",
    [
        "runs = section.train_runs(ds, optimum, scale='quick')",
        "runs = section.train_runs(ds, optimum, scale=SCALE, learning_rate=0.5)",
        "runs = section.train_runs(ds, scale=SCALE)",
        "runs = section.train_runs(ds, optimum, 3, scale=SCALE)",
    ],
)
def test_a_notebook_whose_call_arguments_drift_is_caught(drifted):
    """The same functions in the same order were all that was compared: a
    notebook calling them with a hard-coded scale or its own learning rate
    drifted from its script unseen."""
    script = "runs = section.train_runs(ds, optimum, scale=args.scale)"
    same = "runs = section.train_runs(data, best, scale=SCALE)"
    assert _section_call_forms(script) == _section_call_forms(same)
    assert _section_calls(script) == _section_calls(drifted)  # names alone: blind
    assert _section_call_forms(script) != _section_call_forms(drifted)


def test_section_calls_are_read_in_order():
    source = "a = section.f(1)\nsection.g(section.h(a))\nother.f()\nsection.f()"
    assert _section_calls(source) == ["f", "g", "h", "f"]


@pytest.fixture(scope="session")
def executed(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("notebooks")
    return notebook_runner.execute_all(NOTEBOOKS, scratch, workers=WORKERS)


def _outputs(notebook):
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            yield cell, output


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_notebook_runs_clean_with_figures_inline(executed, stem):
    run = executed[stem]
    assert run.error is None, f"{stem} stopped: {run.error}"
    problems = [
        (cell.id, output.get("ename") or output.get("text", "")[:500])
        for cell, output in _outputs(run.notebook)
        if output.output_type == "error"
        or (output.output_type == "stream" and output.name == "stderr")
    ]
    assert problems == [], problems
    figures = [
        output
        for _, output in _outputs(run.notebook)
        if any(kind in output.get("data", {}) for kind in FIGURE_TYPES)
    ]
    assert figures, f"{stem} shows no figure inline"
    shown_twice = [  # a figure returned by a cell is also flushed by pyplot
        cell.id
        for cell, output in _outputs(run.notebook)
        if output.output_type == "execute_result"
        and "image/png" in output.get("data", {})
    ]
    assert shown_twice == []


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_notebook_ends_with_exercises_that_show_the_expected_form(executed, stem):
    cells = [c for c in executed[stem].notebook.cells if c.cell_type == "code"]
    checks = [c for c in cells if ".check(answer" in c.source]
    assert checks, f"{stem} has no exercise"
    assert cells[-1] is checks[-1], "the notebook ends with its exercises"
    for cell in checks:
        (output,) = cell.outputs
        shown = output["data"]["text/html"]
        assert "Cannot check this answer" in shown and "Expected" in shown, cell.id


def test_every_exercise_is_in_some_notebook():
    from nda_models import exercises

    used = set()
    for stem in NOTEBOOKS:
        tree = ast.parse(_code(_read(stem)))
        used |= {
            node.args[0].value
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and getattr(node.func, "attr", None) == "get_exercise"
        }
    assert used == set(exercises.list_exercises())


def test_a_script_main_runs_from_a_cell(tmp_path):
    """In a kernel, sys.argv is the kernel's (-f kernel.json): main() must
    run with the defaults, not exit with argparse's code 2."""
    import nbclient

    script = ROOT / "scripts" / "02_stochastic_gradient.py"
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import importlib.util, sys\n"
            f"spec = importlib.util.spec_from_file_location('s02', {str(script)!r})\n"
            "module = importlib.util.module_from_spec(spec)\n"
            "spec.loader.exec_module(module)\n"
            "print(sys.argv[1:2])\n"
            "module.main()"
        )
    ]
    client = nbclient.NotebookClient(
        notebook, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute(env=notebook_runner.kernel_environment())
    outputs = notebook.cells[0].outputs
    assert "['-f']" in outputs[0]["text"]  # the kernel's own arguments
    assert outputs[-1]["data"]["text/plain"] == "0"
    figures = tmp_path / "figures" / "02_stochastic_gradient"
    assert (figures / "gradient_clouds.png").read_bytes()[:4] == b"\x89PNG"


def test_make_lab_gives_the_kernels_the_venvs_programs():
    """``%tensorboard`` (the guide's instruction) runs the ``tensorboard``
    found on the kernel's PATH; ``make lab`` started JupyterLab, and so its
    kernels, with the caller's PATH, where a venv that is not activated has
    no ``tensorboard``: "Could not find `tensorboard`". The lab command puts
    the venv's bin/ first."""
    import shutil
    import subprocess

    venv_bin = str(ROOT / ".venv" / "bin")
    path = os.pathsep.join(
        p for p in os.environ["PATH"].split(os.pathsep) if p != venv_bin
    )
    env = dict(os.environ, PATH=path)
    dry = subprocess.run(["make", "-s", "-n", "lab"], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)  # fmt: skip
    (command,) = [line for line in dry.stdout.splitlines() if "jupyter lab" in line]
    probe = "python -c \"import shutil; print(shutil.which('tensorboard'))\""
    command = command.replace(".venv/bin/jupyter lab notebooks", f".venv/bin/{probe}")
    found = subprocess.run(["sh", "-c", command], cwd=ROOT, env=env,
                           capture_output=True, text=True, check=True)  # fmt: skip
    assert found.stdout.strip() == str(ROOT / ".venv" / "bin" / "tensorboard")
    assert shutil.which("tensorboard", path=path) != found.stdout.strip()
