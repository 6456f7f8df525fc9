"""Which section module each lecture script and notebook is a face of.

``scripts/<stem>.py`` and ``notebooks/<stem>.ipynb`` both call the module
``SECTIONS[stem]``; ``NOTEBOOKS`` adds the notebook on backpropagation, whose
command-line face is ``nda autodiff`` (both call ``nda_models.autodiff``).

Example:
    >>> SECTIONS["01_gradient_descent"]
    'nda_models.lecture.sections.gradient_descent'
    >>> section_module("06_mlp").__name__
    'nda_models.lecture.sections.mlp'
"""

import importlib

from nda_models.core.suggestions import did_you_mean

_PACKAGE = "nda_models.lecture.sections"

#: ``scripts/<stem>.py`` and ``notebooks/<stem>.ipynb`` -> their section module.
SECTIONS = {
    stem: f"{_PACKAGE}.{stem[3:]}"
    for stem in (
        "01_gradient_descent",
        "02_stochastic_gradient",
        "03_step_size_schedules",
        "04_neuron_and_perceptron",
        "05_activations_and_losses",
        "06_mlp",
        "07_iteration_cycle",
        "08_sampling_methods",
        "09_cost_per_step",
        "10_batch_size_and_minima",
        "11_sklearn_grid_search",
    )
}

#: Every notebook in ``notebooks/``, by stem.
NOTEBOOKS = (*SECTIONS, "12_backpropagation")


def section_module(stem):
    """Imports and returns the section module of ``stem`` (``"06_mlp"``).

    Raises:
        ValueError: for an unknown stem, listing the known ones.
    """
    if stem not in SECTIONS:
        raise ValueError(
            f"Unknown lecture section {stem!r}.{did_you_mean(str(stem), SECTIONS)} "
            f"Expected one of {list(SECTIONS)}. Received: stem={stem!r}"
        )
    return importlib.import_module(SECTIONS[stem])
