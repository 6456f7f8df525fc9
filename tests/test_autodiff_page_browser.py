"""The step-through pages, read back from headless Chromium (issue 25).

Each test opens a page written by the command line or by ``to_html`` at one
``#fragment`` and reads the DOM after the page's script ran. The numbers are
compared with the engine's own results (exact: the attributes are
``repr(float)``) and with independent oracles: the lecture's formulas in
NumPy and central finite differences written here. One Chromium start per
page and fragment.
"""

import itertools
import json
import math

import numpy as np
import pytest
from browser import Dom, dump_dom, page_requests, require_chromium, run_chromium
from support import big_graph

from nda_models.autodiff import lecture_example, reverse_mode, trace
from nda_models.cli import main

W, B, X, Y_TRUE = 0.3, -0.2, 1.5, 1.0


def _example3_oracle():
    """Example 3 by hand (float64): values, ∂ℓ/∂node, and tangents ∂node/∂b."""
    u = W * X
    v = u + B
    y = np.exp(v)
    loss = (y - Y_TRUE) ** 2
    dl_dy = 2 * (y - Y_TRUE)
    dl_dv = dl_dy * y
    values = {"w": W, "b": B, "x": X, "y*": Y_TRUE, "u": u, "v": v, "y": y, "ℓ": loss}
    grads = {"ℓ": 1.0, "y": dl_dy, "v": dl_dv, "u": dl_dv, "b": dl_dv}
    grads["w"] = dl_dv * X
    tangents_b = {"w": 0.0, "b": 1.0, "u": 0.0, "v": 1.0, "y": y, "ℓ": dl_dy * y}
    return values, grads, tangents_b


def _numpy_finite_difference(f, theta, h=1e-6):
    theta = np.asarray(theta, dtype=np.float64)
    out = []
    for i in range(len(theta)):
        e = np.zeros_like(theta)
        e[i] = h
        out.append((f(theta + e) - f(theta - e)) / (2 * h))
    return out


def _loss3(theta):
    return (np.exp(theta[0] * X + theta[1]) - Y_TRUE) ** 2


@pytest.fixture(scope="module")
def example3_page(tmp_path_factory):
    require_chromium()
    path = tmp_path_factory.mktemp("page") / "page.html"
    argv = ["autodiff", "example3", "--theta", str(W), str(B), "--x", str(X)]
    assert main([*argv, "--y-true", str(Y_TRUE), "--html", str(path)]) == 0
    example = lecture_example(3, (W, B), x=X, y_true=Y_TRUE)
    return path, example


def _floats(nodes, key):
    return {name: float(a[key]) for name, a in nodes.items() if key in a}


def test_step_0_is_the_end_of_the_forward_pass(example3_page):
    path, example = example3_page
    dom = dump_dom(path, "step=0")
    assert dom.body["attrs"]["data-ready"] == "true"
    assert dom.body["attrs"]["data-step"] == "0"
    nodes = dom.nodes()
    values, _, _ = _example3_oracle()
    assert set(nodes) == set(values)
    for name, value in _floats(nodes, "data-value").items():
        assert value == pytest.approx(values[name], rel=1e-14), name
    engine = {example.graph.label(n): n.value for n in example.graph.nodes}
    assert {k: a["data-value"] for k, a in nodes.items()} == {
        k: repr(v) for k, v in engine.items()
    }  # full precision: the attributes are repr(float)
    assert not dom.find("data-grad") and not dom.find("data-message")
    assert not dom.find("data-gradient")


