"""``load_dataset``: a data set by name, split into train, validation and test.

Three kinds of names: a built-in name (``list_datasets()``, registered with
``register_dataset``), ``csv:PATH`` for a CSV file read with pandas, and
``tfds:NAME`` for a prepared tensorflow-datasets data set. The options of
each kind are the keyword parameters of the function that reads it.
"""

import inspect

from nda_models.core.constraints import SEED

# The built-in data sets register themselves when their modules are imported.
from nda_models.data import sklearn_sets, synthetic  # noqa: F401
from nda_models.data.csv_file import load_csv
from nda_models.data.dataset import Dataset
from nda_models.data.registry import check_options, dataset_spec
from nda_models.data.splits import (
    check_fractions,
    cut_rows,
    resolve_stratify,
    split_arrays,
)
from nda_models.data.tfds_source import load_tfds


def _keywords(function):
    """The keyword parameters of a reader: the options its prefix accepts."""
    parameters = inspect.signature(function).parameters.values()
    return tuple(p.name for p in parameters if p.kind is p.KEYWORD_ONLY)


CSV_OPTIONS = _keywords(load_csv)
TFDS_OPTIONS = _keywords(load_tfds)


def load_dataset(
    name, *, seed=0, test_size=0.2, val_size=0.2, stratify=None, **options
):
    """Loads a data set and splits it into train, validation and test.

    Args:
        name: A built-in name (see ``list_datasets()``), ``"csv:PATH"`` or
            ``"tfds:NAME"``.
        seed: Seed of the data generation (``linear_synthetic``) and of the
            split; the same seed gives the same arrays.
        test_size: Fraction of all rows for the test split.
        val_size: Fraction of all rows for the validation split (so the
            defaults give 60 / 20 / 20).
        stratify: Keep class proportions in every split; default ``True``
            for classification, ``False`` for regression.
        **options: Options of the source. ``linear_synthetic``: ``n=1000``,
            ``noise=1.0`` (std of eps). ``csv:``: ``target``, ``features``,
            ``task``, ``class_names``, ``index_col``, ``encoding`` (see
            ``load_csv``). ``tfds:``: ``data_dir``.

    Returns:
        A ``Dataset``.

    Raises:
        ValueError: Unknown name or option, bad fractions, bad file content.

    Example:
        >>> ds = load_dataset("linear_synthetic", n=500, noise=0.5, seed=1)
        >>> ds.x_train.shape, ds.info["true_weights"]
        ((300, 2), (2.0, -3.0))
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str. Received: name={name!r}")
    SEED.check("seed", seed)
    check_fractions(test_size, val_size)
    split = {"seed": seed, "test_size": test_size, "val_size": val_size}
    if name.startswith("tfds:"):
        check_options(name, options, TFDS_OPTIONS)
        return _tfds_dataset(name, stratify=stratify, options=options, **split)
    table = _load_table(name, seed, options)
    stratify = resolve_stratify(stratify, table.task)
    parts = split_arrays(table.x, table.y, stratify=stratify, **split)
    info = {**table.info, **split, "stratify": stratify, "n_samples": len(table.y)}
    return Dataset(
        name, table.task, *parts, table.feature_names, table.class_names, info
    )


def _load_table(name, seed, options):
    if name.startswith("csv:"):
        check_options(name, options, CSV_OPTIONS)
        return load_csv(name[len("csv:") :], **options)
    return dataset_spec(name).load(seed, **options)


def _tfds_dataset(name, *, seed, test_size, val_size, stratify, options):
    """Keeps the tfds ``test`` / ``validation`` splits; cuts missing ones from train.

    ``test_size`` and ``val_size`` are then fractions of the tfds train split.
    """
    tables = load_tfds(name[len("tfds:") :], **options)
    train = tables["train"]
    stratify = resolve_stratify(stratify, train.task)
    x, y, val_fraction = train.x, train.y, val_size
    if "test" in tables:
        x_test, y_test = tables["test"].x, tables["test"].y
    else:
        x, y, x_test, y_test = cut_rows(x, y, test_size, stratify, seed)
        val_fraction = val_size / (1.0 - test_size)
    if "validation" in tables:
        x_val, y_val = tables["validation"].x, tables["validation"].y
    else:
        x, y, x_val, y_val = cut_rows(x, y, val_fraction, stratify, seed)
    info = {**train.info, "tfds_splits": sorted(tables), "seed": seed}
    info["stratify"] = stratify
    return Dataset(
        name,
        train.task,
        *(x, y, x_val, y_val, x_test, y_test),
        train.feature_names,
        train.class_names,
        info,
    )
