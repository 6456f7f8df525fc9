"""Every fenced ``python`` and ``bash`` block of README.md runs as written.

The blocks run in document order in one fresh temporary folder, so a block
may use the files an earlier one wrote (``nda train`` then ``nda predict``).
Python blocks never share variables: each gets a fresh namespace and must
import what it uses. Bash blocks run with ``bash -e`` and the virtual
environment's ``nda`` on PATH (``.venv`` in the folder points at it).

A block opts out only with a visible first line stating why:

    # not run by tests/test_readme.py: <reason>

Everything runs in one Python process (TensorFlow is imported once) with
``TF_CPP_MIN_LOG_LEVEL`` unset, as for a new user, and the test also fails
if TensorFlow's C++ start-up lines reach the terminal.
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
OPT_OUT = "# not run by tests/test_readme.py:"
FENCE = re.compile(r"^```(python|bash)\n(.*?)^```", re.S | re.M)
NOISE = ("absl::InitializeLog", "oneDNN custom operations", "cudart_stub",
         "cpu_feature_guard", "cuInit")  # fmt: skip

# Runs the blocks in order; prints which one failed and why, then exits 1.
DRIVER = r"""
import json, subprocess, sys, time, traceback
blocks = json.load(open(sys.argv[1]))
start = time.perf_counter()
for block in blocks:
    where = f"README.md line {block['line']} ({block['language']})"
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


def readme_blocks(text):
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
                    f"README.md line {line}: an opt-out needs a reason after "
                    f"{OPT_OUT!r}"
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


def test_every_readme_block_runs_as_written(tmp_path):
    blocks = [b for b in readme_blocks(README.read_text()) if b["skip"] is None]
    assert len(blocks) >= 5, "the README lost its examples?"
    (tmp_path / ".venv").symlink_to(sys.prefix)  # `source .venv/bin/activate`
    (tmp_path / "blocks.json").write_text(json.dumps(blocks))
    (tmp_path / "driver.py").write_text(DRIVER)
    unset = ("TF_CPP_MIN_LOG_LEVEL", "NDA_MODELS_QUIET_TF")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["PATH"] = f"{pathlib.Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "driver.py", "blocks.json"],
        cwd=tmp_path,
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
