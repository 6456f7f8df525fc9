"""How fast the step-through page steps: lecture example 3 vs a 200-node graph.

Every state of a page is precomputed in Python (issue 25), so a step in the
browser is a lookup per property plus the DOM update. This opens each page
in headless Chromium inside a parent page that clicks "step" through every
message, then jumps the slider to random positions, forcing a layout after
each action, and times it with ``performance.now()``. The baseline is
example 3 (8 nodes), measured in the same run: the ratio says how much a
200-node graph (300 edges, 12 inputs) costs per step. Python's time to build
each page is printed beside it.

Usage:
    python benchmarks/bench_autodiff_page.py [--quick]
"""

import argparse
import json
import pathlib
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from nda_models.autodiff import (  # noqa: E402  # noqa: E402
    Graph,
    add,
    constant,
    lecture_example,
    multiply,
    sigmoid,
    tanh,
    variable,
)
from nda_models.autodiff.graph_page import both_modes, graph_page  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync",
         "--allow-file-access-from-files"]  # fmt: skip

DRIVER = """
var frame = document.getElementById("f");
frame.addEventListener("load", function () {
  var d = frame.contentDocument, out = {}, rng = 1;
  function settle() {  // force style and layout: part of what a step costs
    return d.body.offsetHeight + d.querySelector("svg").getBBox().width;
  }
  function run(mode) {
    d.querySelector('[data-mode-button="' + mode + '"]').click();
    d.getElementById("reset").click(); settle();
    var last = parseInt(d.body.getAttribute("data-last"), 10);
    var start = performance.now();
    for (var k = 0; k < last; k++) { d.getElementById("step").click(); settle(); }
    var stepping = (performance.now() - start) / last;
    var slider = d.getElementById("slider"), jumps = JUMPS;
    start = performance.now();
    for (k = 0; k < jumps; k++) {
      rng = (rng * 16807) % 2147483647;
      slider.value = String(rng % (last + 1)); slider.dispatchEvent(new Event("input"));
      settle();
    }
    var jumping = (performance.now() - start) / jumps;
    return {steps: last, step_ms: stepping, jump_ms: jumping};
  }
  ["reverse", "forward"].forEach(function (mode) {
    run(mode);  // warm-up: the script's first run compiles it
    out[mode] = run(mode);
  });
  document.getElementById("out").textContent = JSON.stringify(out);
});
"""


def random_graph(nodes=200, inputs=12, seed=0):
    """The tests' 200-node graph (tests/support.py big_graph), rebuilt here."""
    rng = random.Random(seed)
    made = [variable(rng.uniform(-1, 1), f"θ{i + 1}") for i in range(inputs)]
    made += [constant(rng.choice([0.5, 2.0, 3.0]), f"c{i + 1}") for i in range(4)]
    unused = list(made)
    while len(made) + len(unused) - 1 < nodes:
        a = unused.pop(rng.randrange(len(unused)))
        op = rng.choice([add, multiply, add, tanh, sigmoid])
        if op in (tanh, sigmoid):
            node = op(a)
        else:
            b = rng.choice([n for n in made if n is not a])
            if b in unused:
                unused.remove(b)
            node = op(a, b)
        made.append(node)
        unused.append(node)
    while len(unused) > 1:
        unused.append(add(unused.pop(0), unused.pop(0)))
        made.append(unused[-1])
    return Graph(unused[0], inputs=made[:inputs])


def measure(chromium, folder, name, graph, jumps):
    start = time.perf_counter()
    document, _ = graph_page(graph, both_modes(graph))  # both modes' messages too
    build = time.perf_counter() - start
    page = folder / f"{name}.html"
    page.write_text(document, encoding="utf-8")
    driver = folder / f"drive_{name}.html"
    driver.write_text(
        "<!DOCTYPE html><meta charset='utf-8'><pre id='out'></pre>"
        f"<iframe id='f' src='{page.as_uri()}'></iframe>"
        f"<script>{DRIVER.replace('JUMPS', str(jumps))}</script>",
        encoding="utf-8",
    )
    done = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={folder}/profile-{name}", "--dump-dom",
         driver.as_uri()],
        capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    found = re.search(r'<pre id="out">([^<]*)</pre>', done.stdout)
    return build, len(document), json.loads(found[1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer slider jumps")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit(
            "bench_autodiff_page.py needs headless Chromium (apt-get install chromium)"
        )
    jumps = 50 if args.quick else 300
    graphs = {"example3": lecture_example(3).graph, "200 nodes": random_graph()}
    with tempfile.TemporaryDirectory() as folder:
        folder = pathlib.Path(folder)
        rows = {
            name: measure(chromium, folder, name.replace(" ", "_"), graph, jumps)
            for name, graph in graphs.items()
        }
    base = rows["example3"][2]
    print("| page | mode | steps | ms per step | ratio | ms per slider jump | ratio "
          "| Python build | HTML size |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for name, (build, size, modes) in rows.items():
        for mode, m in modes.items():
            print(
                f"| {name} | {mode} | {m['steps']} | {m['step_ms']:.2f} | "
                f"{m['step_ms'] / base[mode]['step_ms']:.1f}× | {m['jump_ms']:.2f} | "
                f"{m['jump_ms'] / base[mode]['jump_ms']:.1f}× | "
                f"{1000 * build:.0f} ms | {size / 1e6:.2f} MB |"
            )


if __name__ == "__main__":
    main()
