"""``random_state``: scikit-learn's seeding, turned into the seeds a fit uses.

A fit draws three integer seeds from ``check_random_state(random_state)``,
as scikit-learn's own estimators draw from theirs: one for the model's
initial weights and dropout masks (the builder's ``seed``), one for the
loop's mini-batch sampling (the ``Trainer``'s ``seed``) and one for the
early-stopping split. So:

- an ``int`` gives the same seeds, hence the same fitted model, every fit;
- ``None`` draws from NumPy's global ``RandomState`` (``np.random``), so
  every fit differs unless the program calls ``np.random.seed`` first, as
  with scikit-learn's ``MLPClassifier`` or ``SGDClassifier``;
- a ``numpy.random.RandomState`` (or ``numpy.random.Generator``, which
  scikit-learn 1.9's ``check_random_state`` does not take yet) is drawn from
  and advanced: two fits with the same instance differ, two estimators given
  equally seeded instances agree.

Example:
    >>> training_seeds(0) == training_seeds(0)
    True
    >>> training_seeds(0) == training_seeds(1)
    False
"""

import collections
import warnings

import numpy as np
from sklearn.utils import check_random_state

# The builders add small offsets (at most a few hundred) to their seed, and
# NumPy, scikit-learn and TensorFlow all take 32-bit seeds.
_SEED_BOUND = 2**31 - 2**16

Seeds = collections.namedtuple("Seeds", ["weights", "sampling", "split"])

# The default of the deprecated ``seed`` parameter (scikit-learn's idiom).
DEPRECATED = "deprecated"


def training_seeds(random_state):
    """Returns the ``Seeds`` of one fit, drawn from ``random_state``.

    Args:
        random_state: ``None``, an ``int``, a ``numpy.random.RandomState`` or
            a ``numpy.random.Generator``.

    Returns:
        ``Seeds(weights, sampling, split)``, three ints in [0, 2**31).

    Raises:
        ValueError: for anything else (scikit-learn's message).
    """
    if isinstance(random_state, np.random.Generator):
        draws = random_state.integers(0, _SEED_BOUND, size=3)
    else:
        draws = check_random_state(random_state).randint(0, _SEED_BOUND, size=3)
    return Seeds(*(int(draw) for draw in draws))


def resolve_random_state(random_state, seed):
    """The ``random_state`` to use, honouring the deprecated ``seed`` alias.

    Args:
        random_state: The estimator's ``random_state``.
        seed: The estimator's ``seed``: ``"deprecated"`` unless a user set it.

    Returns:
        ``random_state``, or ``seed`` when only ``seed`` was given (with a
        ``FutureWarning``).

    Raises:
        ValueError: if both are given.
    """
    if isinstance(seed, str) and seed == DEPRECATED:
        return random_state
    if random_state is not None:
        raise ValueError(
            "`seed` is a deprecated alias of `random_state`; give only "
            f"random_state. Received: seed={seed!r}, random_state={random_state!r}"
        )
    warnings.warn(
        "`seed` was renamed `random_state` (scikit-learn's name) and will be "
        f"removed; use random_state={seed!r}.",
        FutureWarning,
        stacklevel=4,
    )
    return seed
