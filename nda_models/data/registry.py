"""The built-in data sets: one table of names, filled by ``register_dataset``.

As the models register with ``register_model``, each built-in data set is a
function decorated with ``@register_dataset(name, task=..., summary=...)``
that returns a whole ``Table``. Its keyword parameters are the options
``load_dataset`` accepts, except ``seed``, which receives ``load_dataset``'s
seed. ``list_datasets``, ``describe_dataset``, the command line's help and
the errors for an unknown name or option all read this one table, so a data
set is added in one place: its function.

Example:
    >>> list_datasets("iris*")
    ['iris', 'iris_setosa']
    >>> spec = dataset_spec("linear_synthetic")
    >>> spec.task, spec.options
    ('regression', ('n', 'noise'))
    >>> dataset_spec("irs")
    Traceback (most recent call last):
    ...
    ValueError: Unknown dataset 'irs'. Did you mean 'iris'? ...
"""

import dataclasses
import fnmatch
import inspect

from nda_models.core.suggestions import did_you_mean
from nda_models.zoo.tasks import TASKS

_DATASETS = {}


@dataclasses.dataclass(frozen=True)
class DatasetSpec:
    """A registered data set, described without loading it.

    Attributes:
        name: Registry key.
        task: ``"regression"``, ``"binary"`` or ``"multiclass"``
            (``nda_models.zoo.tasks``); what its ``Table`` holds.
        summary: One line, shown by ``nda datasets`` and ``describe_dataset``.
        options: The factory's keyword parameters (``seed`` excepted).
        factory: The function returning the whole ``Table``.
    """

    name: str
    task: str
    summary: str
    options: tuple
    factory: object = dataclasses.field(repr=False, compare=False)

    def load(self, seed, **options):
        """The whole ``Table`` (``info["summary"]`` set to the ``summary``),
        refusing options the factory does not take.

        Raises:
            ValueError: for an unknown option (the accepted ones listed).
            RuntimeError: if the factory returns another task than declared.
        """
        check_options(self.name, options, self.options)
        takes_seed = "seed" in inspect.signature(self.factory).parameters
        table = self.factory(**options, **({"seed": seed} if takes_seed else {}))
        if table.task != self.task:
            raise RuntimeError(
                f"Dataset {self.name!r} is registered as {self.task!r} but its "
                f"function returned a {table.task!r} table. Fix the task= of "
                f"register_dataset. Received: task={table.task!r}"
            )
        return table._replace(info={**table.info, "summary": self.summary})


def register_dataset(name, *, task, summary):
    """Decorator that registers a function returning a whole ``Table``.

    Args:
        name: The data set's name for ``load_dataset``.
        task: ``"regression"``, ``"binary"`` or ``"multiclass"``.
        summary: One line saying what the data are.

    Returns:
        The decorator; it returns the function unchanged.

    Raises:
        ValueError: for an unknown task, a name with ``:`` (kept for
            ``csv:`` and ``tfds:``) or a name taken by another function.
        TypeError: if a parameter has no default (``load_dataset`` calls the
            function with no options at all).

    Example:
        >>> from nda_models.data.table import Table
        >>> @register_dataset("tiny_plane", task="regression", summary="y = x")
        ... def tiny_plane(*, n=8):
        ...     x = np.arange(n, dtype=np.float32)[:, None]
        ...     return Table(x, x[:, 0], ("x",), None, "regression")
        >>> tiny_plane_spec = dataset_spec("tiny_plane")
        >>> tiny_plane_spec.options, tiny_plane_spec.load(seed=0, n=3).y
        (('n',), array([0., 1., 2.], dtype=float32))
        >>> del _DATASETS["tiny_plane"]
    """
    TASKS.check("task", task)
    if not isinstance(name, str) or not name or ":" in name:
        raise ValueError(
            "A dataset name is a non-empty str without ':' (csv: and tfds: are "
            f"prefixes of load_dataset). Received: name={name!r}"
        )

    def decorator(factory):
        parameters = inspect.signature(factory).parameters.values()
        required = [p.name for p in parameters if p.default is inspect.Parameter.empty]
        if required:
            raise TypeError(
                f"Dataset {name!r}: every parameter of its function needs a "
                f"default, as load_dataset may pass no option. Received: "
                f"{required} without a default"
            )
        taken = _DATASETS.get(name)
        if taken is not None and taken.factory.__qualname__ != factory.__qualname__:
            raise ValueError(
                f"Dataset name {name!r} is already registered by "
                f"{taken.factory.__module__}.{taken.factory.__qualname__}. Choose "
                f"another name. Received: {factory.__module__}.{factory.__qualname__}"
            )
        options = tuple(p.name for p in parameters if p.name != "seed")
        _DATASETS[name] = DatasetSpec(name, task, summary, options, factory)
        return factory

    return decorator


def list_datasets(pattern="*", *, task=None):
    """Sorted names of the built-in data sets matching a glob ``pattern``.

    ``csv:PATH`` and ``tfds:NAME`` are accepted by ``load_dataset`` too but
    are not listed.

    Args:
        pattern: A glob such as ``"iris*"``.
        task: Only the data sets of this task (``None``: all).

    Example:
        >>> list_datasets("iris*"), list_datasets(task="regression")
        (['iris', 'iris_setosa'], ['diabetes', 'linear_synthetic'])
    """
    if not isinstance(pattern, str):
        raise TypeError(f"pattern must be a str glob. Received: pattern={pattern!r}")
    if task is not None:
        TASKS.check("task", task)
    return sorted(
        name
        for name, spec in _DATASETS.items()
        if fnmatch.fnmatch(name, pattern) and task in (None, spec.task)
    )


def describe_dataset(name):
    """One-line summary of a built-in data set (no data are loaded).

    Example:
        >>> describe_dataset("iris")
        "Fisher's iris: 4 measurements, 3 species"
    """
    return dataset_spec(name).summary


def dataset_spec(name):
    """The ``DatasetSpec`` of a built-in data set.

    Raises:
        ValueError: for an unknown name, listing the names and the closest.
    """
    if name in _DATASETS:
        return _DATASETS[name]
    hint = did_you_mean(str(name), list(_DATASETS))
    raise ValueError(
        f"Unknown dataset '{name}'.{hint} Built-in datasets: {list_datasets()}; "
        "or use 'csv:PATH' for a CSV file, 'tfds:NAME' for tensorflow-datasets. "
        f"Received: name={name!r}"
    )


def check_options(name, options, accepted):
    """Refuses an option of ``options`` that is not in ``accepted``."""
    for option in options:
        if option not in accepted:
            hint = did_you_mean(option, accepted)
            accepts = f"accepts {list(accepted)}" if accepted else "takes no options"
            raise ValueError(
                f"Unknown option '{option}' for dataset '{name}'.{hint} It {accepts}, "
                "besides seed, test_size, val_size and stratify. "
                f"Received: {option}={options[option]!r}"
            )