def test_after_three_messages_only_the_reached_nodes_hold_gradients(example3_page):
    path, example = example3_page
    dom = dump_dom(path, "mode=reverse&step=3")
    assert dom.body["attrs"]["data-fragment"] == "#mode=reverse&step=3"
    _, grads, _ = _example3_oracle()
    got = _floats(dom.nodes(), "data-grad")
    assert set(got) == {"ℓ", "y", "v", "u"}  # ℓ→y, y→v, v→u; b and w not yet
    for name, value in got.items():
        assert value == pytest.approx(grads[name], rel=1e-12), name
    sent = dom.find("data-message")
    assert [(e["attrs"]["data-from"], e["attrs"]["data-to"]) for e in sent] == [
        ("v", "u"),
        ("y", "v"),
        ("ℓ", "y"),
    ]  # document order: edges are drawn in the order of the nodes
    messages = {m.receiver: m for m in example.result.messages}
    for edge in sent:
        expected = messages[edge["attrs"]["data-to"]]
        assert edge["attrs"]["data-message"] == repr(expected.value)
        assert float(edge["attrs"]["data-message"]) == pytest.approx(
            grads[edge["attrs"]["data-to"]], rel=1e-12
        )  # one path each: the message is the whole ∂ℓ/∂to
    (active,) = dom.find("data-active")
    assert (active["attrs"]["data-from"], active["attrs"]["data-to"]) == ("v", "u")
    caption = dom.by_id["caption"]["text"]
    assert "Message 3 of 5, from v to u: v sends ∂ℓ/∂v × ∂v/∂u." in caption
    assert dom.by_id["equation"]["text"].startswith("∂ℓ/∂v × ∂v/∂u = ")


def test_last_step_gives_the_gradient_and_its_finite_difference(example3_page):
    path, example = example3_page
    dom = dump_dom(path, "step=last")
    assert dom.body["attrs"]["data-step"] == "5"
    _, grads, _ = _example3_oracle()
    nodes = dom.nodes()
    for name, value in _floats(nodes, "data-grad").items():
        assert value == pytest.approx(grads[name], rel=1e-12), name
    assert "data-grad" not in nodes["x"] and "data-grad" not in nodes["y*"]
    assert {n: a["data-grad-state"] for n, a in nodes.items() if "data-grad" in a} == {
        n: "complete" for n in grads
    }
    finite = _numpy_finite_difference(_loss3, (W, B))
    rows = {r["attrs"]["data-input"]: r["attrs"] for r in dom.find("data-input")}
    for i, name in enumerate(("w", "b")):
        assert rows[name]["data-gradient"] == repr(example.gradient[i])
        assert float(rows[name]["data-gradient"]) == pytest.approx(finite[i], rel=1e-7)
        assert float(rows[name]["data-finite-difference"]) == pytest.approx(
            finite[i], rel=1e-7
        )
        assert dom.by_id[f"r{i}c"]["text"].startswith("✓ agree")


def test_forward_mode_holds_the_tangents_of_the_current_pass(example3_page):
    path, _ = example3_page
    dom = dump_dom(path, "mode=forward&step=7")  # pass 2 (b), its 2nd message
    assert dom.body["attrs"]["data-mode"] == "forward"
    assert dom.by_id["pass"]["text"].startswith("pass 2 of 2: seed ∂b/∂b = 1")
    _, _, tangents = _example3_oracle()
    got = _floats(dom.nodes(), "data-grad")
    # seeds ∂w/∂b = 0, ∂b/∂b = 1; messages w→u, u→v so far (v still partial)
    assert set(got) == {"w", "b", "u", "v"}
    assert got["w"] == 0.0 and got["b"] == 1.0 and got["u"] == 0.0
    assert got["v"] == 0.0 and dom.nodes()["v"]["data-grad-state"] == "partial"
    ((active, edge_to),) = [
        (e["attrs"]["data-from"], e["attrs"]["data-to"])
        for e in dom.find("data-active")
    ]
    assert (active, edge_to) == ("u", "v")  # forward messages go parent → child
    rows = {r["attrs"]["data-input"]: r["attrs"] for r in dom.find("data-input")}
    assert "data-gradient" in rows["w"] and "data-gradient" not in rows["b"]
    final = dump_dom(path, "mode=forward&step=last").nodes()
    for name, value in _floats(final, "data-grad").items():
        assert value == pytest.approx(tangents[name], rel=1e-12), name


