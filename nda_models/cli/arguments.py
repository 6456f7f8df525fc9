"""Argument types and option groups shared by ``nda train`` and ``nda tune``."""

import argparse

from nda_models.options import ACTIVATIONS, OPTIMIZERS, SAMPLINGS, SCHEDULES
from nda_models.workflows.recipes import RECIPES


def positive_int(text):
    """argparse type: an integer >= 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text!r}")
    return value


def positive_float(text):
    """argparse type: a finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}")
    return value


def hidden_units(text):
    """argparse type: ``"64,32"`` -> (64, 32)."""
    try:
        units = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        units = ()
    if not units or min(units) < 1:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated layer sizes such as 64,32, got {text!r}"
        )
    return units


def add_model_and_data(parser):
    """NAME, --dataset, --target, --seed."""
    parser.add_argument("name", help="model, see `nda list`")
    parser.add_argument(
        "--dataset",
        help="built-in name, csv:PATH or tfds:NAME (default: the model's lecture "
        "dataset: "
        + ", ".join(f"{m}={r['dataset']}" for m, r in RECIPES.items())
        + ")",
    )
    parser.add_argument("--target", help="target column of a csv: dataset")
    parser.add_argument("--seed", type=int, default=0, help="seed (default 0)")


def add_training(parser, *, grid=False):
    """Trainer options; ``grid`` leaves out what ``nda tune`` searches."""
    group = parser.add_argument_group("training (defaults: the model's recipe)")
    group.add_argument("--epochs", type=positive_int)
    if not grid:
        group.add_argument("--batch-size", type=positive_int)
        group.add_argument("--learning-rate", type=positive_float)
    group.add_argument("--optimizer", choices=OPTIMIZERS)
    group.add_argument("--sampling", choices=SAMPLINGS)
    group.add_argument("--schedule", choices=SCHEDULES)
    group.add_argument(
        "--no-normalize",
        dest="normalize",
        action="store_false",
        default=None,
        help="do not standardise inputs inside the model",
    )
    model = parser.add_argument_group("model hyper-parameters (MLPs)")
    model.add_argument("--hidden", type=hidden_units, metavar="64,32")
    model.add_argument("--activation", choices=ACTIVATIONS)
    model.add_argument("--dropout", type=float)
    model.add_argument("--l2", type=float)


def training_overrides(args, *, grid=False):
    """The Trainer/recipe overrides the user gave (others stay at the recipe)."""
    keys = ["epochs", "optimizer", "sampling", "schedule", "normalize"]
    if not grid:
        keys += ["batch_size", "learning_rate"]
    return {key: getattr(args, key) for key in keys if getattr(args, key) is not None}


def model_hparams(args):
    """Builder hyper-parameters given on the command line."""
    names = {
        "hidden": "hidden_units",
        "activation": "activation",
        "dropout": "dropout",
        "l2": "l2",
    }
    return {
        hp: getattr(args, arg)
        for arg, hp in names.items()
        if getattr(args, arg) is not None
    }


def load_data(args):
    """Loads ``--dataset`` (with ``--target`` for CSV files), or None for the recipe."""
    if args.dataset is None:
        return None
    from nda_models.data import load_dataset

    options = {"target": args.target} if args.target else {}
    return load_dataset(args.dataset, seed=args.seed, **options)
