"""The slide "Regression Example", reproduced to the three decimals it shows.

The slide's table (iterations 0, 20, ..., 200 of loss, two gradient
components and two parameters) is full-batch gradient descent on a linear
model without intercept, ŷ = θ1·x1 + θ2·x2, minimising the mean squared error
(no ½) of y = (√3/2)·x2 + ε with E[xxᵀ] = I and noise standard deviation 0.5.
That loss is the quadratic

    L(θ) = θ1² + (θ2 − √3/2)² + 0.25,   ∇L(θ) = 2(θ − θ*),  θ* = (0, √3/2),

so θ_t − θ* = (1 − 2η)^t (θ_0 − θ*). The table shrinks θ − θ* by 0.6 every 20
iterations, so η = (1 − 0.6^(1/20)) / 2 = 0.0126091...; every η in
[0.0126085, 0.0126096] reproduces all 55 printed numbers, and the start
θ_0 = (−3.3884, 0) (printed −3.388) gives the first row's loss 12.481 and
gradient −6.777 (with −3.388 itself the loss would print 12.479).

The data are whitened so that the sample mean squared error is exactly L(θ)
for every θ, not only in expectation: XᵀX/n = I, Xᵀε = 0 and εᵀε/n = 0.25
(columns of one orthonormal basis). The slide's numbers are then those of
the package's ``Trainer`` and ``IterationTable``, not of a separate formula.
"""

import math

import numpy as np

import nda_models as nda
from nda_models.core.constraints import is_integer

THETA_STAR = (0.0, math.sqrt(3.0) / 2.0)
NOISE_STD = 0.5
THETA_0 = (-3.3884, 0.0)
SHRINK_PER_ROW = 0.6
EVERY = 20
ITERATIONS = 200
LEARNING_RATE = (1.0 - SHRINK_PER_ROW ** (1.0 / EVERY)) / 2.0


def whitened_data(n=1000, seed=0):
    """Returns ``(x, y)`` whose mean squared error is exactly the slide's L(θ).

    x (n, 2) has XᵀX/n = I; y = (√3/2)·x2 + ε with ε orthogonal to both
    columns of x and εᵀε/n = 0.25 = NOISE_STD²; all up to float32 rounding.

    Args:
        n: Number of examples, at least 3.
        seed: Seed of the Gaussian draw that is orthonormalised.

    Returns:
        float32 arrays x (n, 2) and y (n,).

    Raises:
        ValueError: if ``n`` < 3 (three orthogonal columns are needed).

    Example:
        >>> x, y = whitened_data(1000)
        >>> np.allclose(x.T @ x / 1000, np.eye(2), atol=1e-5)
        True
    """
    if not is_integer(n) or n < 3:
        raise ValueError(
            "`n` must be an integer >= 3 (two feature columns and the noise "
            f"must be orthogonal). Received: n={n!r}"
        )
    gaussian = np.random.default_rng(seed).normal(size=(n, 3))
    basis, _ = np.linalg.qr(gaussian)  # three orthonormal columns
    x = math.sqrt(n) * basis[:, :2]
    noise = NOISE_STD * math.sqrt(n) * basis[:, 2]
    y = x @ np.asarray(THETA_STAR) + noise
    return x.astype(np.float32), y.astype(np.float32)


def slide_loss(theta):
    """L(θ) = θ1² + (θ2 − √3/2)² + 0.25, the loss behind the slide's table.

    Example:
        >>> slide_loss(THETA_STAR), round(slide_loss(THETA_0), 3)  # the first row
        (0.25, 12.481)
        >>> x, y = whitened_data(1000)  # the sample MSE is L(θ) for every θ
        >>> theta = np.array([1.0, -2.0])
        >>> bool(np.isclose(np.mean((y - x @ theta) ** 2), slide_loss(theta)))
        True
    """
    difference = np.asarray(theta, dtype=np.float64) - np.asarray(THETA_STAR)
    return float(difference @ difference + NOISE_STD**2)


def run_regression_example(n=1000, *, print_fn=print):
    """Runs the slide's gradient descent with ``Trainer`` and ``IterationTable``.

    Builds ``linear_regressor(use_bias=False)``, sets θ = THETA_0, and trains
    with M = n (full-batch gradient descent), η = LEARNING_RATE and the
    default loss (mean squared error, no ½) for ITERATIONS steps, printing a
    row every EVERY steps as the slide does.

    Args:
        n: Number of whitened examples.
        print_fn: Receives each line of the table.

    Returns:
        ``(rows, losses)``: the ``IterationTable`` rows (dicts with
        ``iteration``, ``loss``, ``gradient``, ``theta``) and the loss
        J(θ_t) of every iteration t = 0, ..., ITERATIONS, as the slide
        counts (ITERATIONS steps, one per epoch; the last loss is the
        table's last row).

    Example:
        >>> rows, losses = run_regression_example()  # the slide's table
        #it   Loss      Gradient            Theta
                        ∂w1      ∂w2        w1       w2
        0     +12.481   -6.777   -1.732     -3.388   +0.000
        20    +4.653    -4.066   -1.039     -2.033   +0.346
        40    +1.835    -2.440   -0.624     -1.220   +0.554
        60    +0.821    -1.464   -0.374     -0.732   +0.679
        80    +0.455    -0.878   -0.224     -0.439   +0.754
        100   +0.324    -0.527   -0.135     -0.263   +0.799
        120   +0.277    -0.316   -0.081     -0.158   +0.826
        140   +0.260    -0.190   -0.048     -0.095   +0.842
        160   +0.253    -0.114   -0.029     -0.057   +0.851
        180   +0.251    -0.068   -0.017     -0.034   +0.857
        200   +0.250    -0.041   -0.010     -0.020   +0.861
        >>> # The closed form J(θ_t) = 0.25 + (1 − 2η)^(2t)·‖θ_0 − θ*‖², in NumPy:
        >>> t = np.arange(ITERATIONS + 1)
        >>> start = np.subtract(THETA_0, THETA_STAR)  # θ_0 − θ*
        >>> shrink = (1 - 2 * LEARNING_RATE) ** (2 * t)
        >>> np.allclose(losses, 0.25 + shrink * (start @ start))
        True
    """
    x, y = whitened_data(n)
    model = nda.build_model("linear_regressor", input_dim=2, use_bias=False)
    model.get_layer("prediction").kernel.assign(
        np.asarray(THETA_0, np.float32).reshape(2, 1)
    )
    trainer = nda.Trainer(model, learning_rate=LEARNING_RATE, batch_size=n, seed=0)
    table = nda.IterationTable(every=EVERY, print_fn=print_fn)
    history = trainer.fit(x, y, epochs=ITERATIONS, callbacks=[table])
    # Each epoch's loss is J(θ_t) before its step; J(θ_ITERATIONS) is the last row.
    losses = [*history.history["loss"], table.rows[-1]["loss"]]
    return table.rows, np.asarray(losses, dtype=np.float64)