@pytest.mark.parametrize(
    "fragment, shown",
    [
        ("step=%", "#mode=reverse&forward=0"),
        ("x=%E0%A4%A&step=3", "#mode=reverse&step=3"),
        ("mode=%&step=2", "#mode=reverse&step=2"),
    ],
)
def test_a_broken_escape_in_the_fragment_is_skipped(example3_page, fragment, shown):
    """decodeURIComponent("%") throws: a junk deep link stopped the page's
    script at load (no fragment kept, no stepping). The broken pair is
    skipped as an unknown key is; the others still apply."""
    dom = dump_dom(example3_page[0], fragment)
    assert dom.body["attrs"]["data-fragment"] == shown


def test_forward_key_shows_the_forward_pass_block_by_block(example3_page):
    path, _ = example3_page
    dom = dump_dom(path, "forward=2")
    assert dom.body["attrs"]["data-forward"] == "2"
    computed = set(_floats(dom.nodes(), "data-value"))
    assert computed == {"w", "b", "x", "y*", "u", "v"}  # u and v; not y, ℓ
    assert dom.nodes()["v"]["data-state"] == "current"
    assert "block 2 of 4: v = u + b" in dom.by_id["caption"]["text"]


def test_two_paths_are_summed_at_the_receiving_node(tmp_path):
    require_chromium()
    theta = (1.0, 0.5, 2.0)  # example 2 where θ2 gets two non-zero messages
    example = lecture_example(2, theta)
    path = example.result.to_html(tmp_path / "example2.html")
    to_theta2 = [
        s for s, m in enumerate(example.result.messages, 1) if m.receiver == "θ2"
    ]
    first, second = to_theta2
    t1, t2, t3 = theta
    f1, f2 = (t1 + 2 * t2) ** 2, (t2 + 2 * t3) ** 2
    dg_df3 = 1 / (f1 + 2 * f2) ** 2
    via_f1 = dg_df3 * 2 * (f1 + 2 * f2) * 4 * (t1 + 2 * t2)
    via_f2 = dg_df3 * 4 * (f1 + 2 * f2) * 2 * (t2 + 2 * t3)
    contributions = sorted([via_f1, via_f2], key=lambda c: -abs(c))
    partial = dump_dom(path, f"step={first}").nodes()["θ2"]
    assert partial["data-grad-state"] == "partial"
    assert float(partial["data-grad"]) in [
        pytest.approx(c, rel=1e-12) for c in contributions
    ]
    dom = dump_dom(path, f"step={second}")
    done = dom.nodes()["θ2"]
    assert done["data-grad-state"] == "complete"
    assert float(done["data-grad"]) == pytest.approx(via_f1 + via_f2, rel=1e-12)
    assert dom.by_id["n1g"]["text"].count("=") == 2  # "∂g/∂θ2 = a + b = a+b"

    def g(t):
        return math.log(((t[0] + 2 * t[1]) ** 2 + 2 * (t[1] + 2 * t[2]) ** 2) ** 2)

    assert float(done["data-grad"]) == pytest.approx(
        _numpy_finite_difference(g, theta)[1], rel=1e-7
    )


def test_graph_to_html_names_nodes_by_their_variables(tmp_path):
    require_chromium()
    graph = trace(
        lambda t: (t[0] * t[1]).sigmoid() + t[0] ** 2, (0.4, -1.1), names=["t1", "t2"]
    )
    path = graph.to_html(tmp_path / "graph.html", mode="forward")
    dom = dump_dom(path, "step=last")
    assert dom.body["attrs"]["data-mode"] == "forward"
    nodes = dom.nodes()
    assert {"t1", "t2"} <= set(nodes) and "θ1" not in nodes

    def g(t):
        return 1 / (1 + np.exp(-t[0] * t[1])) + t[0] ** 2

    finite = _numpy_finite_difference(g, (0.4, -1.1))
    rows = {r["attrs"]["data-input"]: r["attrs"] for r in dom.find("data-input")}
    assert float(rows["t1"]["data-gradient"]) == pytest.approx(finite[0], rel=1e-7)
    assert float(rows["t2"]["data-gradient"]) == pytest.approx(finite[1], rel=1e-7)
    # forward mode, last pass (t2): the output's tangent is ∂g/∂t2
    output = nodes[graph.label(graph.output)]
    assert output["data-grad"] == rows["t2"]["data-gradient"]


