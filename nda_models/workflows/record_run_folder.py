"""The Keras callback that records a run's TensorBoard folder (see run_folder.py)."""

import json
import os
import pathlib

import keras

from nda_models.core.atomic_file import atomic_path
from nda_models.workflows.run_folder import RECORD, absolute_path, is_record


class RecordRunFolder(keras.callbacks.Callback):
    """Writes the run folder into the checkpoint folder when training starts.

    At ``on_train_begin`` the Trainer holds the checkpoint folder (a run
    refused there never reaches this point, so it cannot overwrite another
    run's record). A file of that name that is no such record is a user's,
    and is refused, not replaced.
    """

    def __init__(self, checkpoint_dir, logdir, model_name, log_dir):
        super().__init__()
        self.path = pathlib.Path(checkpoint_dir) / RECORD
        relative = pathlib.Path(log_dir).relative_to(pathlib.Path(logdir) / model_name)
        self.record = {"logdir": absolute_path(logdir), "model": model_name,
                       "run": relative.as_posix()}  # fmt: skip

    def on_train_begin(self, logs=None):
        text = json.dumps(self.record, indent=2) + "\n"
        if self.path.is_file() and self.path.read_text() == text:
            return
        if os.path.lexists(self.path) and not is_record(self.path):
            raise RuntimeError(
                f"{self.path} is not the TensorBoard run record of nda_models (a "
                "JSON object of logdir, model and run), so it is someone's file: it "
                "is not replaced. Move or rename it, or pass another checkpoint "
                f"folder. Received: checkpoint_dir={str(self.path.parent)!r}"
            )
        with atomic_path(self.path) as temp:
            pathlib.Path(temp).write_text(text)
