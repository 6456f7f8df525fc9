"""The lecture's sections, one module each: what a script and a notebook call.

``scripts/NN_name.py`` and ``notebooks/NN_name.ipynb`` are two faces of the
module ``nda_models.lecture.sections.name``: the script calls its functions
in order and prints and saves, the notebook calls the same functions in the
same order between the slide's text and shows (``tests/test_notebooks.py``
checks that both make the same calls). A change to what a section computes
or draws is made here once and reaches both. Each function takes ``scale=``
where the amount of work differs (``"full"``, the lecture's numbers, or
``"quick"``, see ``nda_models.lecture.scale``), prints the numbers the slide
has, and returns figures without closing them. Importing a section imports
no TensorFlow; its functions import it when they train.
"""

__all__ = []
