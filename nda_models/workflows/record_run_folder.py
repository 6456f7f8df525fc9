"""The Keras callback that records a run's TensorBoard folder (see run_folder.py)."""

import json
import pathlib

import keras

from nda_models.core.atomic_file import atomic_path
from nda_models.workflows.run_folder import RECORD, absolute_path


class RecordRunFolder(keras.callbacks.Callback):
    """Writes the run folder into the checkpoint folder when training starts.

    At ``on_train_begin`` the Trainer holds the checkpoint folder (a run
    refused there never reaches this point, so it cannot overwrite another
    run's record).
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
        with atomic_path(self.path) as temp:
            pathlib.Path(temp).write_text(text)
