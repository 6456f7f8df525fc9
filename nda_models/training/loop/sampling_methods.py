"""The names of the slide "Sampling methods", each with its in-graph sampler.

The samplers themselves (``sampling.py``) run inside the compiled loop and
import TensorFlow; this table names them for the checks, ``nda train
--sampling`` and the messages, and imports them on first use.

Example:
    >>> list(SAMPLINGS)
    ['permutation', 'preshuffle', 'uniform']
"""

import dataclasses

from nda_models.core.name_table import Lazy, NameTable


@dataclasses.dataclass(frozen=True)
class Sampling:
    """One sampling method: ``sampler(generator)`` builds it; ``means`` says
    in a few words how it draws the mini-batch indices."""

    sampler: object
    means: str


_ENTRIES = {
    "permutation": Sampling(
        Lazy("nda_models.training.loop.sampling:PermutationSampler"),
        "reshuffles each epoch and draws without replacement",
    ),
    "preshuffle": Sampling(
        Lazy("nda_models.training.loop.sampling:PreshuffleSampler"),
        "shuffles once and sweeps that order every epoch",
    ),
    "uniform": Sampling(
        Lazy("nda_models.training.loop.sampling:UniformSampler"),
        "draws indices with replacement",
    ),
}

#: How mini-batch indices are drawn: name -> ``Sampling``.
SAMPLINGS = NameTable(
    _ENTRIES,
    noun="sampling",
    meaning=": "
    + ", ".join(f"{name!r} {entry.means}" for name, entry in _ENTRIES.items()),
)
