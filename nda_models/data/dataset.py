"""The ``Dataset``: train, validation and test splits with their metadata.

Every loader (built-in, ``csv:PATH``, ``tfds:NAME``) ends by building one of
these, so models, the trainer and the command line see a single shape of data:
``x`` float32 of shape ``(n, input_dim)``; ``y`` float32 of shape ``(n,)`` for
regression, int32 class indices ``0..num_classes-1`` for classification.
"""

import dataclasses

import numpy as np

from nda_models.core.lazy_module import lazy_module
from nda_models.core.normalization_stats import compute_normalization
from nda_models.data.dataset_display import html_table, one_line
from nda_models.data.tensor_slices import batched_dataset
from nda_models.zoo.tasks import TASKS

pd = lazy_module("pandas")

SPLITS = ("train", "val", "test")


@dataclasses.dataclass(frozen=True, repr=False)
class Dataset:
    """Three splits of one table plus its feature names, class names and task.

    Args:
        name: The name given to ``load_dataset`` (``"iris"``, ``"csv:data.csv"``).
        task: ``"regression"``, ``"binary"`` or ``"multiclass"``, the words of
            the model registry.
        x_train, y_train, x_val, y_val, x_test, y_test: NumPy arrays. ``x`` is
            cast to float32 2-D; ``y`` to float32 (regression) or int32 class
            indices (classification).
        feature_names: One name per column of ``x``.
        class_names: One name per class index, or ``None`` for regression.
        info: Extras such as the source, the seed, or for ``linear_synthetic``
            the true parameters ``true_bias`` and ``true_weights``.

    Example:
        >>> from nda_models.data import load_dataset
        >>> ds = load_dataset("iris_setosa")
        >>> ds.x_train.shape, ds.task, ds.class_names
        ((90, 2), 'binary', ('not setosa', 'setosa'))
    """

    name: str
    task: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    feature_names: tuple
    class_names: tuple | None = None
    info: dict = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        TASKS.check("task", self.task)
        names = tuple(str(name) for name in self.feature_names)
        object.__setattr__(self, "feature_names", names)
        if self.task == "regression":
            if self.class_names is not None:
                raise ValueError(
                    "A regression Dataset has no class names; pass "
                    f"class_names=None. Received: class_names={self.class_names!r}"
                )
        else:
            classes = tuple(str(name) for name in self.class_names or ())
            if len(classes) < 2:
                raise ValueError(
                    f"A {self.task} Dataset needs at least two class names. "
                    f"Received: class_names={self.class_names!r}"
                )
            object.__setattr__(self, "class_names", classes)
        for split in SPLITS:
            self._set_split(split)

    def _set_split(self, split):
        for part in ("x", "y"):
            if np.iscomplexobj(getattr(self, f"{part}_{split}")):
                raise TypeError(
                    f"{part}_{split} holds complex numbers; a Dataset holds real "
                    f"values. Pass its real part or magnitude explicitly. Received: "
                    f"{part}_{split} of dtype "
                    f"{np.asarray(getattr(self, f'{part}_{split}')).dtype}"
                )
        x = np.ascontiguousarray(getattr(self, f"x_{split}"), dtype=np.float32)
        y_dtype = np.float32 if self.task == "regression" else np.int32
        y = np.ascontiguousarray(getattr(self, f"y_{split}"), dtype=y_dtype)
        if x.ndim != 2 or x.shape[1] != len(self.feature_names):
            raise ValueError(
                f"x_{split} must have shape (n, {len(self.feature_names)}), one "
                f"column per feature name. Received: x_{split}.shape={x.shape}"
            )
        if y.shape != (x.shape[0],):
            raise ValueError(
                f"y_{split} must have shape ({x.shape[0]},), one label per row of "
                f"x_{split}. Received: y_{split}.shape={y.shape}"
            )
        if self.class_names and y.size and (y.min() < 0 or y.max() >= self.num_classes):
            raise ValueError(
                f"y_{split} must hold class indices 0..{self.num_classes - 1}. "
                f"Received: values from {y.min()} to {y.max()}"
            )
        object.__setattr__(self, f"x_{split}", x)
        object.__setattr__(self, f"y_{split}", y)

    @property
    def input_dim(self):
        """Number of features, the ``input_dim`` of ``nda.build_model``."""
        return len(self.feature_names)

    @property
    def num_classes(self):
        """Number of classes, or ``None`` for regression."""
        return None if self.class_names is None else len(self.class_names)

    @property
    def normalization(self):
        """Per-feature ``(mean, variance)`` of ``x_train`` only, as float32.

        The statistics never look at the validation or test split, so no
        information leaks from them. The variance is the population variance
        (``ddof=0``), as ``keras.layers.Normalization.adapt`` computes it, so
        ``keras.layers.Normalization(mean=mean, variance=variance)`` reproduces
        ``(x - mean) / sqrt(variance)``. A feature that is constant (or nearly:
        standard deviation below 10 · eps(float32) ≈ 1.19e-6) in the training
        split gets variance 1, so it is only centred, as scikit-learn's
        ``StandardScaler`` scales it by 1 (see ``normalization_stats``).

        Returns:
            A tuple ``(mean, variance)`` of float32 arrays of shape ``(input_dim,)``.

        Raises:
            ValueError: if a column is too large to standardise in float32
                (e.g. values around 1e20); the message names the column.

        Example:
            >>> from nda_models.data import load_dataset
            >>> mean, variance = load_dataset("wine").normalization
        """
        return compute_normalization(self.x_train, self.feature_names)

    def split(self, name):
        """Returns ``(x, y)`` of the split ``"train"``, ``"val"`` or ``"test"``.

        Example:
            >>> from nda_models.data import load_dataset
            >>> x_val, y_val = load_dataset("iris").split("val")
        """
        if name not in SPLITS:
            raise ValueError(
                f"Unknown split. Expected one of {SPLITS}. Received: split={name!r}"
            )
        return getattr(self, f"x_{name}"), getattr(self, f"y_{name}")

    @property
    def target_name(self):
        """Name of the target column: the CSV's, else ``"target"`` (as scikit-learn)."""
        name = str(self.info.get("target") or "target")
        return name if name not in self.feature_names else f"{name}_"

    def to_frame(self, split="all", *, target=True):
        """The rows of a split as a pandas DataFrame: features, then the target.

        Classes are written by name, so the frame saved with
        ``to_csv(path, index=False)`` reads back with
        ``load_dataset("csv:path", target=ds.target_name)`` and feeds
        ``nda predict`` / ``nda evaluate`` unchanged.

        Args:
            split: ``"train"``, ``"val"``, ``"test"`` or ``"all"`` (the three
                in that order).
            target: Add the target column; ``False`` gives the features
                alone, what a model's ``predict`` takes.

        Returns:
            A ``pandas.DataFrame`` with one column per feature name and the
            target column ``target_name`` (when ``target``).

        Example:
            >>> from nda_models.data import load_dataset
            >>> frame = load_dataset("iris_setosa").to_frame("test")
            >>> list(frame.columns)
            ['petal length (cm)', 'petal width (cm)', 'target']
        """
        if split == "all":
            x = np.concatenate([self.x_train, self.x_val, self.x_test])
            y = np.concatenate([self.y_train, self.y_val, self.y_test])
        elif split in SPLITS:
            x, y = self.split(split)
        else:
            raise ValueError(
                f"Unknown split. Expected one of {(*SPLITS, 'all')}. "
                f"Received: split={split!r}"
            )
        frame = pd.DataFrame(x, columns=list(self.feature_names))
        if target:
            labels = y if self.class_names is None else np.array(self.class_names)[y]
            frame[self.target_name] = labels
        return frame

    def as_tf_dataset(
        self, split, batch_size=32, *, shuffle=None, seed=None, repeat=False
    ):
        """A shuffled, batched, prefetched ``tf.data.Dataset`` of ``(x, y)``.

        Args:
            split: ``"train"``, ``"val"`` or ``"test"``.
            batch_size: Rows per batch (the mini-batch size M of the lecture).
            shuffle: Reshuffle the rows at every pass; default ``True`` for the
                training split only.
            seed: Seed of the shuffle, for a repeatable order.
            repeat: Repeat forever (then pass ``steps_per_epoch`` to ``fit``).

        Returns:
            A ``tf.data.Dataset`` yielding ``(x, y)`` batches.

        Example:
            >>> from nda_models.data import load_dataset
            >>> stream = load_dataset("iris").as_tf_dataset("train", 16, seed=0)
        """
        x, y = self.split(split)
        shuffle = split == "train" if shuffle is None else shuffle
        return batched_dataset(
            x, y, batch_size, shuffle=shuffle, seed=seed, repeat=repeat
        )

    def __repr__(self):
        return one_line(self)

    def _repr_html_(self):
        """A table in Jupyter: splits, features, classes, normalisation and
        the first training rows (see ``dataset_display``)."""
        return html_table(self)
