"""``nda autodiff example1|example2|example3``: the lecture's autodiff, printed.

Prints the forward pass (values), the local derivatives each block stores,
the messages of the chosen mode (reverse: one backward pass; forward: one
pass per input) and the resulting g and ∇g; ``--dot`` writes the graph,
``--html`` the step-through page (one self-contained file, both modes).
"""

import shutil

from nda_models.autodiff import (
    forward_pass_table,
    gradient_summary,
    lecture_example,
    local_derivatives_table,
    messages_table,
    write_dot,
)
from nda_models.autodiff.display import write_example_page
from nda_models.autodiff.examples import EXAMPLE3_DEFAULTS
from nda_models.autodiff.page_file import check_page_path
from nda_models.core.suggestions import did_you_mean

HELP = "run a lecture autodiff example and print every message (forward/reverse)"

EXAMPLES = ("example1", "example2", "example3")

_MODE_TITLES = {
    "reverse": (
        "Backward pass (reverse mode, backpropagation): 1 pass. Each block "
        "multiplies what it received (∂g/∂from) by its local derivative and "
        "sends the product back; each node sums what it receives."
    ),
    "forward": (
        "Forward mode: one pass per input θ_i. Each block multiplies its "
        "inputs' tangents (∂from/∂θ_i) by its local derivatives and sums the "
        "products: its own tangent."
    ),
}


def add_arguments(parser):
    parser.add_argument("example", metavar="EXAMPLE", help=" | ".join(EXAMPLES))
    parser.add_argument(
        "--mode",
        choices=("reverse", "forward"),
        default="reverse",
        help="which messages to print (default: reverse, i.e. backpropagation)",
    )
    parser.add_argument(
        "--theta",
        nargs="+",
        metavar="VALUE",
        help="the point θ, e.g. --theta 1 -2 1 or --theta=1,-2,1 (example3: w b; "
        "default: the lecture's point)",
    )
    parser.add_argument(
        "--x", type=float, help="example3 only: the input x (default: the lecture's)"
    )
    parser.add_argument(
        "--y-true",
        type=float,
        help="example3 only: the target y* (default: the lecture's)",
    )
    parser.add_argument(
        "--dot",
        metavar="FILE",
        help="write the graph in Graphviz DOT, and FILE.png if `dot` is installed "
        "(default: no file)",
    )
    parser.add_argument(
        "--html",
        metavar="FILE",
        help="write a self-contained page that steps through the forward pass and "
        "every message (reverse and forward mode); open it in a browser "
        "(default: no file)",
    )


def parse_theta(values):
    """Turns ``["1", "-2", "1"]`` or ``["1,-2,1"]`` into floats.

    Raises:
        ValueError: If a value is not a number.
    """
    if values is None:
        return None
    parts = [p for value in values for p in value.split(",") if p.strip()]
    try:
        return tuple(float(p) for p in parts)
    except ValueError:
        raise ValueError(
            "--theta takes numbers separated by spaces or commas, e.g. "
            f"--theta 1 -2 1. Received: --theta {' '.join(values)}"
        ) from None


def _example_number(name):
    if name in EXAMPLES:
        return EXAMPLES.index(name) + 1
    hint = did_you_mean(name, EXAMPLES)
    raise ValueError(
        f"Unknown example. Use one of {', '.join(EXAMPLES)}.{hint} "
        f"Received: example={name!r}"
    )


def _section(title, body):
    print(f"\n{title}\n{body}")


def _example3_point_note(args):
    """Example 3 is symbolic on the slides: say whose numbers these are."""
    x = EXAMPLE3_DEFAULTS["x"] if args.x is None else args.x
    y_true = EXAMPLE3_DEFAULTS["y_true"] if args.y_true is None else args.y_true
    print(f"with x = {x:g}, y* = {y_true:g}")
    chosen = (args.theta, args.x, args.y_true)
    whose = "the package's defaults" if chosen == (None, None, None) else "yours"
    print(
        "(The slides derive Example 3 symbolically and give no numbers: this point "
        f"is {whose}; change it with --theta W B, --x and --y-true.)"
    )


def run(args):
    k = _example_number(args.example)
    if args.html:
        check_page_path(args.html, "--html")  # before any work
    example = lecture_example(
        k, parse_theta(args.theta), mode=args.mode, x=args.x, y_true=args.y_true
    )
    graph = example.graph
    point = ", ".join(
        f"{n} = {v:g}" for n, v in zip(graph.input_names, example.theta, strict=True)
    )
    print(f"Lecture example {k}: {example.formula}\nat {point}")
    if k == 3:
        _example3_point_note(args)
    _section("Forward pass: each block's value", forward_pass_table(graph))
    _section(
        "Local derivatives, stored by the forward pass",
        local_derivatives_table(graph),
    )
    _section(_MODE_TITLES[args.mode], messages_table(example.result))
    _section("Result", gradient_summary(example.result))
    if args.dot:
        _write_dot(graph, example.result, args.dot)
    if args.html:
        _write_html(example, args.html)
    return 0


def _write_html(example, path):
    write_example_page(example, path, "--html")
    blocks = sum(node.kind == "block" for node in example.graph.nodes)
    print(
        f"\nwrote {path}: step-through page ({blocks} blocks forward, then the "
        "messages of reverse or forward mode); open it in a browser, e.g. "
        f"{path}#mode=reverse&step=1"
    )


def _write_dot(graph, result, path):
    png = write_dot(graph, path, result=result)
    print(f"\nwrote {path}")
    if png is not None:
        print(f"wrote {png}")
    elif shutil.which("dot") is None:
        print(
            "no PNG: Graphviz's `dot` is not installed (install graphviz, or "
            f"render later with `dot -Tpng {path} -o graph.png`)"
        )
