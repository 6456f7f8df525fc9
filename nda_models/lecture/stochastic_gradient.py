"""The stochastic gradient of linear regression and its statistics.

Lecture: "Incremental gradient methods", "SGD characteristics" and
"Mini-batching". For J(θ) = (1/n) Σ_i J_i(θ) (a mean, as the training loop
computes it) the per-example gradient is ∇J_i = −2(y_i − Θᵀx_i − b)·(1, x_i)
with the package's J_i = (y_i − ŷ_i)² (``"mean_squared_error"``), or the slide
"Least Squares" gradient −(y_i − Θᵀx_i − b)·(1, x_i) with its J_i = ½(y_i −
ŷ_i)² (``"half_squared_error"``): half as large. A mini-batch gradient g_M =
(1/M) Σ_{i∈batch} ∇J_i is an unbiased estimate of the full gradient ∇J. Its
total variance (trace of the covariance) is σ²/M when the M indices are drawn
uniformly with replacement, and σ²/M · (n − M)/(n − 1) without replacement (one
slice of a permutation): the finite-population correction, zero at M = n. Here
σ² is the total variance of the per-example gradients (population, ddof = 0).
"""

import numpy as np

from nda_models.core.constraints import Options

#: The two ways of drawing one mini-batch (pre-shuffling draws a batch as
#: "permutation" does; it differs only in reusing the order across epochs).
SAMPLINGS = Options(("uniform", "permutation"), noun="sampling")

# loss name -> dJ_i/dŷ_i = −factor·(y_i − ŷ_i)
SQUARED_ERROR_FACTORS = {"mean_squared_error": 2.0, "half_squared_error": 1.0}


def per_example_gradients(x, y, bias, weights, *, loss="mean_squared_error"):
    """Returns ∇J_i for every example i, as rows (∂/∂b, ∂/∂w_1, ..., ∂/∂w_d).

    Args:
        x: Features (n, d).
        y: Targets (n,).
        bias: b.
        weights: Θ, shape (d,).
        loss: ``"mean_squared_error"`` (J_i = (y_i − ŷ_i)², the training
            loop's default) or ``"half_squared_error"`` (J_i = ½(y_i − ŷ_i)²,
            the slide "Least Squares").

    Returns:
        A float64 array (n, d + 1): −2(y_i − Θᵀx_i − b)·(1, x_i), or
        −(y_i − Θᵀx_i − b)·(1, x_i) with the ½ convention.

    Raises:
        ValueError: for another ``loss``.

    Example:
        >>> x, y = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, 2.0])
        >>> grads = per_example_gradients(x, y, 0.0, np.zeros(2))  # ŷ = 0
        >>> grads  # −2·y_i·(1, x_i)
        array([[ -2.,  -2.,  -4.],
               [ -4., -12., -16.]])
        >>> per_example_gradients(x, y, 0.0, np.zeros(2), loss="half_squared_error")
        array([[-1., -1., -2.],
               [-2., -6., -8.]])
        >>> def J(theta):  # the mean squared error at (b, w_1, w_2)
        ...     return np.mean((y - x @ theta[1:] - theta[0]) ** 2)
        >>> steps = 1e-6 * np.eye(3)  # central differences at θ = 0
        >>> finite = [(J(step) - J(-step)) / 2e-6 for step in steps]
        >>> np.allclose(grads.mean(axis=0), finite)  # the full gradient ∇J
        True
    """
    Options(SQUARED_ERROR_FACTORS, noun="squared-error convention").check("loss", loss)
    x = np.asarray(x, dtype=np.float64)
    residual = np.asarray(y, dtype=np.float64) - x @ np.asarray(weights) - bias
    design = np.hstack([np.ones((x.shape[0], 1)), x])
    return -SQUARED_ERROR_FACTORS[loss] * residual[:, None] * design


def minibatch_gradients(per_example, batch_size, draws, *, sampling, seed=0):
    """Draws ``draws`` mini-batch gradients g_M = (1/M) Σ_{i∈batch} ∇J_i.

    Args:
        per_example: Per-example gradients (n, p), e.g. from
            ``per_example_gradients``.
        batch_size: M, 1 <= M <= n.
        draws: Number of independent mini-batches.
        sampling: ``"uniform"`` (indices with replacement, the slide's
            "Random Uniform") or ``"permutation"`` (M distinct indices: one
            batch of a shuffled pass, the slide's "Permutation Based").
        seed: Seed of NumPy's ``default_rng``.

    Returns:
        A float64 array (draws, p).

    Raises:
        ValueError: for an unknown ``sampling`` or ``batch_size`` out of range.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(50, 2))
        >>> y = x @ np.array([1.0, -2.0]) + rng.normal(size=50)
        >>> grads = per_example_gradients(x, y, 0.0, np.zeros(2))
        >>> g = minibatch_gradients(grads, 8, 20000, sampling="uniform")
        >>> g.shape
        (20000, 3)
        >>> # Unbiased: the mean of the draws is ∇J, to their standard error.
        >>> error = np.abs(g.mean(axis=0) - grads.mean(axis=0))
        >>> bool(np.all(error < 4 * g.std(axis=0) / np.sqrt(len(g))))
        True
    """
    per_example = np.asarray(per_example, dtype=np.float64)
    n = per_example.shape[0]
    _check(batch_size, n, sampling)
    rng = np.random.default_rng(seed)
    if sampling == "uniform":
        index = rng.integers(0, n, size=(draws, batch_size))
    else:
        # argsort of uniform keys = a random permutation per draw; keep M.
        index = np.argsort(rng.random((draws, n)), axis=1)[:, :batch_size]
    return per_example[index].mean(axis=1)


def minibatch_variance(per_example, batch_size, *, sampling):
    """Returns the theoretical total variance E‖g_M − ∇J‖² of a mini-batch gradient.

    σ²/M for uniform sampling, σ²/M · (n − M)/(n − 1) for sampling without
    replacement, with σ² = (1/n) Σ_i ‖∇J_i − ∇J‖².

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(50, 2))
        >>> y = x @ np.array([1.0, -2.0]) + rng.normal(size=50)
        >>> grads = per_example_gradients(x, y, 0.0, np.zeros(2))
        >>> g = minibatch_gradients(grads, 40, 20000, sampling="permutation")
        >>> measured = ((g - grads.mean(axis=0)) ** 2).sum(axis=1).mean()
        >>> round(float(measured), 2)  # E‖g_M − ∇J‖² over the 20000 draws
        0.36
        >>> round(minibatch_variance(grads, 40, sampling="permutation"), 2)  # × 10/49
        0.36
        >>> round(minibatch_variance(grads, 40, sampling="uniform"), 2)  # σ²/M
        1.75
        >>> minibatch_variance(grads, 50, sampling="permutation")  # M = n: exact ∇J
        0.0
    """
    per_example = np.asarray(per_example, dtype=np.float64)
    n = per_example.shape[0]
    _check(batch_size, n, sampling)
    sigma2 = per_example.var(axis=0).sum()
    variance = sigma2 / batch_size
    if sampling == "permutation":
        variance *= (n - batch_size) / (n - 1)
    return float(variance)


def _check(batch_size, n, sampling):
    SAMPLINGS.check("sampling", sampling)
    if not 1 <= int(batch_size) <= n:
        raise ValueError(
            f"batch_size must be between 1 and the number of examples n={n}. "
            f"Received: batch_size={batch_size!r}"
        )
