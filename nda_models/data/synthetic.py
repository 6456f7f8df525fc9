"""``linear_synthetic``: the lecture's linear model y = 5 + 2·x1 − 3·x2 + ε.

Lecture 12, "Mini-batch convergence example": the data come from
``y = 5 + 2 x1 - 3 x2 + eps`` and we estimate ``y_hat = b0 + b1 x1 + b2 x2``.
Here ``x1, x2`` are drawn independently from the standard normal N(0, 1) and
``eps`` from N(0, noise²). Least squares on the training split recovers
``(5, 2, -3)`` up to noise, which is what the tests check.
"""

import numbers

import numpy as np

from nda_models.core.constraints import Interval
from nda_models.data.registry import register_dataset
from nda_models.data.table import Table

TRUE_BIAS = 5.0
TRUE_WEIGHTS = (2.0, -3.0)
ROWS = Interval(numbers.Integral, 5, reason=" so that every split gets rows")
NOISE = Interval(numbers.Real, 0, reason=" (the standard deviation of eps)")


@register_dataset(
    "linear_synthetic",
    task="regression",
    summary="lecture 12: y = 5 + 2*x1 - 3*x2 + eps, x ~ N(0, 1) (regression)",
)
def linear_synthetic(*, n=1000, noise=1.0, seed=0):
    """Draws ``n`` rows of ``y = 5 + 2 x1 - 3 x2 + eps`` (lecture 12).

    Args:
        n: Number of rows (before the train/val/test split).
        noise: Standard deviation of ``eps``; ``0`` gives an exact plane.
        seed: Seed of NumPy's ``default_rng``; the same seed gives the same rows.

    Returns:
        A ``Table`` whose ``info`` holds ``true_bias``, ``true_weights``,
        ``noise`` and ``n``.

    Example:
        >>> table = linear_synthetic(n=5, noise=0.0)
        >>> bool(np.allclose(table.y, 5 + table.x @ np.array([2.0, -3.0]), atol=1e-5))
        True
    """
    n = ROWS.check("n", n)
    noise = NOISE.check("noise", noise)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((int(n), 2))
    eps = rng.normal(0.0, float(noise), size=int(n))
    y = TRUE_BIAS + x @ np.array(TRUE_WEIGHTS) + eps
    info = {
        "true_bias": TRUE_BIAS,
        "true_weights": TRUE_WEIGHTS,
        "noise": float(noise),
        "n": int(n),
        "x_distribution": "standard normal N(0, 1), independent columns",
        "source": "y = 5 + 2*x1 - 3*x2 + eps, eps ~ N(0, noise^2) (lecture 12)",
    }
    return Table(
        x.astype(np.float32),
        y.astype(np.float32),
        ("x1", "x2"),
        None,
        "regression",
        info,
    )
