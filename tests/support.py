"""Data shared by several test files (import it as ``from support import ...``)."""

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