def test_play_runs_to_the_end_and_keeps_the_fragment_current(example3_page):
    path, _ = example3_page
    done = run_chromium(
        path.resolve().as_uri() + "#step=0&play=1",
        "--dump-dom",
        "--enable-logging=stderr",
        "--v=0",
        budget_ms=60000,
    )
    dom = Dom(done.stdout)
    assert dom.body["attrs"]["data-step"] == "5"
    assert dom.body["attrs"]["data-fragment"] == "#mode=reverse&step=5"
    assert "Content Security Policy" not in done.stderr  # style and script allowed


def test_the_page_fetches_nothing(example3_page, tmp_path):
    path, _ = example3_page
    assert page_requests(path, "step=last") == []
    control = tmp_path / "control.html"
    control.write_text(
        '<!DOCTYPE html><meta http-equiv="Content-Security-Policy" '
        "content=\"style-src 'none'\"><style>p {}</style>"
        '<img src="http://example.com/x.png"><script>'
        "fetch('https://example.org/y').catch(function () {});</script>",
        encoding="utf-8",
    )
    assert sorted(page_requests(control)) == [
        "http://example.com/x.png",
        "https://example.org/y",
    ]  # the detector sees a page's requests
    logged = run_chromium(
        control.resolve().as_uri(), "--dump-dom", "--enable-logging=stderr", "--v=0"
    )
    assert "Content Security Policy" in logged.stderr  # ... and CSP refusals


_NUMPY_BLOCKS = {  # an independent evaluator of the random graphs' blocks
    "add": lambda a, b: a + b,
    "multiply": lambda a, b: a * b,
    "tanh": np.tanh,
    "sigmoid": lambda a: 1 / (1 + np.exp(-a)),
}


def _numpy_value(graph, theta):
    values = []
    given = {id(x): v for x, v in zip(graph.inputs, theta, strict=True)}
    for node, parents in zip(graph.nodes, graph.parent_indices, strict=True):
        if node.kind == "block":
            values.append(_NUMPY_BLOCKS[node.block.name](*(values[p] for p in parents)))
        else:
            values.append(given.get(id(node), node.value))
    return values[-1]


def _rects(dom):
    """Each node's box as drawn: the <rect> right after its <g data-node>."""
    boxes = {}
    for k, element in enumerate(dom.elements):
        if "data-node" in element["attrs"]:
            rect = dom.elements[k + 1]["attrs"]
            boxes[element["attrs"]["id"]] = tuple(
                float(rect[key]) for key in ("x", "y", "width", "height")
            )
    return boxes


def test_a_200_node_page_lays_out_steps_and_checks(tmp_path):
    require_chromium()
    graph = big_graph(200, seed=0)
    path = graph.to_html(tmp_path / "big.html")
    result = reverse_mode(graph)
    dom = dump_dom(path, "step=last")
    assert dom.body["attrs"]["data-overflowing"] == "0"  # text fits, measured
    boxes = list(_rects(dom).values())
    assert len(boxes) == 200
    for a, b in itertools.combinations(boxes, 2):
        assert not (
            a[0] < b[0] + b[2] - 0.5
            and b[0] < a[0] + a[2] - 0.5
            and a[1] < b[1] + b[3] - 0.5
            and b[1] < a[1] + a[3] - 0.5
        ), (a, b)
    theta = [x.value for x in graph.inputs]
    finite = _numpy_finite_difference(lambda t: _numpy_value(graph, t), theta)
    rows = [r["attrs"] for r in dom.find("data-input")]
    for row, engine, oracle in zip(rows, result.gradient, finite, strict=True):
        assert row["data-gradient"] == repr(engine)
        assert engine == pytest.approx(oracle, rel=1e-6, abs=1e-9)
    middle = len(result.messages) // 2
    expected = {}
    for message in result.messages[:middle]:
        expected[message.edge[0]] = repr(message.total)
    expected[len(graph.nodes) - 1] = "1.0"  # the seed at g
    halfway = dump_dom(path, f"step={middle}")
    got = {
        int(e["attrs"]["id"][1:]): e["attrs"]["data-grad"]
        for e in halfway.find("data-grad")
    }
    assert got == expected
    forward = dump_dom(path, "mode=forward&step=last")
    assert forward.body["attrs"]["data-overflowing"] == "0"


