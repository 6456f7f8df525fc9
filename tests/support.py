"""Data and checks shared by several test files (``from support import ...``)."""

import json

import numpy as np


def lecture_data(n=200, seed=0):
    """The lecture's y = 5 + 2·x1 − 3·x2 + ε, ε ~ N(0, 0.5²), x ~ N(0, 1)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2)).astype(np.float32)
    y = 5 + 2 * x[:, 0] - 3 * x[:, 1] + 0.5 * rng.normal(size=n)
    return x, y.astype(np.float32)


def rewrite_checksums(path):
    """What an attacker can do: make a bundle's checksums match tampered files."""
    from nda_models.export.format.checksums import metadata_sha256, tree_checksums

    meta = json.loads((path / "metadata.json").read_text())
    meta["files"] = tree_checksums(path)
    meta["metadata_sha256"] = metadata_sha256(meta)
    (path / "metadata.json").write_text(json.dumps(meta))


def big_graph(nodes=200, inputs=12, seed=0):
    """A random computational graph of exactly ``nodes`` nodes (autodiff pages).

    Each block takes its first input among the nodes nothing uses yet, so
    every node reaches g; what is still unused at the end is summed. tanh and
    sigmoid keep the values bounded.
    """
    import random

    from nda_models.autodiff import (
        Graph,
        add,
        constant,
        multiply,
        sigmoid,
        tanh,
        variable,
    )

    rng = random.Random(seed)
    made = [variable(rng.uniform(-1, 1), f"θ{i + 1}") for i in range(inputs)]
    made += [constant(rng.choice([0.5, 2.0, 3.0]), f"c{i + 1}") for i in range(4)]
    unused = list(made)
    while len(made) + len(unused) - 1 < nodes:  # the final sums cost len - 1
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


def cli_error(main, argv, capsys):
    """Runs the command line's ``main(argv)``, which must fail with one line.

    Returns that line (standard error): ``nda: error: ...``.
    """
    code = main(argv)
    err = capsys.readouterr().err
    assert code != 0 and err.startswith("nda: error: ") and err.count("\n") == 1, err
    return err
