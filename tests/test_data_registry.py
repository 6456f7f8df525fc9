"""The data set registry: one table, filled by ``register_dataset``.

A contract test over every registered data set (as timm's over every model):
its declared task is what it loads. A data set registered in a test is
listed, described, loaded with the options its function takes, and refused
with the same messages as the built-ins.
"""

import numpy as np
import pytest

import nda_models as nda
from nda_models.cli import main
from nda_models.data import (
    dataset_spec,
    describe_dataset,
    list_datasets,
    load_dataset,
    register_dataset,
)
from nda_models.data import registry as dataset_registry
from nda_models.data.table import Table


@pytest.fixture
def isolated_datasets():
    saved = dict(dataset_registry._DATASETS)
    yield
    dataset_registry._DATASETS.clear()
    dataset_registry._DATASETS.update(saved)


@pytest.mark.parametrize("name", list_datasets())
def test_every_registered_dataset_loads_its_declared_task(name):
    spec = dataset_spec(name)
    ds = load_dataset(name)
    assert ds.task == spec.task and ds.info["summary"] == spec.summary
    assert describe_dataset(name) == spec.summary
    assert name in list_datasets(task=spec.task)


def test_tasks_filter_the_list():
    assert list_datasets(task="binary") == ["breast_cancer", "iris_setosa"]
    assert list_datasets("*i*", task="multiclass") == ["digits", "iris", "wine"]
    with pytest.raises(ValueError, match="Unknown task"):
        list_datasets(task="clustering")


def _ramp(*, n=6, slope=2.0, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 1)).astype(np.float32)
    return Table(x, (slope * x[:, 0]).astype(np.float32), ("x",), None, "regression")


def test_a_registered_dataset_is_listed_loaded_and_checked(isolated_datasets):
    register_dataset("ramp", task="regression", summary="y = slope * x")(_ramp)
    assert "ramp" in list_datasets() and describe_dataset("ramp") == "y = slope * x"
    assert dataset_spec("ramp").options == ("n", "slope")
    ds = load_dataset("ramp", n=20, slope=-1.0, seed=3, test_size=0.25, val_size=0.25)
    x, y = ds.split("train")
    np.testing.assert_allclose(y, -x[:, 0])
    rows = np.sort(np.concatenate([ds.x_train, ds.x_val, ds.x_test])[:, 0])
    expected = np.random.default_rng(3).normal(size=20).astype(np.float32)
    np.testing.assert_array_equal(rows, np.sort(expected))  # the seed reached it
    with pytest.raises(ValueError, match=r"option 'slop'.*Did you mean 'slope'"):
        load_dataset("ramp", slop=1.0)
    with pytest.raises(ValueError, match=r"dataset 'rmp'\. Did you mean 'ramp'"):
        load_dataset("rmp")


def test_registration_refuses_what_cannot_work(isolated_datasets):
    with pytest.raises(ValueError, match="Unknown task"):
        register_dataset("a", task="ranking", summary="")
    with pytest.raises(ValueError, match=r"without ':'.*Received: name='csv:x'"):
        register_dataset("csv:x", task="regression", summary="")
    with pytest.raises(TypeError, match=r"needs a default.*\['n'\] without"):
        register_dataset("b", task="regression", summary="")(lambda n: None)
    with pytest.raises(ValueError, match=r"'iris' is already registered by .*iris"):
        register_dataset("iris", task="regression", summary="")(_ramp)
    register_dataset("wrong", task="binary", summary="says binary")(_ramp)
    with pytest.raises(RuntimeError, match=r"registered as 'binary' but .*regression"):
        load_dataset("wrong")


def test_csv_and_tfds_options_are_their_readers_keywords():
    from nda_models.data.csv_file import load_csv
    from nda_models.data.load import CSV_OPTIONS, TFDS_OPTIONS

    assert CSV_OPTIONS == tuple(load_csv.__kwdefaults__)
    assert TFDS_OPTIONS == ("data_dir",)


def test_the_command_line_lists_the_registered_names(capsys):
    with pytest.raises(SystemExit):
        main(["datasets", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "(" + ", ".join(nda.list_datasets()) + ")" in help_text