def test_buttons_keys_slider_and_mode_toggle_drive_the_page(example3_page, tmp_path):
    """A parent page clicks, types and slides in the page (one Chromium start)."""
    path, example = example3_page
    driver = tmp_path / "driver.html"
    driver.write_text(
        "<!DOCTYPE html><meta charset='utf-8'><body><pre id='out'></pre>"
        f"<iframe id='f' src='{path.resolve().as_uri()}#step=0'></iframe>"
        f"<script>{_DRIVER}</script></body>",
        encoding="utf-8",
    )
    dom = dump_dom(driver, "", "--allow-file-access-from-files", budget_ms=20000)
    seen = json.loads(dom.by_id["out"]["text"])
    tangent_b = repr(example.gradient[1])  # forward mode, last pass: ∂ℓ/∂b at ℓ
    assert seen == [
        ["load", "#mode=reverse&step=0", "0", None],
        ["step", "#mode=reverse&step=1", "1", "1.0"],
        ["ArrowRight", "#mode=reverse&step=2", "2", "1.0"],
        ["back", "#mode=reverse&step=1", "1", "1.0"],
        ["ArrowLeft", "#mode=reverse&step=0", "0", None],
        ["ArrowLeft", "#mode=reverse&forward=3", None, None],
        ["slider=7", "#mode=reverse&step=3", "3", "1.0"],
        ["End", "#mode=reverse&step=5", "5", "1.0"],
        ["forward mode", "#mode=forward&step=10", "10", tangent_b],
        ["reset", "#mode=forward&forward=0", None, None],
        ["hash step=last", "#mode=reverse&step=5", "5", "1.0"],
    ]


# Runs in the parent page: acts on the step-through page in the frame and
# records, after each action, the page's fragment, data-step and ℓ's data-grad.
_DRIVER = r"""
var frame = document.getElementById("f"), log = [];
function note(action) {
  var d = frame.contentDocument, body = d.body;
  var loss = d.querySelector('[data-node="ℓ"]');
  log.push([action, frame.contentWindow.location.hash, body.getAttribute("data-step"),
            loss.getAttribute("data-grad")]);
}
function key(name) {
  var d = frame.contentDocument;
  d.body.dispatchEvent(new KeyboardEvent("keydown", {key: name, bubbles: true}));
  note(name);
}
frame.addEventListener("load", function () {
  var d = frame.contentDocument, w = frame.contentWindow;
  note("load");
  d.getElementById("step").click(); note("step");
  key("ArrowRight");
  d.getElementById("back").click(); note("back");
  key("ArrowLeft");
  key("ArrowLeft");
  var slider = d.getElementById("slider");
  slider.value = "7"; slider.dispatchEvent(new Event("input")); note("slider=7");
  key("End");
  d.querySelector('[data-mode-button="forward"]').click(); note("forward mode");
  d.getElementById("reset").click(); note("reset");
  w.location.hash = "#step=last";
  setTimeout(function () {
    note("hash step=last");
    document.getElementById("out").textContent = JSON.stringify(log);
  }, 200);
});
"""
