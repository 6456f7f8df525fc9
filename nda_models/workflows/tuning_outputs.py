"""Where a grid search's results go: one folder per run, never overwritten.

``tune(..., results="tuning")`` writes ``tuning/MODEL/TIMESTAMP/`` (the
timestamp of the run's TensorBoard folder ``runs/MODEL/TIMESTAMP/tune``):

- ``tuning.csv``: the table, one row per (η, M) (see ``tuning_columns``);
- ``tuning_heatmap.png``: the validation loss over the grid, best boxed;
- ``best.json``: the chosen pair, its row, the bundle's path and the
  TensorBoard folder of the run.

``tuning/MODEL/latest`` is a symbolic link to the newest of these folders,
so ``tuning/MODEL/latest/tuning.csv`` always names the last table. Earlier
runs stay where they are.
"""

import json
import math
import os
import pathlib
import re

from nda_models.core.atomic_file import atomic_path
from nda_models.workflows.tuning_heatmap import plot_heatmap

LATEST = "latest"

# A run's timestamp folder name (``run_folder.run_stamp``).
_STAMP = re.compile(r"\d{8}-\d{6}-\d{6}")


def check_apart(bundle, results, model_name, names=("out", "results")):
    """Refuses results that would land inside the bundle folder.

    ``results/MODEL/...`` inside ``bundle`` (``--results saved_models`` with
    the default ``--out saved_models/MODEL``) would mix the tables into the
    model's bundle; the two places must be apart.

    Raises:
        ValueError: naming both places.

    Example:
        >>> check_apart("saved_models/perceptron", "tuning", "perceptron")
        >>> check_apart("saved_models/perceptron", "saved_models", "perceptron")
        Traceback (most recent call last):
        ...
        ValueError: `results` would write the tables into the bundle folder \
`out`: 'saved_models/perceptron/TIMESTAMP' is inside 'saved_models/perceptron'. \
Choose another results folder (the default is 'tuning'). Received: \
out='saved_models/perceptron', results='saved_models'
    """
    if bundle is None or results is None:
        return
    folder = pathlib.Path(os.path.realpath(pathlib.Path(results) / model_name))
    place = pathlib.Path(os.path.realpath(bundle))
    if folder == place or place in folder.parents:
        out, what = names
        raise ValueError(
            f"`{what}` would write the tables into the bundle folder `{out}`: "
            f"{str(pathlib.Path(results) / model_name / 'TIMESTAMP')!r} is inside "
            f"{str(bundle)!r}. Choose another results folder (the default is "
            f"'tuning'). Received: {out}={str(bundle)!r}, {what}={str(results)!r}"
        )


def results_folder(results, model_name, stamp):
    """``results/MODEL/stamp``, or ``None`` when ``results`` is ``None``."""
    if results is None:
        return None
    return pathlib.Path(results) / model_name / stamp


def write_results(folder, result, model_name):
    """Writes the table, heat-map and ``best.json`` of ``result`` into ``folder``.

    Args:
        folder: A new folder (``results_folder``).
        result: The ``TuningResult`` (its paths are filled in here).
        model_name: Registry key, for the heat-map's title.
    """
    folder = pathlib.Path(folder)
    result.results_dir = folder
    result.csv_path = folder / "tuning.csv"
    result.heatmap_path = folder / "tuning_heatmap.png"
    with atomic_path(result.csv_path) as temp:
        result.table.to_csv(temp, index=False)
    figure = plot_heatmap(result.table, result.best, model_name)
    with atomic_path(result.heatmap_path) as temp:
        figure.savefig(temp, dpi=120, bbox_inches="tight")
    summary = {
        "model": model_name,
        "dataset": result.best_run.dataset.name,
        "best": _plain(result.best),
        "bundle": None if result.bundle is None else str(result.bundle),
        "tensorboard_run": None if result.log_dir is None else str(result.log_dir),
        "table": result.csv_path.name,
        "heatmap": result.heatmap_path.name,
    }
    with atomic_path(folder / "best.json") as temp:
        pathlib.Path(temp).write_text(json.dumps(summary, indent=2) + "\n")
    point_latest(folder)


def point_latest(folder):
    """Points ``folder.parent/latest`` at ``folder`` (a relative symbolic link).

    The link is replaced atomically. A real file or folder named ``latest``,
    or a link that is not ours (ours name a timestamp folder beside them;
    a user's may lead anywhere), is left alone, and so is a file system
    without links.
    """
    link = folder.parent / LATEST
    if os.path.lexists(link) and not _our_link(link):
        return
    temp = folder.parent / f".{LATEST}-{os.getpid()}"
    try:
        if os.path.lexists(temp):
            os.remove(temp)
        os.symlink(folder.name, temp, target_is_directory=True)
        os.replace(temp, link)
    except OSError:
        return


def _our_link(link):
    """True for a ``latest`` link this module made: to a sibling timestamp."""
    return link.is_symlink() and _STAMP.fullmatch(os.readlink(link)) is not None


def _plain(row):
    """A table row as strict JSON: Python numbers, NaN and inf as strings."""
    plain = {}
    for key, value in row.items():
        value = value.item() if hasattr(value, "item") else value  # NumPy scalars
        if isinstance(value, float) and not math.isfinite(value):
            value = str(value)
        plain[key] = value
    return plain
