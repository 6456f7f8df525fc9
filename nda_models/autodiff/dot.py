"""Graphviz DOT export of a computational graph, as the slides draw it.

Variables are ellipses, constants plain text, blocks boxes showing what they
compute and their value; each edge input → block carries the local
derivative ∂block/∂input and, for a reverse-mode result, the backward
message sent along it. Variables show ∂g/∂θ_i when a result is given.
"""

import pathlib
import shutil
import subprocess

from nda_models.autodiff.tables import computation, format_number
from nda_models.core.atomic_file import atomic_path

_SHAPES = {"variable": "ellipse", "constant": "plaintext", "block": "box"}


def _quote(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n") + '"'


def _node_label(graph, node, gradient, adjoint):
    label = graph.label(node)
    value = format_number(node.value)
    if node.kind == "block":
        text = f"{label} = {computation(graph, node)}\n= {value}"
    else:
        text = f"{label} = {value}"
    derivative = gradient.get(id(node), adjoint.get(label))
    if derivative is not None:
        text += f"\n∂g/∂{label} = {format_number(derivative)}"
    return text


def to_dot(graph, result=None):
    """Returns the graph in Graphviz DOT, left to right like the slides.

    Args:
        graph: A ``Graph``.
        result: Optional ``AutodiffResult`` of that graph, to show ∂g/∂θ_i
            and (reverse mode) the message on each edge.

    Returns:
        The DOT source (str).

    Example:
        >>> from nda_models.autodiff import lecture_example
        >>> example = lecture_example(2)
        >>> to_dot(example.graph, example.result).splitlines()[0]
        'digraph g {'
    """
    gradient = {}
    adjoint = {}
    if result is not None:
        gradient = {
            id(x): d for x, d in zip(graph.inputs, result.gradient, strict=True)
        }
        if result.mode == "reverse":
            adjoint = {m.sender: m.incoming for m in result.messages}
    lines = ["digraph g {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    for k, node in enumerate(graph.nodes):
        label = _quote(_node_label(graph, node, gradient, adjoint))
        lines.append(f"  n{k} [shape={_SHAPES[node.kind]}, label={label}];")
    for k, node in enumerate(graph.nodes):
        child = graph.label(node)
        for p, local in zip(
            graph.parent_indices[k], node.local_derivatives, strict=True
        ):
            if local is None:
                lines.append(f"  n{p} -> n{k} [style=dashed];")
                continue
            text = f"∂{child}/∂{graph.label(graph.nodes[p])} = {format_number(local)}"
            if child in adjoint:
                text += f"\nmessage {format_number(adjoint[child] * local)}"
            lines.append(f"  n{p} -> n{k} [label={_quote(text)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_dot(graph, path, *, result=None, png=True):
    """Writes ``path`` (DOT) and, if Graphviz's ``dot`` is installed, a PNG.

    Args:
        graph: A ``Graph``.
        path: Where to write the DOT file; its folder must exist.
        result: Optional ``AutodiffResult`` to annotate (see ``to_dot``).
        png: Also render ``path`` with suffix ``.png`` when ``dot`` exists.

    Returns:
        The PNG path, or ``None`` if no PNG was made (``png=False`` or no
        ``dot`` binary on PATH: install Graphviz to get one).

    Raises:
        FileNotFoundError: If the folder of ``path`` does not exist.
        RuntimeError: If ``dot`` exists but fails to render.

    Example:
        >>> import tempfile, pathlib
        >>> from nda_models.autodiff import lecture_example
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = write_dot(lecture_example(1).graph, folder / "g.dot", png=False)
        >>> (folder / "g.dot").exists()
        True
    """
    path = pathlib.Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(
            "The folder for the DOT file does not exist; create it or choose "
            f"another path. Received: path={str(path)!r}"
        )
    with atomic_path(path) as temp:  # a link is followed; a FIFO refused
        temp.write_text(to_dot(graph, result), encoding="utf-8")
    binary = shutil.which("dot")
    if not png or binary is None:
        return None
    png_path = path.with_suffix(".png")
    with atomic_path(png_path) as temp:
        done = subprocess.run(
            [binary, "-Tpng", str(path), "-o", str(temp)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"Graphviz `dot` failed to render {path} (exit {done.returncode}): "
                f"{done.stderr.strip()}"
            )
    return png_path
