"""``tfds:NAME``: a prepared tensorflow-datasets data set as NumPy arrays.

nda_models never downloads at run time: the data must already be prepared in
``data_dir`` (tensorflow-datasets' default is ``~/tensorflow_datasets`` or
``$TFDS_DATA_DIR``). The data set's own splits are kept, as tensorflow-datasets
users expect: its ``test`` split is the test split, its ``validation`` split
(if any) the validation split; what is missing is cut from ``train``. Inputs
(images included) are flattened to one float32 row per example; labels come
from the ``(input, label)`` supervised keys.
"""

import difflib

import numpy as np

from nda_models.core.lazy_module import lazy_module
from nda_models.data.table import Table, classification_task

tfds = lazy_module("tensorflow_datasets")

DOWNLOAD_HINT = (
    "nda_models never downloads at run time. Prepare it beforehand on a machine "
    "with internet: `tfds build {name} --data_dir {data_dir}` or, in Python, "
    "`tfds.builder('{name}', data_dir='{data_dir}').download_and_prepare()`; "
    "then copy that directory here and pass data_dir='{data_dir}'."
)


def load_tfds(name, *, data_dir=None):
    """Loads every split of a prepared tensorflow-datasets data set.

    Args:
        name: A tensorflow-datasets name, optionally with a version
            (``"mnist"``, ``"mnist:3.0.1"``).
        data_dir: Directory holding the prepared data (default: tfds's).

    Returns:
        A dict ``{split: Table}`` with a ``"train"`` key and, when the data set
        has them, ``"validation"`` and ``"test"``.

    Raises:
        ValueError: Unknown name, or no ``(input, label)`` supervised keys.
        FileNotFoundError: The data are not prepared in ``data_dir``.

    Example:
        >>> # Skipped: needs MNIST prepared in /data/tfds (no download at run time).
        >>> tables = load_tfds("mnist", data_dir="/data/tfds")  # doctest: +SKIP
        >>> tables["test"].x.shape  # doctest: +SKIP
        (10000, 784)
    """
    if data_dir is not None:
        data_dir = str(data_dir)
    builder = _builder(tfds, name, data_dir)
    info = builder.info
    if not info.supervised_keys or len(info.supervised_keys) != 2:
        raise ValueError(
            f"tfds:{name} has no (input, label) supervised keys, so it has no "
            f"single target. Choose a supervised data set. Received: "
            f"supervised_keys={info.supervised_keys}"
        )
    input_key, label_key = info.supervised_keys
    label = info.features[label_key]
    class_names = tuple(label.names) if hasattr(label, "names") else None
    splits = [s for s in ("train", "validation", "test") if s in (info.splits or {})]
    tables = {}
    for split in splits or ["train", "test"]:
        x, y = _read_split(tfds, name, split, data_dir, builder)
        tables[split] = _table(name, split, x, y, input_key, class_names)
    return tables


def _builder(tfds, name, data_dir):
    try:
        return tfds.builder(name, data_dir=data_dir)
    except tfds.core.registered.DatasetNotFoundError:
        known = tfds.list_builders(with_community_datasets=False)
        close = difflib.get_close_matches(name, known, n=3)
        hint = f" Did you mean {close}?" if close else ""
        raise ValueError(
            f"tensorflow-datasets has no data set named '{name}'.{hint} See "
            "tfds.list_builders() for the names. Received: "
            f"name='tfds:{name}'"
        ) from None


def _read_split(tfds, name, split, data_dir, builder):
    """``(x, y)`` NumPy arrays of one split, read in batches."""
    try:
        stream = tfds.load(
            name, split=split, data_dir=data_dir, download=False, as_supervised=True
        )
    except AssertionError as error:
        if "could not find data" not in str(error):
            raise
        where = data_dir or builder.data_dir.split(f"/{builder.name}/")[0]
        raise FileNotFoundError(
            f"tfds:{name} is not prepared in '{where}'. "
            + DOWNLOAD_HINT.format(name=name, data_dir=where)
        ) from None
    xs, ys = [], []
    for x, y in tfds.as_numpy(stream.batch(4096)):
        xs.append(np.asarray(x))
        ys.append(np.asarray(y))
    return np.concatenate(xs), np.concatenate(ys)


def _table(name, split, x, y, input_key, class_names):
    if not np.issubdtype(x.dtype, np.number) and x.dtype != np.bool_:
        raise ValueError(
            f"tfds:{name} has non-numeric inputs '{input_key}' ({x.dtype}); the "
            "models here need numbers. Choose a data set with numeric features."
        )
    x = x.reshape(len(x), -1).astype(np.float32)
    names = tuple(f"{input_key}_{i}" for i in range(x.shape[1]))
    if x.shape[1] == 1:
        names = (str(input_key),)
    info = {"source": f"tensorflow-datasets {name}", "tfds_split": split}
    if class_names is None:
        return Table(x, y.astype(np.float32), names, None, "regression", info)
    task = classification_task(len(class_names))
    return Table(x, y.astype(np.int32), names, class_names, task, info)
