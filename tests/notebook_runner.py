"""Executes notebooks in real Jupyter kernels, a few at a time (tests only).

Each notebook gets a fresh ``python3`` kernel (ipykernel, started by
nbclient) whose working folder is a scratch folder, with the environment a
user's kernel has plus ``NDA_NOTEBOOK_SCALE=quick``. Notebooks run
concurrently, ``workers`` at a time, in one asyncio loop: a kernel's start
(Python, then TensorFlow's import) overlaps another's work. The executed
notebooks are written to ``build/notebooks/`` (git-ignored), where the
documentation build reads them without executing them again.
"""

import asyncio
import dataclasses
import os
import pathlib
import time

import nbclient
import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build" / "notebooks"


@dataclasses.dataclass
class Executed:
    """One notebook after its run: the notebook with outputs, the error that
    stopped it (``None``), and the wall-clock seconds it took."""

    notebook: object
    error: BaseException | None
    seconds: float


def kernel_environment():
    """The environment of the kernels: the user's, at the quick scale.

    ``TF_CPP_MIN_LOG_LEVEL`` as the test suite's conftest sets it is left
    out, so the notebooks' ``nda.quiet_tensorflow()`` behaves as for a user.
    """
    env = dict(os.environ, NDA_NOTEBOOK_SCALE="quick")
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    env.pop("NDA_MODELS_QUIET_TF", None)
    env.pop("MPLBACKEND", None)  # the kernel's own inline backend
    return env


async def _execute(stem, scratch, limit):
    notebook = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        resources={"metadata": {"path": str(scratch)}},
        timeout=None,  # no time limit in a test: the scale keeps it short
    )
    async with limit:
        start = time.perf_counter()
        error = None
        try:
            await client.async_execute(env=kernel_environment())
        except Exception as caught:  # noqa: BLE001 - reported by the test
            error = caught
        seconds = time.perf_counter() - start
    BUILD.mkdir(parents=True, exist_ok=True)
    # Written aside, then renamed: the docs build (tests/test_docs_site.py, on
    # another xdist worker) never reads a half-written copy.
    partial = BUILD / f".{stem}.ipynb.partial"
    nbformat.write(notebook, partial)
    os.replace(partial, BUILD / f"{stem}.ipynb")
    return stem, Executed(notebook, error, seconds)


def execute_all(stems, scratch, workers=2):
    """Runs every notebook of ``stems``; returns stem -> ``Executed``."""

    async def run():
        limit = asyncio.Semaphore(workers)
        jobs = [_execute(stem, scratch, limit) for stem in stems]
        return dict(await asyncio.gather(*jobs))

    return asyncio.run(run())
