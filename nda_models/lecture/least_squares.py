"""The closed-form solution of linear regression (lecture: "Least Squares").

Minimising J_RSS(Θ, b) = ½ Σ_i (y_i − Θᵀx_i − b)² has a closed form: append
a column of ones to X and solve the least-squares problem
min ‖[1, X]·(b, Θ) − y‖², here with ``np.linalg.lstsq`` (an SVD, stable even
when XᵀX is badly conditioned, unlike forming (XᵀX)⁻¹Xᵀy).
"""

import numpy as np


def least_squares(x, y):
    """Returns the least-squares parameters ``(b, Θ)`` of ŷ = Θᵀx + b.

    Args:
        x: Features, array-like (n, d).
        y: Targets, array-like (n,).

    Returns:
        ``(bias, weights)``: a float and a float64 array of shape (d,).

    Raises:
        ValueError: if ``x`` is not 2-D or ``y`` has not one value per row.

    Example:
        >>> ds = nda.load_dataset("linear_synthetic")
        >>> bias, weights = least_squares(ds.x_train, ds.y_train)  # ≈ 5, (2, -3)
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    if x.ndim != 2 or y.shape != (x.shape[0],):
        raise ValueError(
            "x must be (n, d) and y must have n values, one per row of x. "
            f"Received: x.shape={x.shape}, y.shape={y.shape}"
        )
    design = np.hstack([np.ones((x.shape[0], 1)), x])
    solution, *_ = np.linalg.lstsq(design, y, rcond=None)
    return float(solution[0]), solution[1:]
