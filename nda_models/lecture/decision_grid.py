"""A grid of a classifier's output over the plane of two features.

Lecture: "The Simple Neuron", "The Perceptron" (iris example). A linear
classifier decides by the sign of Θᵀx + b, so its decision boundary is the
line Θᵀx + b = 0; evaluating the model on a grid and drawing the level set
(0.5 for a probability or a {0, 1} decision) shows that line for any model,
normalisation layer included.
"""

import numpy as np


def decision_grid(predict, x, *, resolution=200, margin=0.5):
    """Evaluates ``predict`` on a regular grid covering the points ``x``.

    Args:
        predict: Callable mapping an (m, 2) float32 array to m scores
            (e.g. ``lambda g: model.predict(g, verbose=0)``).
        x: The data points (n, 2), to size the grid.
        resolution: Grid points per axis.
        margin: Extra room around the data, in feature units.

    Returns:
        ``(grid_x1, grid_x2, values)``, three (resolution, resolution) arrays
        ready for ``plt.contour``.

    Raises:
        ValueError: if ``x`` does not have two columns.

    Example:
        >>> model = nda.build_model("logistic_neuron", input_dim=2)
        >>> model.set_weights([np.array([[1.0], [-1.0]]), np.array([0.5])])  # Θ, b
        >>> x = np.array([[0.0, 0.0], [1.0, 2.0]])
        >>> g1, g2, p = decision_grid(
        ...     lambda g: model.predict(g, verbose=0), x, resolution=5)
        >>> g1[0].tolist(), g2[:, 0].tolist()  # x's range, 0.5 wider on each side
        ([-0.5, 0.0, 0.5, 1.0, 1.5], [-0.5, 0.25, 1.0, 1.75, 2.5])
        >>> np.allclose(p, 1 / (1 + np.exp(-(g1 - g2 + 0.5))))  # σ(Θᵀx + b)
        True
        >>> from matplotlib.figure import Figure
        >>> axes = Figure().subplots()
        >>> boundary = axes.contour(g1, g2, p, levels=[0.5])  # the line Θᵀx + b = 0
        >>> line = boundary.allsegs[0][0]  # (x1, x2) points, interpolated on the grid
        >>> bool(np.abs(line[:, 0] - line[:, 1] + 0.5).max() < 0.01)
        True
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(
            "decision_grid draws the plane of exactly two features; x must be "
            f"(n, 2). Received: x.shape={x.shape}"
        )
    axes = [
        np.linspace(x[:, k].min() - margin, x[:, k].max() + margin, resolution)
        for k in range(2)
    ]
    grid_x1, grid_x2 = np.meshgrid(*axes)
    points = np.column_stack([grid_x1.ravel(), grid_x2.ravel()]).astype(np.float32)
    values = np.asarray(predict(points), dtype=np.float64).reshape(grid_x1.shape)
    return grid_x1, grid_x2, values
