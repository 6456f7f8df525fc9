"""The words and numbers a step-through page shows (display only, rounded).

Attributes of the page carry full precision (``repr(float)``); what a
reader sees is rounded here: small fractions exactly (``−4/3``), other
numbers to 6 significant digits, with a typographic minus sign.
"""

import functools
import re

from nda_models.autodiff.tables import format_number, substitute

_AUTOMATIC = re.compile(r"f\d+")
_AGREE = 1e-6  # a finite difference agrees within this relative difference


@functools.lru_cache(maxsize=1 << 16)  # graphs repeat values (0, 1, seeds)
def number(x):
    """A number as a reader wants it: ``0.5``, ``−4/3``, ``1/81``, ``2.71828``.

    A short decimal that is exact stays a decimal; otherwise an exact small
    fraction (``format_number``); otherwise 6 significant digits. The minus
    sign is typographic.

    Example:
        >>> number(-4 / 3), number(0.5), number(1 / 81), number(None)
        ('−4/3', '0.5', '1/81', '—')
    """
    if x is not None and float(f"{x:.6g}") == x:
        shown = f"{x:.6g}"
    else:
        shown = format_number(x)
    return shown.replace("-", "−")


def term_sum(terms, total):
    """A running sum as read aloud: ``−4/3 − 4/3 = −8/3``; one term alone.

    More than three terms are shortened: ``a + b + … (7 terms) = s``.

    Example:
        >>> term_sum([-4 / 3, -4 / 3], -8 / 3)
        '−4/3 − 4/3 = −8/3'
        >>> term_sum([0.5], 0.5)
        '0.5'
    """
    if len(terms) == 1:
        return number(total)
    shown = terms if len(terms) <= 3 else terms[:2]
    text = number(shown[0])
    for x in shown[1:]:
        text += f" − {number(-x)}" if x < 0 else f" + {number(x)}"
    if len(shown) < len(terms):
        text += f" + … ({len(terms)} terms)"
    return f"{text} = {number(total)}"


def output_symbol(graph):
    """How the page writes the output: its own name (``ℓ``), else ``g``.

    The lecture's examples 1 and 2 call their last block f4 and the slides
    write g; a block named by the user (``ℓ``) keeps its name.
    """
    name = graph.output.name
    return "g" if name is None or _AUTOMATIC.fullmatch(name) else name


def header(graph, node):
    """First line of a node's box: ``u = w·x`` for a block, the name otherwise."""
    label = graph.label(node)
    if node.kind != "block":
        return label
    inputs = [graph.label(p) for p in node.parents]
    return f"{label} = {substitute(node.block.formula, inputs)}"


def value_line(node):
    """Second line: ``= 0.5·2 = 1`` for a block (inputs' values), ``= 2`` for a leaf."""
    if node.kind != "block":
        return f"= {number(node.value)}"
    numbers = [
        f"({number(p.value)})" if p.value < 0 else number(p.value) for p in node.parents
    ]
    computed = substitute(node.block.formula, numbers)
    return f"= {computed} = {number(node.value)}"


def local_lines(graph, node):
    """``∂u/∂w = x = 2`` for each input that can receive a message (not constants)."""
    labels = [graph.label(p) for p in node.parents]
    lines = []
    for j, local in enumerate(node.local_derivatives):
        if local is None:
            continue
        formula = substitute(node.block.partial_formulas[j], labels)
        shown = number(local)
        plain = formula.replace("−", "-") == format_number(local)
        middle = "" if plain else f"{formula} = "
        name = derivative(graph.label(node), labels[j])
        lines.append((j, f"{name} = {middle}{shown}"))
    return lines


def derivative(of, by):
    """``∂of/∂by``."""
    return f"∂{of}/∂{by}"


def agreement(gradient, finite):
    """The check's words: ``"✓ agree (|Δ| = 2.3e−09)"``, or how they differ.

    Example:
        >>> agreement(2.0, 2.0 + 1e-10)
        '✓ agree (|Δ| = 1e−10)'
    """
    if finite is None:
        return "— g is not defined a step away"
    delta = abs(gradient - finite)
    words = "✓ agree" if delta <= _AGREE * max(1.0, abs(gradient)) else "✗ differ"
    return f"{words} (|Δ| = {delta:.2g})".replace("-", "−")
