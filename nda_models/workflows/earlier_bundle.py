"""What a new bundle would replace: the earlier run's results, named aloud.

``nda train``, ``nda tune`` and ``nda demo`` replace the bundle at their
``--out`` (``saved_models/NAME`` by default) when training ends; before
training starts they say which bundle that is, so that no earlier result is
lost without a word. Pure Python (reads ``metadata.json`` only).

Example:
    >>> earlier_bundle("saved_models/no_such_model") is None
    True
"""

import pathlib

from nda_models.export.format.bundle_layout import METADATA_FILE
from nda_models.export.format.metadata import read_metadata
from nda_models.export.read.bundle_display import terminal_text


def earlier_bundle(path):
    """Describes the bundle at ``path``, or returns ``None`` if there is none.

    Returns:
        ``"a perceptron bundle trained on iris_setosa, saved
        2026-12-02T10:15:00+00:00"``, or ``None`` when ``path`` holds no
        readable bundle (the save itself then decides: an empty or absent
        folder is fine, a folder of other files is refused).
    """
    folder = pathlib.Path(path)
    if not (folder / METADATA_FILE).is_file():
        return None
    try:
        metadata = read_metadata(folder)
    except (OSError, ValueError):
        return None
    dataset = metadata.get("dataset") or {}
    trained = f" trained on {dataset['name']}" if dataset.get("name") else ""
    return terminal_text(
        f"a {metadata.get('registry_name') or 'model'} bundle{trained}, "
        f"saved {metadata.get('created', 'at an unknown time')}"
    )  # the bundle's own words, printed on a terminal


def replacement_note(path, option="--out"):
    """The note printed before training, or ``None`` if nothing is replaced."""
    earlier = earlier_bundle(path)
    if earlier is None:
        return None
    return (
        f"note: {path} holds {earlier}; this run replaces it when training "
        f"ends (give another {option} to keep it)"
    )
