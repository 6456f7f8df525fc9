"""The step-through page as a file: self-contained, safely written, displayed.

What Chromium shows of it is tested in ``test_autodiff_page_browser.py``;
here: nothing outside the file is referenced, the security policy's hashes
match the inline style and script, odd names cannot break out of the
embedded JSON, the writer refuses links, pipes and folders, the command
line's text output is unchanged, and notebooks get SVG and a framed page.
"""

import base64
import hashlib
import html
import json
import math
import os
import re

import pytest

import nda_models as nda
from nda_models.autodiff import (
    Graph,
    constant,
    differentiate,
    exp,
    lecture_example,
    reverse_mode,
    trace,
    variable,
)
from nda_models.autodiff.finite_differences import (
    evaluate,
    finite_difference_gradient,
)
from nda_models.autodiff.page_file import write_page
from nda_models.autodiff.timeline import Timeline
from nda_models.cli import main


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    path = tmp_path_factory.mktemp("page") / "example2.html"
    lecture_example(2).to_html(path)
    return path.read_text(encoding="utf-8")


def _sha256(text):
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def test_the_page_references_nothing_outside_itself(page):
    assert not re.search(r"""(src|href|action)\s*=""", page, re.IGNORECASE)
    assert not re.search(
        r"https?:|//[a-z]", page.replace("http://www.w3.org/2000/svg", "")
    )
    assert "@import" not in page and "url(" not in page.replace("url(#", "")
    assert "<link" not in page and "<iframe" not in page


def test_the_security_policy_allows_only_the_inline_style_and_script(page):
    policy = html.unescape(
        re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)[1]
    )
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    styles = re.findall(r"<style>(.*?)</style>", page, re.DOTALL)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(styles) == 2 and len(scripts) == 1  # the page's, the SVG's; stepper
    assert sorted(directives["style-src"].split()) == sorted(map(_sha256, styles))
    assert directives["script-src"] == _sha256(scripts[0])


def _timeline(page):
    found = re.search(
        r'<script type="application/json" id="nda-timeline">(.*?)</script>',
        page,
        re.DOTALL,
    )
    return json.loads(found[1])


def test_every_state_is_in_the_page(page):
    data = _timeline(page)
    example = lecture_example(2)
    assert data["forward"] == 4 and data["steps"] == {"reverse": 7, "forward": 21}
    props = {(e, k): series for e, k, series in data["props"]}
    # θ2 (n1) sums two messages: its data-grad changes at those two steps.
    receives = [
        s for s, m in enumerate(example.result.messages, 1) if m.receiver == "θ2"
    ]
    changes = props[("n1", "data-grad")]["reverse"]
    assert [t - 4 for t, _ in changes] == receives
    assert changes[-1][1] == repr(example.gradient[1])


def test_names_cannot_break_out_of_the_embedded_json(tmp_path):
    name = "</script><script>alert(1)</script>"
    graph = trace(lambda t: t[0] * 2.0, (1.5,), names=[name])
    text = graph.to_html(tmp_path / "odd.html").read_text(encoding="utf-8")
    assert text.count("<script>") == 1 and "alert(1)</script>" not in text
    nodes = [e for e, k, _ in _timeline(text)["props"] if k == "data-value"]
    assert nodes and html.escape(name) in text


def test_a_page_replaces_a_file_atomically_follows_links_refuses_pipes(tmp_path):
    target = tmp_path / "page.html"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_page(target, "<!DOCTYPE html><p>new</p>")
    assert target.read_text() == "<!DOCTYPE html><p>new</p>"
    assert oct(target.stat().st_mode & 0o777) == "0o640"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]  # no temp
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.html"
    link.symlink_to(elsewhere)
    write_page(link, "x")  # as every output and bundle: the link is followed
    assert elsewhere.read_text() == "x" and link.is_symlink()
    fifo = tmp_path / "fifo.html"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="not a regular file"):
        write_page(fifo, "x")
    (tmp_path / "folder.html").mkdir()
    with pytest.raises(ValueError, match="not a regular file"):
        write_page(tmp_path / "folder.html", "x")
    with pytest.raises(ValueError, match=r"must name an \.html file.*page\.txt'"):
        write_page(tmp_path / "page.txt", "x")


