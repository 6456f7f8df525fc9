"""Checkpoint folders under attack: user files, damaged checkpoints, odd states.

Each test is a defect found by an adversarial run (issue 12); each failed
before its fix. The checkpoint folder is the user's: only what TensorFlow's
checkpoint writer or this package created may ever be removed from it.
"""

import os
import tempfile
import uuid

import numpy as np

import nda_models as nda
from nda_models.training import Trainer


def _data(n=96, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int32) + (x[:, 2] > 1).astype(np.int32)
    return x, y


def _trainer(checkpoint_dir, **options):
    model = nda.build_model(
        "mlp_classifier", input_dim=3, num_classes=3, hidden_units=(5,), seed=0
    )
    return Trainer(
        model, optimizer="momentum", learning_rate=0.05, batch_size=16, seed=2,
        checkpoint_dir=checkpoint_dir, **options,
    )  # fmt: skip


def _real_shard_folder(folder):
    """Writes what TensorFlow's sharded save writes before merging (then killed)."""
    import tensorflow as tf
    from tensorflow.python.ops import gen_io_ops

    prefix = gen_io_ops.sharded_filename(str(folder / "part"), 0, 1).numpy().decode()
    tf.raw_ops.SaveV2(
        prefix=prefix, tensor_names=["w"], shape_and_slices=[""],
        tensors=[tf.constant([1.0])],
    )  # fmt: skip


USER_FILES = [
    "report_temp.docx",
    "results_template.csv",
    "backup.tmp.csv",
    "notes.tmp",
    "ckpt-1_temp.txt",
    "checkpoint.tmp",
    "checkpoint.tmp-mine",
    "run_signature.tmp.json",
    "ckpt-2.index.tempstate-old",
]


def test_clean_up_removes_only_real_temporaries_and_no_user_file(tmp_path):
    x, y = _data()
    _trainer(tmp_path).fit(x, y, epochs=1)
    for name in USER_FILES:
        (tmp_path / name).write_text("user data")
    user_folders = {
        "my_templates": ["a.txt"],
        "ckpt-5_temp": ["thesis.tex"],  # TF's folder name, but the user's content
        "data.tmp": ["b.csv"],
    }
    for folder, files in user_folders.items():
        (tmp_path / folder).mkdir()
        for name in files:
            (tmp_path / folder / name).write_text("user data")
    # What killed writers really leave:
    _real_shard_folder(tmp_path / "ckpt-9_temp")
    state_temp = f"checkpoint.tmp{uuid.uuid4().hex}"
    (tmp_path / state_temp).write_text("half")
    (tmp_path / "ckpt-2.index.tempstate1234567890123").write_bytes(b"half")
    handle, ours = tempfile.mkstemp(
        prefix=".run_signature.", suffix=".tmp.json", dir=tmp_path
    )
    os.close(handle)

    _trainer(tmp_path).fit(x, y, epochs=2)

    names = set(os.listdir(tmp_path))
    for gone in (
        "ckpt-9_temp", state_temp, "ckpt-2.index.tempstate1234567890123",
        os.path.basename(ours),
    ):  # fmt: skip
        assert gone not in names, gone
    for name in USER_FILES:
        assert (tmp_path / name).read_text() == "user data", name
    for folder, files in user_folders.items():
        for name in files:
            assert (tmp_path / folder / name).read_text() == "user data", folder
    assert "ckpt-2.index" in names


def test_clean_up_never_follows_a_symlinked_temp_folder(tmp_path):
    x, y = _data()
    outside = tmp_path / "outside"
    _real_shard_folder(outside)  # looks like TF's, but lives elsewhere
    run = tmp_path / "run"
    run.mkdir()
    (run / "ckpt-3_temp").symlink_to(outside, target_is_directory=True)
    _trainer(run).fit(x, y, epochs=1)
    assert len(list(outside.iterdir())) == 2
    assert (run / "ckpt-3_temp").is_symlink()
