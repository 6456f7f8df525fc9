"""nda_models: a Keras 3 model zoo and readable training loop for the NDA lecture.

Importing the package registers the zoo without importing TensorFlow; the
names that need TensorFlow (``Trainer``, the callbacks, ``backprop_trace``)
are imported on first use. It leaves the process alone: no environment
variable, logger level, import hook or matplotlib backend is changed
(``nda.quiet_tensorflow()`` keeps TensorFlow's start-up lines off the
terminal, for programs that want that).

Example:
    >>> import nda_models as nda
    >>> nda.list_models()
    ['linear_regressor', 'logistic_neuron', 'mlp_classifier', 'mlp_regressor',
     'perceptron', 'softmax_classifier']
    >>> ds = nda.load_dataset("iris_setosa")
    >>> model = nda.build_model("perceptron", input_dim=ds.input_dim)
    >>> history = nda.Trainer(model, batch_size=1).fit(ds.x_train, ds.y_train, epochs=5)
"""

import importlib

from nda_models import zoo as _zoo  # noqa: F401 - registers the zoo
from nda_models.autodiff import lecture_example
from nda_models.core.quiet_tensorflow import quiet_tensorflow
from nda_models.data import (
    Dataset,
    csv_normalization,
    describe_dataset,
    list_datasets,
    load_dataset,
    stream_csv,
)
from nda_models.export import LoadedModel, load_model, save_model
from nda_models.runs import read_runs
from nda_models.training.diverged_error import TrainingDivergedError
from nda_models.zoo.registry import (
    ModelSpec,
    build_model,
    describe_model,
    list_models,
    register_model,
)

__version__ = "0.1.0"

# Imported on first access (PEP 562): these import TensorFlow.
_LAZY = {
    "Trainer": "nda_models.training",
    "RobbinsMonro": "nda_models.training",
    "ValidationLossTracker": "nda_models.training",
    "ModelExport": "nda_models.training",
    "IterationTable": "nda_models.training",
    "backprop_trace": "nda_models.training",
    "BackpropTrace": "nda_models.training",
}

__all__ = [
    "BackpropTrace",
    "Dataset",
    "IterationTable",
    "LoadedModel",
    "ModelExport",
    "ModelSpec",
    "RobbinsMonro",
    "Trainer",
    "TrainingDivergedError",
    "ValidationLossTracker",
    "backprop_trace",
    "build_model",
    "csv_normalization",
    "describe_dataset",
    "describe_model",
    "lecture_example",
    "list_datasets",
    "list_models",
    "load_dataset",
    "load_model",
    "quiet_tensorflow",
    "read_runs",
    "register_model",
    "save_model",
    "stream_csv",
]


def __getattr__(name):
    if name in ("sklearn", "exercises"):  # nda.sklearn.NDAClassifier, nda.exercises
        return importlib.import_module(f"nda_models.{name}")
    if name not in _LAZY:
        raise AttributeError(f"module 'nda_models' has no attribute {name!r}")
    return getattr(importlib.import_module(_LAZY[name]), name)


def __dir__():
    return sorted([*globals(), *__all__])
