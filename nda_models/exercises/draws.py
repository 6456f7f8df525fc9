"""Numbers a student can compute with by hand, drawn from a NumPy generator.

Every value is a plain Python ``float`` rounded to a few decimals (``-0.0``
becomes ``0.0``), so ``params`` print cleanly and survive JSON.

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> number(rng, -1, 1), numbers(rng, 2, 0, 5, decimals=0), pick(rng, [1, 2])
    (0.3, [1.0, 0.0], 1)
"""


def number(rng, low, high, decimals=1):
    """One number uniform in [low, high), rounded to ``decimals``."""
    return round(float(rng.uniform(low, high)), decimals) + 0.0


def numbers(rng, count, low, high, decimals=1):
    """A list of ``count`` such numbers."""
    return [number(rng, low, high, decimals) for _ in range(count)]


def pick(rng, values):
    """One of ``values``, uniformly."""
    return values[int(rng.integers(len(values)))]


def vector(values):
    """``(0.3, −1.2)``: a list of numbers as the slides write a vector."""
    return "(" + ", ".join(f"{v:g}" for v in values) + ")"
