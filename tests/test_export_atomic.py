"""Atomic bundle writes: a failed or killed save never damages the bundle in place."""

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import nda_models
from nda_models.export import load_model, save_model
from nda_models.export.write import atomic

X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.25]], dtype=np.float32)


def _linear(k):
    """linear_regressor with weights (k, k) and bias -k: y = k·(x1 + x2 - 1)."""
    model = nda_models.build_model("linear_regressor", input_dim=2)
    model.set_weights([np.full((2, 1), k, np.float32), np.array([-k], np.float32)])
    return model


def _check_bundle(path):
    """Loads the bundle and checks it against the NumPy oracle of its iteration."""
    bundle = load_model(path)
    k = bundle.metadata["iteration"]
    np.testing.assert_array_equal(bundle.predict(X), k * (X.sum(axis=1) - 1.0))
    return k


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if ".nda-" in p.name)


def _dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_failed_write_keeps_the_old_bundle_and_cleans_up(tmp_path):
    path = save_model(_linear(1.0), tmp_path / "b", iteration=1.0)

    def explode(folder):
        (folder / "model.keras").write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        atomic.write_atomically(path, explode)
    assert _check_bundle(path) == 1.0
    assert _leftovers(tmp_path) == []


def test_stale_temporary_folders_of_dead_saves_are_removed(tmp_path):
    path = save_model(_linear(1.0), tmp_path / "b", iteration=1.0)
    dead = tmp_path / f".b.nda-tmp-{_dead_pid()}-abc"
    (dead / "saved_model").mkdir(parents=True)
    alive = tmp_path / f".b.nda-tmp-{os.getpid()}-xyz"
    alive.mkdir()
    save_model(_linear(2.0), path, iteration=2.0)
    assert _leftovers(tmp_path) == [alive.name]  # a running save is left alone
    assert _check_bundle(path) == 2.0


def test_an_old_bundle_set_aside_by_a_dead_save_is_restored(tmp_path):
    path = save_model(_linear(3.0), tmp_path / "b", iteration=3.0)
    aside = tmp_path / f".b.nda-old-{_dead_pid()}-abc"
    aside.mkdir()
    os.rename(path, aside / "bundle")  # the save died between its two renames
    atomic.remove_stale(path)
    assert _check_bundle(path) == 3.0
    assert _leftovers(tmp_path) == []


def test_replacement_without_renameat2_still_works(tmp_path, monkeypatch):
    path = save_model(_linear(1.0), tmp_path / "b", iteration=1.0)
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    save_model(_linear(4.0), path, iteration=4.0)
    assert _check_bundle(path) == 4.0
    assert _leftovers(tmp_path) == []


# Saves bundles with weights k, k, k+1, ... in a loop until it is killed.
_SAVER = textwrap.dedent(
    """
    import sys
    import numpy as np
    import nda_models
    from nda_models.export import save_model

    path, k = sys.argv[1], float(sys.argv[2])
    model = nda_models.build_model("linear_regressor", input_dim=2)
    print("ready", flush=True)
    while True:
        k += 1.0
        model.set_weights([np.full((2, 1), k, np.float32), np.array([-k], np.float32)])
        save_model(model, path, iteration=k)
    """
)


def _plant_user_files(path):
    """Files of the user's inside the bundle folder, which every save keeps."""
    (path / "ckpt").mkdir()
    (path / "ckpt" / "ckpt-1.index").write_bytes(b"checkpoint index")
    (path / "notes.txt").write_text("my notes")
    return _user_files(path)


def _user_files(path):
    return {
        name: (path / name).read_bytes()
        for name in ("ckpt/ckpt-1.index", "notes.txt")
        if (path / name).is_file()
    }


def _kill_savers(tmp_path, kills, seed):
    """SIGKILLs a saving subprocess ``kills`` times at random moments; the
    bundle in place is always complete and the user's files always there."""
    rng = random.Random(seed)
    path = save_model(_linear(0.0), tmp_path / "bundle", iteration=0.0)
    mine = _plant_user_files(path)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    previous = 0.0
    for round_ in range(kills):
        start = 1000.0 * (round_ + 1)
        saver = subprocess.Popen(
            [sys.executable, "-c", _SAVER, str(path), str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
        )
        assert saver.stdout.readline().strip() == "ready"
        saver.stdout.close()
        # One save takes a few tenths of a second: land anywhere in 1-4 of them.
        time.sleep(rng.uniform(0.0, 1.2))
        os.kill(saver.pid, signal.SIGKILL)
        saver.wait()
        k = _check_bundle(path)  # the bundle in place is complete and consistent
        assert k == previous or start < k < start + 1000.0
        assert _user_files(path) == mine  # at their place at every kill
        previous = k
    save_model(_linear(-1.0), path, iteration=-1.0)
    assert _leftovers(tmp_path) == []
    assert _check_bundle(path) == -1.0
    assert _user_files(path) == mine


def test_killed_saves_never_damage_the_bundle_quick(tmp_path):
    _kill_savers(tmp_path, kills=3, seed=1)


@pytest.mark.slow
def test_killed_saves_never_damage_the_bundle_twenty_times(tmp_path):
    _kill_savers(tmp_path, kills=20, seed=2)
