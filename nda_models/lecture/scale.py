"""How much a lecture section computes: ``"full"`` or ``"quick"``.

Every section of ``nda_models.lecture.sections`` takes ``scale=``, as Fidle's
notebooks take a ``scale``: ``"full"`` gives the numbers the scripts print by
default (what the lecture shows), ``"quick"`` the same steps on fewer epochs,
draws or sizes, for tests and a first look. The scripts map ``--quick`` to
it; the notebooks read it in their first cell with ``notebook_scale()``, from
the environment variable ``NDA_NOTEBOOK_SCALE`` (the test suite sets it to
``quick``), so a notebook is never edited to run small.

Example:
    >>> check_scale("quick")
    'quick'
    >>> notebook_scale(environ={})
    'full'
    >>> notebook_scale(environ={"NDA_NOTEBOOK_SCALE": "quick"})
    'quick'
"""

import os

from nda_models.core.constraints import Options

SCALE_VARIABLE = "NDA_NOTEBOOK_SCALE"

#: The notebooks' two scales, read from ``NDA_NOTEBOOK_SCALE``.
SCALES = Options(
    ("full", "quick"),
    noun="scale",
    meaning=": 'full' computes what the lecture shows (the scripts' default), "
    "'quick' the same steps on fewer epochs and draws (seconds)",
)


def check_scale(scale):
    """Returns ``scale`` if it is ``"full"`` or ``"quick"``.

    Raises:
        ValueError: for another name (the closest one suggested).
        TypeError: for a value that is not a string.
    """
    return SCALES.check("scale", scale)


def notebook_scale(default="full", *, environ=None):
    """The scale a notebook runs at: ``$NDA_NOTEBOOK_SCALE``, else ``default``.

    Args:
        default: The scale when the variable is unset or empty.
        environ: The environment to read (``os.environ`` by default).

    Returns:
        ``"full"`` or ``"quick"``.

    Raises:
        ValueError: if the variable holds another value, naming it.
    """
    environ = os.environ if environ is None else environ
    value = environ.get(SCALE_VARIABLE, "").strip() or check_scale(default)
    try:
        return check_scale(value)
    except ValueError as error:
        raise ValueError(
            f"The environment variable {SCALE_VARIABLE} must be 'full' or 'quick' "
            f"(or unset). Received: {SCALE_VARIABLE}={value!r}"
        ) from error
