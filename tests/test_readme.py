"""Every fenced ``python`` and ``bash`` block of README.md and of the user
guide (``docs/guide/*.md``) runs as written.

The README's blocks run first, in document order, at the root of a fresh
temporary folder that stands for the clone; then each guide page's blocks,
page by page in the order of ``docs/guide/index.md``'s table of contents, in
its ``scratch/`` folder, as the guide tells its readers to run them. A block
may use the files an earlier one wrote (``nda train`` then ``nda predict``).
Python blocks never share variables: each gets a fresh namespace and must
import what it uses. Bash blocks run with ``bash -e`` and the virtual
environment's ``nda`` on PATH (``.venv`` in the folder points at it).

A block opts out only with a visible first line stating why:

    # not run by tests/test_readme.py: <reason>

Everything runs in one Python process (TensorFlow is imported once) with
``TF_CPP_MIN_LOG_LEVEL`` unset, as for a new user, and the test also fails
if TensorFlow's C++ start-up lines reach the terminal. The folder is a git
repository with the project's ``.gitignore``: following the README and the
guide must leave ``git status`` clean there (nothing written outside the
ignored places, such as ``scratch/``, ``saved_models/`` or ``runs/``).
"""

import json
import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
GUIDE = ROOT / "docs" / "guide"
OPT_OUT = "# not run by tests/test_readme.py:"
FENCE = re.compile(r"^```(python|bash)\n(.*?)^```", re.S | re.M)
NOISE = ("absl::InitializeLog", "oneDNN custom operations", "cudart_stub",
         "cpu_feature_guard", "cuInit")  # fmt: skip

# Runs the blocks in order; prints which one failed and why, then exits 1.
DRIVER = r"""
import json, os, subprocess, sys, time, traceback
blocks = json.load(open(sys.argv[1]))
start = time.perf_counter()
for block in blocks:
    where = f"{block['page']} line {block['line']} ({block['language']})"
    os.chdir(block["cwd"])
    print(f"--- {where} at {time.perf_counter() - start:.1f} s", flush=True)
    sys.stderr.write(f"--- {where}\n"); sys.stderr.flush()
    if block["language"] == "python":
        try:
            exec(compile(block["code"], where, "exec"), {"__name__": "__main__"})
        except BaseException:
            traceback.print_exc()
            print(f"FAILED: {where}", flush=True)
            sys.exit(1)
    else:
        sys.stdout.flush()
        done = subprocess.run(["bash", "-e", "-c", block["code"]])
        if done.returncode != 0:
            print(f"FAILED: {where} exited {done.returncode}", flush=True)
            sys.exit(1)
print(f"ALL BLOCKS RAN in {time.perf_counter() - start:.1f} s", flush=True)
"""


def readme_blocks(text, page="README.md"):
    """Returns ``[{"line", "language", "code", "skip"}]`` for each fenced block.

    ``skip`` is the opt-out reason, or ``None``.

    Raises:
        ValueError: An opt-out marker without a reason.
    """
    blocks = []
    for match in FENCE.finditer(text):
        code = match.group(2)
        line = text[: match.start()].count("\n") + 1
        first = code.splitlines()[0] if code.strip() else ""
        skip = None
        if first.startswith(OPT_OUT):
            skip = first[len(OPT_OUT) :].strip()
            if not skip:
                raise ValueError(
                    f"{page} line {line}: an opt-out needs a reason after {OPT_OUT!r}"
                )
        blocks.append(
            {"line": line, "language": match.group(1), "code": code, "skip": skip}
        )
    return blocks


def test_blocks_are_found_and_opt_outs_need_a_reason():
    text = (
        "x\n```python\nprint(1)\n```\n```bash\n"
        f"{OPT_OUT} needs two machines\nssh a\n```\n```text\nnot code\n```\n"
    )
    blocks = readme_blocks(text)
    assert [(b["line"], b["language"], b["skip"]) for b in blocks] == [
        (2, "python", None),
        (5, "bash", "needs two machines"),
    ]
    with pytest.raises(ValueError, match="line 2: an opt-out needs a reason"):
        readme_blocks(f"\n```bash\n{OPT_OUT}\nls\n```\n")


def guide_pages():
    """The guide's pages in the order of its table of contents.

    Raises:
        ValueError: A page that the table of contents does not list (its
            blocks would not run) or lists twice.
    """
    index = (GUIDE / "index.md").read_text(encoding="utf-8")
    toctree = index.split("```{toctree}")[1].split("```")[0]
    names = [line.strip() for line in toctree.splitlines()]
    names = [name for name in names if name and not name.startswith(":")]
    on_disk = sorted(p.stem for p in GUIDE.glob("*.md") if p.stem != "index")
    if sorted(names) != on_disk:
        raise ValueError(
            f"docs/guide/index.md lists {sorted(names)}; the folder has {on_disk}"
        )
    return [GUIDE / f"{name}.md" for name in names]


def _all_blocks(clone):
    blocks = []
    pages = [(README, clone)] + [(page, clone / "scratch") for page in guide_pages()]
    for path, cwd in pages:
        page = str(path.relative_to(ROOT))
        for block in readme_blocks(path.read_text(encoding="utf-8"), page):
            if block["skip"] is None:
                blocks.append(dict(block, page=page, cwd=str(cwd)))
    return blocks


def _git_status(folder):
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=folder, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def _clone_stand_in(folder):
    """An empty git repository ignoring what the project's .gitignore ignores."""
    folder.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8")
    # .venv here is a link to the test's environment, not the folder ".venv/".
    (folder / ".git" / "info" / "exclude").write_text(ignored + "\n.venv\n")
    (folder / ".venv").symlink_to(sys.prefix)  # `source .venv/bin/activate`
    (folder / "scratch").mkdir()
    return folder


def test_every_guide_page_is_in_the_table_of_contents():
    pages = guide_pages()
    assert len(pages) >= 10, "the guide lost its pages?"
    assert pages[0].stem == "start"


def test_every_readme_and_guide_block_runs_as_written(tmp_path):
    before = _git_status(ROOT)
    clone = _clone_stand_in(tmp_path / "clone")
    blocks = _all_blocks(clone)
    assert len([b for b in blocks if b["page"] == "README.md"]) >= 2
    assert len(blocks) >= 15, "the guide lost its examples?"
    (tmp_path / "blocks.json").write_text(json.dumps(blocks))
    (tmp_path / "driver.py").write_text(DRIVER)
    unset = ("TF_CPP_MIN_LOG_LEVEL", "NDA_MODELS_QUIET_TF")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["PATH"] = f"{pathlib.Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, str(tmp_path / "driver.py"), str(tmp_path / "blocks.json")],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    report = f"stdout:\n{done.stdout[-6000:]}\nstderr:\n{done.stderr[-6000:]}"
    assert done.returncode == 0, report
    assert "ALL BLOCKS RAN" in done.stdout, report
    noisy = [line for line in done.stderr.splitlines() if any(n in line for n in NOISE)]
    assert noisy == [], report
    assert _git_status(clone) == "", "the README or the guide wrote outside scratch/"
    assert _git_status(ROOT) == before, "the blocks wrote into the repository"


def test_readme_is_short_and_starts_where_a_newcomer_starts():
    text = README.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) <= 250, "the README grew: move the details to docs/guide/"
    head = "\n".join(lines[:40])
    for needle in ("make demo", "make test", "notebooks/", "make lab"):
        assert needle in head, needle
    assert "*12. Neural Networks* by Anastasios Giovanidis" in " ".join(head.split())
    assert "lecture-12-neural-networks.txt" not in text  # not in the repository