def test_cli_html_keeps_the_text_output_and_writes_the_page(capsys, tmp_path):
    argv = ["autodiff", "example3", "--theta", "0.3", "-0.2", "--x", "1.5"]
    assert main(argv) == 0
    plain = capsys.readouterr().out
    path = tmp_path / "page.html"
    assert main([*argv, "--html", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(plain)
    assert f"wrote {path}: step-through page (4 blocks forward" in out
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_refuses_a_bad_html_path_before_any_work(capsys, tmp_path):
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    assert main(["autodiff", "example1", "--html", str(fifo)]) != 0
    err = capsys.readouterr().err
    assert err.startswith("nda: error: cannot write --html ") and "\n" == err[-1]
    assert "it is a FIFO (named pipe)" in err
    assert main(["autodiff", "example1", "--html", str(tmp_path / "x.svg")]) != 0
    assert "--html must name an .html file" in capsys.readouterr().err
    link = tmp_path / "link.html"  # a link is followed, as for every output
    link.symlink_to(tmp_path / "target.html")
    assert main(["autodiff", "example1", "--html", str(link)]) == 0
    assert (tmp_path / "target.html").read_text().startswith("<!DOCTYPE html>")


def test_notebook_display_without_graphviz():
    example = nda.lecture_example(3)
    svg = example._repr_svg_()
    assert svg.startswith("<svg") and svg.count("data-node=") == 8
    grads = dict(re.findall(r'data-node="([^"]+)"[^>]*?data-grad="([^"]+)"', svg))
    assert float(grads["w"]) == example.gradient[0]  # the finished backward pass
    graph_svg = example.graph._repr_svg_()
    assert "data-value=" in graph_svg and "data-grad=" not in graph_svg
    frame = example._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in frame
    document = html.unescape(re.search(r'srcdoc="([^"]*)"', frame)[1])
    assert document.startswith("<!DOCTYPE html>") and "nda-timeline" in document
    result = example.result
    assert result._repr_html_().startswith("<iframe")
    assert result._repr_svg_().count("data-grad=") == 6  # not the constants x, y*
    assert example.graph._repr_html_().startswith("<iframe")
    ids = re.findall(r'<marker id="([^"]+)"', svg + result._repr_svg_())
    assert len(set(ids)) == 2  # two drawings in one notebook do not share ids


def test_a_result_without_messages_still_gets_its_steps(tmp_path):
    graph = trace(lambda t: t[0] * t[1] + t[0], (2.0, 3.0))
    result = reverse_mode(graph, record_messages=False)
    text = result.to_html(tmp_path / "r.html").read_text(encoding="utf-8")
    assert _timeline(text)["steps"] == {"reverse": 4, "forward": 8}  # 4 edges


def test_edge_cases_build_pages(tmp_path):
    x = variable(2.0, "x")
    pages = {
        "identity": trace(lambda t: t[0], (1.0,)),  # no block, no message
        "square": trace(lambda t: t[0] * t[0], (3.0,)),  # one node, two edges
        "constant_block": Graph(exp(constant(1.0)) * x, inputs=[x]),  # no message
    }
    for name, graph in pages.items():
        text = graph.to_html(tmp_path / f"{name}.html").read_text(encoding="utf-8")
        assert "nda-timeline" in text, name
    data = _timeline((tmp_path / "square.html").read_text(encoding="utf-8"))
    assert data["steps"]["reverse"] == 2  # x·x: one message per edge


def test_finite_differences_against_numpy_and_where_g_is_undefined():
    graph = lecture_example(2, (1.0, 0.5, 2.0)).graph

    def g(t):
        return math.log(((t[0] + 2 * t[1]) ** 2 + 2 * (t[1] + 2 * t[2]) ** 2) ** 2)

    assert evaluate(graph, (0.3, -0.1, 0.7)) == pytest.approx(g((0.3, -0.1, 0.7)))
    h = 1e-6
    for i, d in enumerate(finite_difference_gradient(graph)):
        e = [0.0, 0.0, 0.0]
        e[i] = h
        up = g([a + b for a, b in zip((1.0, 0.5, 2.0), e, strict=True)])
        down = g([a - b for a, b in zip((1.0, 0.5, 2.0), e, strict=True)])
        assert d == pytest.approx((up - down) / (2 * h), rel=1e-6)
    near_zero = trace(lambda t: t[0].log(), (1e-9,))
    assert finite_difference_gradient(near_zero) == (None,)
    with pytest.raises(ValueError, match="one value per input"):
        evaluate(graph, (1.0,))
    assert differentiate(lambda t: t[0].log(), (1e-9,)).gradient[0] == pytest.approx(
        1e9
    )


def test_timeline_changes_must_come_in_order():
    timeline = Timeline(1, {"reverse": 2}, "reverse")
    timeline.set("n0", "data-grad", "1.0", at=3)
    with pytest.raises(ValueError, match=r"in order of position.*t=1 after t=3"):
        timeline.set("n0", "data-grad", "2.0", at=1)
