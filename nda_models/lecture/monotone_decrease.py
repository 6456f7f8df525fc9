"""Gradient descent's monotone decrease, checked rather than drawn.

Lecture: slide "Gradient descent" ("at every step t it moves monotonically
towards the optimum"). For an L-smooth loss and a constant step η < 2/L,
full-batch gradient descent satisfies J(θ_{t+1}) < J(θ_t) until it reaches
the optimum; SGD does not ("SGD characteristics": "it does not decrease
monotonically"). Float32 round-off near the optimum can add increases of
about 1e-7 relative, hence the tolerance.
"""

import numpy as np


def loss_increases(losses, *, rtol=1e-6):
    """Returns the steps t at which J(θ_{t+1}) > J(θ_t)·(1 + rtol).

    Args:
        losses: J(θ_0), J(θ_1), ... (one value per step).
        rtol: Relative increase allowed for float32 round-off.

    Returns:
        A NumPy int array of the steps t that went up (empty: monotone).

    Example:
        >>> loss_increases([3.0, 2.0, 2.5, 1.0]).tolist()
        [1]
    """
    losses = np.asarray(losses, dtype=np.float64)
    return np.flatnonzero(losses[1:] > losses[:-1] * (1.0 + rtol))


def check_monotone_decrease(losses, *, what, rtol=1e-6):
    """Raises ``RuntimeError`` unless every step decreased the loss.

    Args:
        losses: J(θ_0), J(θ_1), ... of one run.
        what: Names the run in the message (e.g. "gradient descent (M = n)").
        rtol: See ``loss_increases``.

    Returns:
        The number of steps checked.

    Raises:
        RuntimeError: naming the first step where the loss went up.

    Example:
        >>> check_monotone_decrease([3.0, 2.0, 1.0], what="GD")
        2
    """
    losses = np.asarray(losses, dtype=np.float64)
    up = loss_increases(losses, rtol=rtol)
    if up.size:
        t = int(up[0])
        raise RuntimeError(
            f"{what}: the loss went up at {up.size} of {losses.size - 1} steps, "
            f"first at step {t + 1} ({losses[t]:.6g} -> {losses[t + 1]:.6g}); "
            "gradient descent decreases it monotonically only for a step size "
            "small enough (η < 2/L). Received: losses with increases"
        )
    return losses.size - 1
