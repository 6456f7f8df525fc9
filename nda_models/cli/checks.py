"""What ``nda train``, ``nda tune`` and ``nda demo`` check before TensorFlow loads.

``main`` calls a command's ``check(args)`` first and imports TensorFlow only
if it passes, so a bad value is refused in a fraction of a second instead of
after TensorFlow's start-up: the model's name, every training option's range
(the constraints the Trainer and the builders use, read from their TF-free
tables), options that need another, the data (built-in and ``csv:`` data are
loaded here, which needs no TensorFlow; ``tfds:`` data later) and its task,
and every output place. Nothing here imports TensorFlow.

Example:
    >>> check_places(("--out", "saved_models/perceptron"), (("--logdir", "runs"),))
"""

import pathlib

from nda_models.cli import arguments
from nda_models.core.constraints import SEED
from nda_models.core.output_locations import check_output_folder
from nda_models.data.registry import dataset_spec
from nda_models.export.write.atomic import check_bundle_location
from nda_models.training.loop.optimizers import MOMENTUM
from nda_models.training.loop.schedules import LEARNING_RATE, POWER, TAU
from nda_models.workflows.train import check_compatible
from nda_models.zoo.hparams import FRACTION, NON_NEGATIVE
from nda_models.zoo.registry import describe_model, list_models

_FLAGS = {"hidden_units": "--hidden", "activation": "--activation",
          "dropout": "--dropout", "l2": "--l2"}  # fmt: skip


def check_training(args, *, grid=False):
    """The model, the training options and the builder's hyper-parameters.

    Raises:
        ValueError, TypeError: naming the option, as the Trainer or the
            builder would after TensorFlow loads.
    """
    spec = describe_model(args.name)  # an unknown name, with a suggestion
    SEED.check("seed", args.seed)
    overrides = arguments.training_overrides(args, grid=grid)  # needs another
    ranges = {"learning_rate": LEARNING_RATE, "momentum": MOMENTUM, "tau": TAU,
              "power": POWER}  # fmt: skip
    for name, constraint in ranges.items():
        if name in overrides:
            constraint.check(name, overrides[name])
    _check_hparams(spec, arguments.model_hparams(args))


def _check_hparams(spec, hparams):
    unused = [name for name in hparams if name not in spec.hparams]
    if unused:
        flags = ", ".join(_FLAGS[name] for name in unused)
        usable = [flag for name, flag in _FLAGS.items() if name in spec.hparams]
        takes = ", ".join(usable) or "none of " + ", ".join(_FLAGS.values())
        given = " ".join(f"{_FLAGS[name]} {_show(hparams[name])}" for name in unused)
        raise ValueError(
            f"{flags}: not a hyper-parameter of {spec.name} (it takes {takes}). "
            f"Drop it. Received: {given}"
        )
    if "dropout" in hparams:
        FRACTION.check("dropout", hparams["dropout"])
    if "l2" in hparams:
        NON_NEGATIVE.check("l2", hparams["l2"])


def _show(value):
    return ",".join(map(str, value)) if isinstance(value, tuple) else str(value)


def check_data(args):
    """Loads ``--dataset`` now when that needs no TensorFlow; checks its task.

    The loaded ``Dataset`` (or ``None``: the recipe's, or ``tfds:`` data
    loaded later) is kept as ``args.loaded_dataset`` for the command's run.
    """
    args.loaded_dataset = None
    name = args.dataset or ""
    if name.startswith("tfds:"):
        return
    if name and ":" not in name:  # built-in: its task is declared, no loading
        check_compatible(args.name, dataset_spec(name))
    dataset = arguments.load_data(args)
    if dataset is not None:
        check_compatible(args.name, dataset)
    args.loaded_dataset = dataset


def dataset_of(args):
    """The dataset ``check_data`` loaded, else loaded now."""
    if getattr(args, "loaded_dataset", None) is not None:
        return args.loaded_dataset
    return arguments.load_data(args)


def check_places(bundle=None, folders=()):
    """The bundle place and output folders can be written (options named)."""
    if bundle is not None:
        check_bundle_location(bundle[1], bundle[0])
    for option, path in folders:
        check_output_folder(path, option)


def check_demo_places(saved_models, logdir):
    """Every bundle ``nda demo`` writes, and its TensorBoard root."""
    for name in list_models():
        check_bundle_location(pathlib.Path(saved_models) / name, "--saved-models")
    check_output_folder(logdir, "--logdir")
