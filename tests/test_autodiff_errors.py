"""Tests of what the autodiff engine rejects, and that it stays TensorFlow-free.

Every promised rejection is checked on its message; the engine must not
import TensorFlow (TensorFlow is only the tests' and benchmark's oracle).
"""

import subprocess
import sys

import pytest

from nda_models.autodiff import (
    Block,
    Graph,
    Node,
    add,
    constant,
    differentiate,
    divide,
    exp,
    forward_mode,
    lecture_example,
    log,
    power,
    trace,
    variable,
    write_dot,
)
from nda_models.autodiff.ops import MULTIPLY


def test_rejects_bad_inputs():
    with pytest.raises(TypeError, match="must be a real number"):
        variable("1.0")
    with pytest.raises(TypeError, match="must be a real number"):
        add(variable(1.0), "2")
    with pytest.raises(TypeError, match="non-empty string"):
        variable(1.0, name=3)
    with pytest.raises(ValueError, match="takes 2 input"):
        MULTIPLY(variable(1.0))
    with pytest.raises(ValueError, match="Unknown node kind"):
        Node(1.0, kind="leaf")


def test_rejects_points_outside_the_domain():
    with pytest.raises(ValueError, match=r"'log'.*not defined.*Received: inputs=\(-1"):
        log(variable(-1.0))
    with pytest.raises(ValueError, match="'divide'"):
        divide(variable(1.0), 0.0)
    with pytest.raises(ValueError, match="'power'"):
        power(variable(-2.0), 0.5)
    with pytest.raises(ValueError, match="'exp'.*overflows"):
        exp(variable(1000.0))
    with pytest.raises(ValueError, match="computing 'f4'"):
        lecture_example(2, (0.0, 0.0, 0.0))


def test_rejects_bad_blocks():
    with pytest.raises(ValueError, match="one partial derivative"):
        Block("f", "x1", lambda a: a, (lambda o, a: 1.0,), ("1", "2"))
    with pytest.raises(TypeError, match="must be callable"):
        Block("f", "x1", "not callable", (lambda o, a: 1.0,), ("1",))


def test_rejects_bad_graphs():
    a, b = variable(1.0), variable(2.0)
    with pytest.raises(TypeError, match="`output` must be a Node"):
        Graph(3.0)
    with pytest.raises(ValueError, match="not in `inputs`"):
        Graph(a * b, inputs=[a])
    with pytest.raises(ValueError, match="listed once"):
        Graph(a * b, inputs=[a, b, a])
    with pytest.raises(ValueError, match="must be a variable"):
        Graph(a * b, inputs=[a, b, constant(1.0)])
    with pytest.raises(TypeError, match="must be a variable"):
        Graph(a * b, inputs=[a, b, 1.0])


def test_rejects_bad_trace_and_modes():
    with pytest.raises(ValueError, match="at least one value"):
        trace(lambda t: t[0], [])
    with pytest.raises(TypeError, match="sequence of numbers"):
        trace(lambda t: t[0], 1.0)
    with pytest.raises(TypeError, match="real number"):
        trace(lambda t: t[0], [1.0, "x"])
    with pytest.raises(ValueError, match="one name per entry"):
        trace(lambda t: t[0], [1.0], names=["a", "b"])
    with pytest.raises(TypeError, match="must return a Node"):
        trace(lambda t: 1.0, [1.0])
    with pytest.raises(ValueError, match="Did you mean 'reverse'"):
        differentiate(lambda t: t[0], [1.0], mode="revers")
    graph = trace(lambda t: t[0] * t[1], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        forward_mode(graph, wrt=[2])
    with pytest.raises(TypeError, match="integers"):
        forward_mode(graph, wrt=[0.5])


def test_rejects_bad_lecture_example_arguments(tmp_path):
    with pytest.raises(ValueError, match="no lecture example 4"):
        lecture_example(4)
    with pytest.raises(TypeError, match="must be an int"):
        lecture_example("2")
    with pytest.raises(ValueError, match="takes 3 values"):
        lecture_example(1, (1.0, 2.0))
    with pytest.raises(ValueError, match="only apply to example 3"):
        lecture_example(1, x=2.0)
    with pytest.raises(ValueError, match="Unknown autodiff mode"):
        lecture_example(1, mode="sideways")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        write_dot(lecture_example(1).graph, tmp_path / "missing" / "g.dot")


def test_importing_autodiff_does_not_import_tensorflow():
    code = (
        "import sys, nda_models.autodiff as ad; ad.lecture_example(2); "
        "print('tensorflow' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
