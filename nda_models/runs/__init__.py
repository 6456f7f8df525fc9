"""TensorBoard runs as data (``nda.read_runs``), read without TensorFlow.

Example:
    >>> from nda_models.runs import read_runs
    >>> callable(read_runs)
    True
"""

from nda_models.runs.read_runs import read_runs

__all__ = ["read_runs"]
