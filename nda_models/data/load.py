"""``load_dataset``: the registry of data set names and their options.

Three kinds of names: a built-in name (``list_datasets()``), ``csv:PATH``
for a CSV file read with pandas, and ``tfds:NAME`` for a prepared
tensorflow-datasets data set.
"""

import fnmatch

from nda_models.core.constraints import SEED
from nda_models.core.suggestions import did_you_mean
from nda_models.data import sklearn_sets
from nda_models.data.dataset import Dataset
from nda_models.data.splits import (
    check_fractions,
    cut_rows,
    resolve_stratify,
    split_arrays,
)

# name -> (one-line summary, accepted options)
BUILTIN = {
    "linear_synthetic": (
        "lecture 12: y = 5 + 2*x1 - 3*x2 + eps, x ~ N(0, 1) (regression)",
        ("n", "noise"),
    ),
    "iris_setosa": ("perceptron slide: petal length/width, 1 = setosa", ()),
    **{name: (summary, ()) for name, (_, summary) in sklearn_sets.SKLEARN_SETS.items()},
}
CSV_OPTIONS = ("target", "features", "task", "class_names", "index_col", "encoding")
TFDS_OPTIONS = ("data_dir",)


def list_datasets(pattern="*"):
    """Sorted names of the built-in data sets matching a glob ``pattern``.

    ``csv:PATH`` and ``tfds:NAME`` are accepted by ``load_dataset`` too but
    are not listed.

    Example:
        >>> list_datasets("iris*")
        ['iris', 'iris_setosa']
    """
    if not isinstance(pattern, str):
        raise TypeError(f"pattern must be a str glob. Received: pattern={pattern!r}")
    return sorted(name for name in BUILTIN if fnmatch.fnmatch(name, pattern))


def describe_dataset(name):
    """One-line summary of a built-in data set (no data are loaded)."""
    _check_builtin(name)
    return BUILTIN[name][0]


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
        _check_options(name, options, TFDS_OPTIONS)
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
        from nda_models.data.csv_file import load_csv

        _check_options(name, options, CSV_OPTIONS)
        return load_csv(name[len("csv:") :], **options)
    _check_builtin(name)
    _check_options(name, options, BUILTIN[name][1])
    if name == "linear_synthetic":
        from nda_models.data.synthetic import linear_synthetic

        return linear_synthetic(seed=seed, **options)
    if name == "iris_setosa":
        return sklearn_sets.iris_setosa()
    return sklearn_sets.load_sklearn(name)


def _tfds_dataset(name, *, seed, test_size, val_size, stratify, options):
    """Keeps the tfds ``test`` / ``validation`` splits; cuts missing ones from train.

    ``test_size`` and ``val_size`` are then fractions of the tfds train split.
    """
    from nda_models.data.tfds_source import load_tfds

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


def _check_builtin(name):
    if name in BUILTIN:
        return
    hint = did_you_mean(name, list(BUILTIN))
    raise ValueError(
        f"Unknown dataset '{name}'.{hint} Built-in datasets: {list_datasets()}; "
        "or use 'csv:PATH' for a CSV file, 'tfds:NAME' for tensorflow-datasets. "
        f"Received: name={name!r}"
    )


def _check_options(name, options, accepted):
    for option in options:
        if option not in accepted:
            hint = did_you_mean(option, accepted)
            accepts = f"accepts {list(accepted)}" if accepted else "takes no options"
            raise ValueError(
                f"Unknown option '{option}' for dataset '{name}'.{hint} It {accepts}, "
                "besides seed, test_size, val_size and stratify. "
                f"Received: {option}={options[option]!r}"
            )
