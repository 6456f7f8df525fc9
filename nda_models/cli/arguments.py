"""Argument types and option groups shared by ``nda train`` and ``nda tune``."""

import argparse

import nda_models
from nda_models.data import load_dataset
from nda_models.training.loop.optimizers import OPTIMIZERS
from nda_models.training.loop.sampling_methods import SAMPLINGS
from nda_models.training.loop.schedules import SCHEDULES
from nda_models.workflows.recipes import RECIPES, recipe_for, training_defaults
from nda_models.zoo.activations import ACTIVATIONS


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


RECIPE_DEFAULT = "the model's recipe; `nda train NAME --help` shows it"
_DATASET_HELP = "built-in name, csv:PATH or tfds:NAME"


def add_model_and_data(parser):
    """NAME, --dataset, --target, --seed, --val-size, --test-size."""
    parser.add_argument("name", help="model, see `nda list`")
    data = parser.add_argument_group("data")
    data.add_argument(
        "--dataset",
        metavar="DS",
        help=_DATASET_HELP
        + " (default: the model's lecture dataset: "
        + ", ".join(f"{m}={r['dataset']}" for m, r in RECIPES.items())
        + ")",
    )
    data.add_argument(
        "--target",
        metavar="COL",
        help="target column of a csv: dataset (default: the last column)",
    )
    data.add_argument(
        "--val-size",
        type=fraction,
        metavar="F",
        help="fraction of the rows for validation (default: 0.2)",
    )
    data.add_argument(
        "--test-size",
        type=fraction,
        metavar="F",
        help="fraction of the rows for the test split (default: 0.2)",
    )
    data.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="seed of the split, the weights and the sampling (default: 0)",
    )


def add_training(parser, *, grid=False):
    """Trainer options; ``grid`` leaves out what ``nda tune`` searches."""
    group = parser.add_argument_group(
        "training",
        f"Defaults: the model's recipe; `{parser.prog} NAME --help` shows them.",
    )
    group.add_argument(
        "--epochs", type=positive_int, metavar="N", help="passes over the data"
    )
    if not grid:
        group.add_argument(
            "--batch-size", type=positive_int, metavar="M", help="mini-batch size M"
        )
        group.add_argument(
            "--learning-rate",
            type=positive_float,
            metavar="ETA",
            help="step size η (η0 of a schedule)",
        )
    group.add_argument("--optimizer", choices=OPTIMIZERS, help="update rule")
    group.add_argument(
        "--momentum", type=float, metavar="MU", help="μ of --optimizer momentum"
    )
    group.add_argument(
        "--sampling",
        choices=SAMPLINGS,
        help="mini-batches without (permutation) or with (uniform) replacement",
    )
    group.add_argument(
        "--schedule",
        choices=SCHEDULES,
        help="η_t = η0 / (1 + t/τ)^p for robbins_monro",
    )
    group.add_argument(
        "--tau", type=positive_float, metavar="T", help="τ of robbins_monro"
    )
    group.add_argument(
        "--power", type=float, metavar="P", help="p of robbins_monro, in (0.5, 1]"
    )
    group.add_argument(
        "--no-normalize",
        dest="normalize",
        action="store_false",
        default=None,
        help="do not standardise inputs inside the model",
    )
    _add_model_hparams(parser)
    show_defaults(parser, None)


def _add_model_hparams(parser):
    """--hidden, --activation, --dropout, --l2 (the MLP builders')."""
    model = parser.add_argument_group(
        "model hyper-parameters (MLPs)", "Defaults: the builder's."
    )
    model.add_argument(
        "--hidden", type=hidden_units, metavar="64,32", help="units per hidden layer"
    )
    model.add_argument("--activation", choices=ACTIVATIONS, help="hidden activation")
    model.add_argument(
        "--dropout", type=float, metavar="RATE", help="dropout after each hidden layer"
    )
    model.add_argument(
        "--l2", type=float, metavar="LAMBDA", help="L2 penalty on the weights"
    )


# Option dest -> where its default comes from, for show_defaults.
_HPARAM_OPTIONS = {"hidden": "hidden_units", "activation": "activation",
                   "dropout": "dropout", "l2": "l2"}  # fmt: skip


