"""A zoo model's backpropagation page and table (``BackpropTrace``), in Chromium.

Oracle: a float64 NumPy forward and backward pass of the tiny MLP
x → tanh(x W1 + b1) → z = h W2 + b2 → log_softmax → NLL, written here from
the lecture's formulas: ∂ℓ/∂z = (softmax(z) − one_hot(y)) / M, then the
chain rule back through W2 and tanh.
"""

import html
import os
import re

import numpy as np
import pytest
from browser import dump_dom, require_chromium

import nda_models as nda

pytest.importorskip("tensorflow")


def _numpy_backprop(model, x, y):
    """Norms of every layer's activation and message, and of the gradients."""
    w1, b1 = (
        np.asarray(v, np.float64) for v in model.get_layer("hidden_1").get_weights()
    )
    w2, b2 = (
        np.asarray(v, np.float64) for v in model.get_layer("logits").get_weights()
    )
    x = x.astype(np.float64)
    m = len(y)
    h = np.tanh(x @ w1 + b1)
    z = h @ w2 + b2
    log_p = z - z.max(axis=1, keepdims=True)
    log_p = log_p - np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    one_hot = np.eye(z.shape[1])[y]
    loss = -(log_p * one_hot).sum() / m
    d_log_p = -one_hot / m
    d_z = (np.exp(log_p) - one_hot) / m
    d_h = d_z @ w2.T
    d_pre = d_h * (1 - h**2)
    norms = {
        "hidden_1": (h, d_h, {"kernel": x.T @ d_pre, "bias": d_pre.sum(axis=0)}),
        "logits": (z, d_z, {"kernel": h.T @ d_z, "bias": d_z.sum(axis=0)}),
        "log_probabilities": (log_p, d_log_p, {}),
    }
    return loss, {
        name: (
            np.linalg.norm(a),
            np.linalg.norm(g),
            {k: np.linalg.norm(v) for k, v in p.items()},
        )
        for name, (a, g, p) in norms.items()
    }


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    model = nda.build_model(
        "mlp_classifier",
        input_dim=4,
        num_classes=3,
        hidden_units=(5,),
        activation="tanh",
        seed=3,
    )
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 4)).astype(np.float32)
    y = np.array([0, 1, 2, 0, 1, 2, 1, 0])
    trace = nda.backprop_trace(model, x, y)
    path = tmp_path_factory.mktemp("trace") / "trace.html"
    assert trace.to_html(path, title="mlp_classifier") == path
    return model, x, y, trace, path


def _layers(dom):
    return [e["attrs"] for e in dom.find("data-layer")]


def test_the_page_steps_through_the_layers_in_backward_order(traced):
    require_chromium()
    model, x, y, trace, path = traced
    loss, oracle = _numpy_backprop(model, x, y)
    backward = ["log_probabilities", "logits", "hidden_1"]

    end_of_forward = _layers(dump_dom(path, "step=0"))
    assert [a["data-layer"] for a in end_of_forward] == backward
    for attrs in end_of_forward:
        assert "data-grad-norm" not in attrs
        norm = float(attrs["data-activation-norm"])
        assert norm == pytest.approx(oracle[attrs["data-layer"]][0], rel=1e-5)

    first = {a["data-layer"]: a for a in _layers(dump_dom(path, "step=1"))}
    assert [n for n, a in first.items() if "data-grad-norm" in a] == [
        "log_probabilities"
    ]

    dom = dump_dom(path, "step=last")
    for attrs in _layers(dom):
        name = attrs["data-layer"]
        layer = trace[name]
        assert attrs["data-grad-norm"] == repr(
            float(np.linalg.norm(layer.upstream_gradient.astype(np.float64)))
        )  # the trace's own numbers, in full precision
        assert float(attrs["data-grad-norm"]) == pytest.approx(
            oracle[name][1], rel=1e-5
        )
    for name in ("hidden_1", "logits"):
        element = {a["data-layer"]: a["id"] for a in _layers(dom)}[name]
        shown = [dom.by_id[f"{element}p{j}"]["text"] for j in range(2)]
        for words, (param, expected) in zip(
            shown, oracle[name][2].items(), strict=True
        ):
            assert words.startswith(f"‖∂ℓ/∂{param}‖ = ")
            assert float(words.split("= ")[1].replace("−", "-")) == pytest.approx(
                expected, rel=1e-4
            )  # displayed to 6 digits
    assert float(dom.one("id", "loss")["attrs"]["data-value"]) == pytest.approx(
        loss, rel=1e-6
    )
    assert (
        "Done: all 43 partial derivatives in 1 backward pass"  # 4·5 + 5 + 5·3 + 3
        in dom.by_id["caption"]["text"]
    )

    forward = {a["data-layer"]: a for a in _layers(dump_dom(path, "forward=1"))}
    assert [n for n, a in forward.items() if "data-activation-norm" in a] == [
        "hidden_1"
    ]


def test_the_trace_shows_as_an_html_table(traced):
    model, x, y, trace, _ = traced
    _, oracle = _numpy_backprop(model, x, y)
    table = trace._repr_html_()
    assert table.startswith("<table><caption>Backpropagation of one batch (8 examples)")
    rows = re.findall(
        r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>([^<]*)</td><td>([^<]*)</td>", table
    )
    by_name = {html.unescape(r[0]): r for r in rows}
    assert list(by_name) == [
        "input x",
        "hidden_1",
        "logits",
        "log_probabilities",
        "loss ℓ",
    ]
    for name in ("hidden_1", "logits", "log_probabilities"):
        _, shape, activation, message = by_name[name]
        assert shape == str(trace[name].activation.shape)
        assert float(activation.replace("−", "-")) == pytest.approx(
            oracle[name][0], rel=1e-5
        )
        assert float(message.replace("−", "-")) == pytest.approx(
            oracle[name][1], rel=1e-5
        )


def test_to_html_follows_a_link_and_refuses_a_fifo(traced, tmp_path):
    *_, trace, _ = traced
    link = tmp_path / "link.html"
    link.symlink_to(tmp_path / "elsewhere.html")
    trace.to_html(link)  # as every output: the target is written, the link stays
    assert link.is_symlink()
    assert (tmp_path / "elsewhere.html").read_text().startswith("<!DOCTYPE html>")
    os.mkfifo(tmp_path / "pipe.html")
    with pytest.raises(ValueError, match=r"it is a FIFO \(named pipe\)"):
        trace.to_html(tmp_path / "pipe.html")
