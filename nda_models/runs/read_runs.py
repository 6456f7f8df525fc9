"""TensorBoard runs as data: every scalar of every run, and the HParams, as tables.

``read_runs(logdir)`` reads what ``Trainer(log_dir=...)``, ``nda train``,
``nda tune``, Keras's ``TensorBoard`` callback or any ``tf.summary`` writer
left below ``logdir`` ("download all runs", which TensorBoard's own page
lacks). Scalars written the TF2 way (``tf.summary.scalar``: a tensor with
the scalars plugin's metadata) and the TF1 way (``simple_value``) are read
alike.

It reads with TensorBoard's own, pure-Python event reader and its read-time
compatibility layers (see ``event_files``), and imports no TensorFlow:
after ``import nda_models; nda.read_runs(...)``, ``"tensorflow" in
sys.modules`` is still False. (TensorBoard's ``EventAccumulator`` and
``EventFileLoader`` import TensorFlow whenever it is installed, so they are
not used here; the tests check that the readings agree.) The price is a CRC
check in Python, about 5–8 MB/s: a few seconds for lecture-sized runs, where
importing TensorFlow alone takes longer (``benchmarks/bench_read_runs.py``).

Example:
    >>> read_runs("no_such_folder")
    Traceback (most recent call last):
    ...
    ValueError: There is no folder 'no_such_folder' to read runs from...
"""

import os

from nda_models.core.lazy_module import lazy_module
from nda_models.runs.event_files import find_event_files, read_events
from nda_models.runs.hparams_table import hparams_table

hparams_metadata = lazy_module("tensorboard.plugins.hparams.metadata")
pd = lazy_module("pandas")
summary_pb2 = lazy_module("tensorboard.compat.proto.summary_pb2")
tensor_util = lazy_module("tensorboard.util.tensor_util")

SCALAR_COLUMNS = ("run", "tag", "step", "value", "wall_time")


def read_runs(logdir):
    """Returns the scalars of every run below ``logdir`` and the HParams table.

    Args:
        logdir: The folder TensorBoard would be given (``--logdir``): the
            ``log_dir`` of a ``Trainer``, ``--logdir`` of ``nda train`` /
            ``nda tune`` (default ``runs``).

    Returns:
        ``(scalars, hparams)``, two ``pandas.DataFrame``:

        - ``scalars``: one row per logged value, columns ``run`` (the event
          file's folder relative to ``logdir``, e.g.
          ``linear_regressor/20261202-101500/train``; ``"."`` for ``logdir``
          itself), ``tag``, ``step`` (int), ``value`` (float) and
          ``wall_time`` (seconds since the epoch), sorted by run, tag, step.
        - ``hparams``: one row per run that has HParams (``hparams_table``):
          ``run``, the hyper-parameters, the metrics (last value logged).

    Raises:
        TypeError: if ``logdir`` is not a path.
        ValueError: if ``logdir`` does not exist, is not a folder, or holds
            no TensorBoard event file.

    Example:
        Skipped here: it needs the runs of a ``Trainer(log_dir="runs/...")``
        or ``nda train`` (docs/guide/runs.md runs one).

        >>> scalars, hparams = read_runs("runs")  # doctest: +SKIP
        >>> scalars.query("tag == 'loss'").plot(x="step", y="value")  # doctest: +SKIP
    """
    root = _check_logdir(logdir)
    runs = find_event_files(root)
    if not runs:
        raise ValueError(
            f"There are no TensorBoard event files (events.out.tfevents.*) below "
            f"{str(logdir)!r}. Train with a log directory first, e.g. "
            "`Trainer(model, log_dir='runs/my_run')` or `nda train NAME --logdir "
            f"runs`, then pass that folder. Received: logdir={str(logdir)!r}"
        )
    rows, plugin_data = [], {}
    for run, paths in runs.items():
        hparams = _read_run(run, paths, rows)
        if hparams:
            plugin_data[run] = hparams
    scalars = pd.DataFrame(rows, columns=SCALAR_COLUMNS).astype(
        {"run": str, "tag": str, "step": "int64", "value": "float64",
         "wall_time": "float64"}
    )  # fmt: skip
    scalars = scalars.sort_values(["run", "tag", "step"], kind="stable")
    scalars = scalars.reset_index(drop=True)
    last = scalars.groupby(["run", "tag"], sort=False)["value"].last().to_dict()
    return scalars, hparams_table(plugin_data, last)


def _check_logdir(logdir):
    if not isinstance(logdir, str | os.PathLike):
        raise TypeError(
            "`logdir` must be a path (str or os.PathLike) to the folder of the runs. "
            f"Received: logdir={logdir!r} of type {type(logdir).__name__}"
        )
    path = os.fspath(logdir)
    if not os.path.exists(path):
        raise ValueError(
            f"There is no folder {path!r} to read runs from. Pass the folder "
            "TensorBoard reads: the `log_dir` of a Trainer, or `--logdir` of "
            f"`nda train`/`nda tune` (default 'runs'). Received: logdir={path!r}"
        )
    if not os.path.isdir(path):
        raise ValueError(
            f"{path!r} is a file, not a folder: pass the folder that holds the "
            f"event files (for one event file, its folder). Received: logdir={path!r}"
        )
    return path


def _read_run(run, paths, rows):
    """Appends the run's scalar rows; returns its hparams plugin data by tag."""
    # Bound once per run, not looked up through the proxies at every value.
    new_kind, scalar = summary_pb2.SummaryMetadata, summary_pb2.DATA_CLASS_SCALAR
    hparams_plugin, to_array = hparams_metadata.PLUGIN_NAME, tensor_util.make_ndarray
    initial, first, plugin_data = {}, {}, {}
    for path in paths:  # oldest file first: a resumed run's steps in order
        for event in read_events(path, initial):
            for value in event.summary.value:
                # TensorBoard's rule: a tag's kind is fixed by its first value.
                kind = first.setdefault(value.tag, new_kind())
                if not kind.ByteSize() and value.HasField("metadata"):
                    kind.CopyFrom(value.metadata)
                if kind.plugin_data.plugin_name == hparams_plugin:
                    plugin_data.setdefault(value.tag, kind.plugin_data.content)
                elif kind.data_class == scalar:
                    _append_scalar(rows, run, value.tag, event, to_array(value.tensor))
    return plugin_data


def _append_scalar(rows, run, tag, event, number):
    """One row per scalar tensor (a tensor of another size is not a scalar)."""
    if number.size == 1:
        number = float(number.reshape(-1)[0])
        rows.append((run, tag, event.step, number, event.wall_time))
