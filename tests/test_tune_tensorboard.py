"""``nda tune`` in TensorBoard: a run per (η, M) pair, HParams with integer M."""

import numpy as np
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import plugin_data_pb2

from nda_models.workflows import tune


def _plugin_data(folder, tag):
    events = EventAccumulator(str(folder), size_guidance={"tensors": 0})
    events.Reload()
    content = events.SummaryMetadata(tag).plugin_data.content
    return plugin_data_pb2.HParamsPluginData.FromString(content)


def test_each_pair_has_epoch_curves_and_hparams_declare_integer_batch_sizes(
    tmp_path, capsys
):
    result = tune(
        "linear_regressor",
        learning_rates=[0.01, 0.05],
        batch_sizes=[16, 64],
        epochs=3,
        logdir=tmp_path / "runs",
        verbose=1,
    )
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and lines[0].startswith("[1/4] lr=0.01 M=16 - ")
    assert all(" - val_loss: " in line for line in lines)
    (root,) = (tmp_path / "runs" / "linear_regressor").glob("*/tune")
    for row in result.table.itertuples():
        run = root / f"lr={row.learning_rate:g},M={row.batch_size}"
        for side in ("train", "validation"):
            events = EventAccumulator(str(run / side), size_guidance={"tensors": 0})
            events.Reload()
            assert [e.step for e in events.Tensors("epoch_loss")] == [0, 1, 2]
        session = _plugin_data(run, "_hparams_/session_start_info")
        values = session.session_start_info.hparams
        assert values["batch_size"].number_value == row.batch_size
        assert float(values["batch_size"].number_value).is_integer()
    experiment = _plugin_data(root, "_hparams_/experiment").experiment
    domains = {h.name: list(h.domain_discrete) for h in experiment.hparam_infos}
    assert domains["batch_size"] == [16, 64]
    np.testing.assert_allclose(domains["learning_rate"], [0.01, 0.05])
    metrics = {(m.name.group, m.name.tag) for m in experiment.metric_infos}
    assert ("validation", "epoch_loss") in metrics