def show_defaults(parser, model_name):
    """Writes each training option's default into its help text.

    Without a model name the defaults read "the model's recipe"; with one
    (``nda train NAME --help``) they are that model's recipe values
    (``workflows/recipes.py``) and its builder's hyper-parameters.
    """
    values, source = {}, RECIPE_DEFAULT
    if model_name is not None:
        values = training_defaults(model_name)
        hparams = nda_models.describe_model(model_name).defaults
        values.update({arg: hparams[hp] for arg, hp in _HPARAM_OPTIONS.items()
                       if hp in hparams})  # fmt: skip
        source = f"{model_name}'s recipe"
    for action in parser._actions:
        if action.dest not in (*TRAINING_KEYS, *_HPARAM_OPTIONS, "dataset"):
            continue
        text = getattr(action, "_base_help", None)
        if text is None:
            text = action._base_help = action.help or ""
        if action.dest == "dataset":
            if model_name is not None:
                action.help = _DATASET_HELP + f" (default: {values['dataset']})"
            continue
        if action.dest in _HPARAM_OPTIONS:
            default = values.get(action.dest, "the builder's, see `nda describe NAME`")
            if model_name is not None and action.dest not in values:
                default = f"not used by {model_name}"
        else:
            default = values.get(action.dest, source)
            if action.dest == "normalize" and model_name is not None:
                default = f"normalize={values['normalize']}"
        action.help = f"{text} (default: {_show(default)})".lstrip()


def _show(value):
    if isinstance(value, tuple | list):
        return ",".join(str(v) for v in value)
    return str(value).replace("%", "%%")


class RecipeHelp(argparse.Action):
    """``-h/--help`` that shows the recipe of the NAME given before it."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, **kwargs):
        kwargs.setdefault("help", "show this help message and exit")
        super().__init__(option_strings, dest=dest, nargs=0, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        name = getattr(namespace, "name", None)
        if name in nda_models.list_models():
            show_defaults(parser, name)
        parser.print_help()
        parser.exit()


def fraction(text):
    """argparse type: a number strictly between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(
            f"expected a fraction between 0 and 1 such as 0.2, got {text!r}"
        )
    return value


TRAINING_KEYS = ("epochs", "batch_size", "learning_rate", "optimizer", "momentum",
                 "sampling", "schedule", "tau", "power", "normalize")  # fmt: skip


def training_overrides(args, *, grid=False):
    """The Trainer/recipe overrides the user gave (others stay at the recipe).

    Raises:
        ValueError: ``--momentum`` without ``--optimizer momentum``, or
            ``--tau``/``--power`` without ``--schedule robbins_monro``.
    """
    _check_needs(args, "momentum", "optimizer", "momentum")
    _check_needs(args, "tau", "schedule", "robbins_monro")
    _check_needs(args, "power", "schedule", "robbins_monro")
    keys = [k for k in TRAINING_KEYS if not (grid and k in GRID_KEYS)]
    return {key: getattr(args, key) for key in keys if getattr(args, key) is not None}


GRID_KEYS = ("batch_size", "learning_rate")


def _check_needs(args, option, needed, value):
    """Refuses ``--option`` unless ``--needed value`` is also given."""
    if getattr(args, option) is None or getattr(args, needed) == value:
        return
    flag = option.replace("_", "-")
    raise ValueError(
        f"--{flag} applies only with --{needed} {value}; add it or drop --{flag}. "
        f"Received: --{flag} {getattr(args, option)}, --{needed} "
        f"{getattr(args, needed) or '(the recipe)'}"
    )


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
    """Loads ``--dataset`` (with ``--target`` for CSV files) and the split sizes.

    Returns ``None`` (the recipe's dataset, default split) when none is given.
    """
    sizes = {key: getattr(args, key) for key in ("val_size", "test_size")
             if getattr(args, key) is not None}  # fmt: skip
    if args.dataset is None and not sizes:
        return None
    name = args.dataset or recipe_for(args.name)["dataset"]
    options = {"target": args.target} if args.target else {}
    return load_dataset(name, seed=args.seed, **sizes, **options)
