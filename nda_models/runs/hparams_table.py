"""The HParams of the runs as one table: a row per session, as the HParams tab.

A session is a run that holds the hparams plugin's ``session_start_info``
(written by ``hp.hparams(...)``, e.g. one per (η, M) pair of ``nda tune``).
Its row has the hyper-parameter values and the metrics: those the
experiment declares (``hp.hparams_config``, found in the session's run or the
nearest folder above it), else every scalar of the session's run and its
sub-runs. A metric's value is the last one logged (the largest step), as
the HParams tab shows it; its column is ``group/tag`` (``validation/epoch_loss``)
or ``tag`` when it is logged in the session's run itself. A declared metric
that no session logged (``val_accuracy`` of a regressor) is left out.

Example:
    >>> hparams_table({}, {}).columns.tolist()
    ['run']
"""

import math
import pathlib

from nda_models.core.lazy_module import lazy_module

api_pb2 = lazy_module("tensorboard.plugins.hparams.api_pb2")
metadata = lazy_module("tensorboard.plugins.hparams.metadata")
pd = lazy_module("pandas")

SESSION_START = "_hparams_/session_start_info"
SESSION_END = "_hparams_/session_end_info"
EXPERIMENT = "_hparams_/experiment"


def hparams_table(plugin_data, last_values):
    """Returns the HParams DataFrame, one row per session, sorted by run.

    Args:
        plugin_data: ``{run: {tag: hparams plugin content (bytes)}}``.
        last_values: ``{(run, tag): last scalar value}``.

    Returns:
        A ``pandas.DataFrame``: ``run``, the hyper-parameters (a numeric one
        whose values are all whole numbers, such as a batch size, as
        integers), the metrics, and ``status`` when a session logged its end.
    """
    experiments = {
        run: metadata.parse_experiment_plugin_data(data[EXPERIMENT])
        for run, data in plugin_data.items()
        if EXPERIMENT in data
    }
    rows, names, metrics = [], [], []
    for run, data in sorted(plugin_data.items()):
        if SESSION_START not in data:
            continue
        start = metadata.parse_session_start_info_plugin_data(data[SESSION_START])
        experiment = _experiment_of(run, experiments)
        order = [h.name for h in experiment.hparam_infos] if experiment else []
        values = {k: _plain(v) for k, v in start.hparams.items()}
        values = {k: values[k] for k in sorted(values, key=order_of(order))}
        found = _metrics(run, experiment, last_values)
        row = {"run": run, **values, **found}
        if SESSION_END in data:
            end = metadata.parse_session_end_info_plugin_data(data[SESSION_END])
            row["status"] = _status(end.status)
        names += [k for k in values if k not in names]
        metrics += [k for k in found if k not in metrics]
        rows.append(row)
    frame = pd.DataFrame(rows, columns=_columns(rows, names, metrics))
    frame = frame.drop(columns=[m for m in metrics if frame[m].isna().all()])
    for name in names:
        if _whole_numbers(frame[name]):
            frame[name] = frame[name].astype("int64")
    return frame


def order_of(order):
    """Sort key: the experiment's order first, then by name."""
    return lambda name: (order.index(name) if name in order else len(order), name)


def _columns(rows, names, metrics):
    status = ["status"] if any("status" in row for row in rows) else []
    return ["run", *names, *[m for m in metrics if m not in names], *status]


def _experiment_of(run, experiments):
    """The experiment of ``run``'s folder or of the nearest folder above it."""
    path = pathlib.PurePosixPath(run)
    for folder in (path, *path.parents):
        key = folder.as_posix()
        if key in experiments:
            return experiments[key]
    return None


def _metrics(run, experiment, last_values):
    """``{column: last value}`` of the session's metrics (NaN if never logged)."""
    if experiment is not None:
        found = {}
        for info in experiment.metric_infos:
            group, tag = info.name.group, info.name.tag
            where = _join(run, group)
            column = f"{group}/{tag}" if group else tag
            found[column] = last_values.get((where, tag), math.nan)
        return found
    found = {}
    for (where, tag), value in sorted(last_values.items()):
        group = _relative(where, run)
        if group is not None:
            found[f"{group}/{tag}" if group else tag] = value
    return found


def _join(run, group):
    if not group:
        return run
    return group if run == "." else f"{run}/{group}"


def _relative(where, run):
    """``where`` relative to ``run`` ("" for the run itself), or None outside it."""
    if where == run:
        return ""
    prefix = "" if run == "." else f"{run}/"
    return where[len(prefix) :] if where.startswith(prefix) else None


def _plain(value):
    """A ``google.protobuf.Value`` as a Python number, string or bool."""
    kind = value.WhichOneof("kind")
    if kind == "number_value":
        return value.number_value
    if kind == "string_value":
        return value.string_value
    if kind == "bool_value":
        return value.bool_value
    return None


def _status(code):
    return api_pb2.Status.Name(code).removeprefix("STATUS_").lower()


def _whole_numbers(column):
    values = column.tolist()
    return bool(values) and all(
        isinstance(v, float) and v.is_integer() and not isinstance(v, bool)
        for v in values
    )
