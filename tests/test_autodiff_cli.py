"""Tests of ``nda autodiff``: printed values, messages, DOT export, errors."""

import math
import os

import pytest

from nda_models.cli import main


def run(capsys, *argv):
    code = main(["autodiff", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_example2_prints_value_gradient_and_messages(capsys):
    code, out, _ = run(capsys, "example2")
    assert code == 0
    assert f"log(81) ≈ {math.log(81):.6g}" in out  # 4.39445
    assert "(-4/3, -8/3, 0)" in out
    # The seven backward messages of Fig. 5.26, from g back to θ.
    lines = [line.split() for line in out.splitlines() if " → " in line]
    assert len(lines) == 7
    assert lines[0][1:7] == ["f4", "→", "f3", "1", "1/81", "1/81"]
    assert lines[-1][1:7] == ["f1", "→", "θ2", "2/9", "-12", "-8/3"]
    assert "Local derivatives" in out and "∂f3/∂f1" in out


def test_forward_mode_prints_one_pass_per_input(capsys):
    code, out, _ = run(capsys, "example1", "--mode", "forward")
    assert code == 0
    assert "pass 1" in out and "pass 3" in out and "pass 4" not in out
    assert "(2, -4, -2)" in out


@pytest.mark.parametrize("theta", [["2", "-1", "0.5"], ["2,-1,0.5"]])
def test_theta_spaces_or_commas(capsys, theta):
    code, out, _ = run(capsys, "example1", "--theta", *theta)
    assert code == 0
    # g = 4 + 2 − 0.25, ∇g = (2θ1, 4θ2, −2θ3)
    assert "= 23/4" in out and "(4, -4, -1)" in out


def test_example3_takes_x_and_y_true(capsys):
    code, out, _ = run(
        capsys, "example3", "--theta", "0", "0", "--x", "3", "--y-true", "3"
    )
    assert code == 0
    # y = e^0 = 1, ℓ = (1 − 3)² = 4, ∂ℓ/∂w = 2(y − y*)·y·x = −12, ∂ℓ/∂b = −4
    assert "(1 − 3)² = 4" in out and "(-12, -4)" in out
    assert "with x = 3, y* = 3" in out and "this point is yours" in out


def test_example3_says_its_default_point_is_the_packages_choice(capsys):
    code, out, _ = run(capsys, "example3")
    assert code == 0
    assert "at w = 0.5, b = 0\nwith x = 2, y* = 2" in out
    assert "give no numbers: this point is the package's defaults" in out


def test_dot_without_graphviz_skips_png(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    path = tmp_path / "g.dot"
    code, out, _ = run(capsys, "example2", "--dot", str(path))
    assert code == 0
    assert path.read_text(encoding="utf-8").startswith("digraph g {")
    assert "no PNG: Graphviz's `dot` is not installed" in out
    assert not path.with_suffix(".png").exists()


def test_dot_with_graphviz_writes_png(capsys, tmp_path, monkeypatch):
    # A stand-in `dot` on PATH: `dot -Tpng IN -o OUT` copies IN to OUT.
    folder = tmp_path / "bin"
    folder.mkdir()
    fake = folder / "dot"
    fake.write_text('#!/bin/sh\ncp "$2" "$4"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    path = tmp_path / "g.dot"
    code, out, _ = run(capsys, "example1", "--dot", str(path))
    assert code == 0
    assert f"wrote {path.with_suffix('.png')}" in out
    assert path.with_suffix(".png").read_text(encoding="utf-8") == path.read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    "argv, message",
    [
        (["exampel2"], "Did you mean 'example2'"),
        (["example2", "--theta", "1,a,2"], "--theta takes numbers"),
        (["example2", "--theta", "1", "2"], "takes 3 values of theta"),
        (["example1", "--x", "2"], "only apply to example 3"),
        (["example2", "--theta", "0", "0", "0"], "not defined"),
    ],
)
def test_errors_are_one_line_with_exit_code_2(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_dot_into_missing_folder_fails_cleanly(capsys, tmp_path):
    code, _, err = run(capsys, "example1", "--dot", str(tmp_path / "no" / "g.dot"))
    assert code == 2 and "does not exist" in err
