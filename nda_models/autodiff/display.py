"""``to_html``, ``_repr_html_`` and ``_repr_svg_`` for graphs and results.

A ``Graph``, an ``AutodiffResult`` and a ``LectureExample`` write their
step-through page with ``to_html(path)`` and show themselves in Jupyter:
``_repr_html_`` is the page in a frame, ``_repr_svg_`` the graph as SVG
(for front ends without HTML). Drawing needs both modes, the layout and the
page, which all import ``Graph``; so the methods are attached to the
classes here, by the package's ``__init__``, instead of importing upwards
from ``graph.py`` or ``result.py``.
"""

from nda_models.autodiff.differentiate import MODES
from nda_models.autodiff.examples import LectureExample
from nda_models.autodiff.graph import Graph
from nda_models.autodiff.graph_page import both_modes, graph_page
from nda_models.autodiff.graph_story import graph_story
from nda_models.autodiff.graph_svg import graph_svg, story_layout
from nda_models.autodiff.page import notebook_frame
from nda_models.autodiff.page_file import write_page
from nda_models.autodiff.result import AutodiffResult


def graph_to_html(self, path, *, mode="reverse", title=None):
    """Writes this graph's step-through page (both modes) to ``path``.

    Args:
        path: The .html file to write (atomically; a link is followed, a
            FIFO or a folder refused).
        mode: The mode the page opens in, ``"reverse"`` or ``"forward"``.
        title: The page's heading.

    Returns:
        The path written.

    Raises:
        ValueError: For a bad path or an unknown mode.

    Example:
        >>> from nda_models.autodiff import trace
        >>> graph = trace(lambda t: (t[0] * t[1]).exp(), (1.0, 0.5))
        >>> graph.to_html("graph.html").name
        'graph.html'
    """
    mode = MODES.check("mode", mode)
    document, _ = graph_page(self, both_modes(self), default_mode=mode, title=title)
    return write_page(path, document)


def result_to_html(self, path, *, title=None):
    """Writes the page of this result's graph, opening in this result's mode.

    The result's own recorded messages are used (the other mode is run on
    its graph); a result computed without messages is recomputed.

    Example:
        >>> from nda_models.autodiff import differentiate
        >>> result = differentiate(lambda t: t[0] ** 2, (3.0,), mode="forward")
        >>> result.to_html("result.html").suffix
        '.html'
    """
    results = both_modes(self.graph, self)
    document, _ = graph_page(self.graph, results, default_mode=self.mode, title=title)
    return write_page(path, document)


def example_to_html(self, path):
    """Writes the page of this lecture example (its formula as the subtitle).

    Example:
        >>> from nda_models.autodiff import lecture_example
        >>> lecture_example(3).to_html("example3.html").name
        'example3.html'
    """
    return write_example_page(self, path)


def write_example_page(example, path, argument="path"):
    """``example.to_html(path)``; errors name the path ``argument`` (``--html``)."""
    return write_page(path, _example_page(example)[0], argument)


def _example_page(example):
    results = both_modes(example.graph, example.result)
    title = f"Lecture example {example.number}: backpropagation, step by step"
    return graph_page(
        example.graph,
        results,
        default_mode=example.result.mode,
        title=title,
        formula=example.formula,
    )


def _graph_svg(graph, results, mode, *, at_end):
    story = graph_story(graph, results, mode)
    t = story.timeline.last(mode) if at_end else story.timeline.forward_steps
    return graph_svg(story, story_layout(story), mode, t)


def graph_repr_svg(self):
    """The graph with every value (the end of the forward pass), as SVG."""
    return _graph_svg(
        self, {"reverse": both_modes(self)["reverse"]}, "reverse", at_end=False
    )


def result_repr_svg(self):
    """The graph with every value and every message of this result, as SVG."""
    results = {self.mode: both_modes(self.graph, self)[self.mode]}
    return _graph_svg(self.graph, results, self.mode, at_end=True)


def graph_repr_html(self):
    """The step-through page in a frame (Jupyter)."""
    return notebook_frame(*graph_page(self, both_modes(self)))


def result_repr_html(self):
    """The step-through page of this result in a frame (Jupyter)."""
    results = both_modes(self.graph, self)
    return notebook_frame(*graph_page(self.graph, results, default_mode=self.mode))


def example_repr_html(self):
    """The lecture example's step-through page in a frame (Jupyter)."""
    return notebook_frame(*_example_page(self))


def example_repr_svg(self):
    """The lecture example's graph after its backward pass, as SVG."""
    return result_repr_svg(self.result)


def attach():
    """Gives the three classes their ``to_html`` and notebook display."""
    methods = {
        Graph: (graph_to_html, graph_repr_html, graph_repr_svg),
        AutodiffResult: (result_to_html, result_repr_html, result_repr_svg),
        LectureExample: (example_to_html, example_repr_html, example_repr_svg),
    }
    for cls, (to_html, repr_html, repr_svg) in methods.items():
        cls.to_html = to_html
        cls._repr_html_ = repr_html
        cls._repr_svg_ = repr_svg
