"""``nda tune NAME``: grid over (learning rate, batch size), best by val_loss."""

import sys

from nda_models.cli import arguments, checks
from nda_models.cli.hints import tensorboard_command
from nda_models.workflows import tune
from nda_models.workflows.earlier_bundle import replacement_note
from nda_models.workflows.tuning_grid import parse_grid
from nda_models.workflows.tuning_outputs import check_apart

HELP = "grid-search learning rate x batch size; keep the lowest validation loss"


def add_arguments(parser):
    arguments.add_model_and_data(parser)
    grid = parser.add_argument_group("grid")
    grid.add_argument(
        "--learning-rates",
        default="0.001,0.01,0.1",
        metavar="LIST",
        help="learning rates η to try, each once (default: %(default)s)",
    )
    grid.add_argument(
        "--batch-sizes",
        default="1,16,128",
        metavar="LIST",
        help="batch sizes M to try, each once (default: %(default)s)",
    )
    arguments.add_training(parser, grid=True)
    _add_outputs(parser)
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="no line per (η, M) pair as it finishes (default: print them)",
    )


def _add_outputs(parser):
    """--out (the bundle), --results (tables, figures), --bundle, --logdir."""
    outputs = parser.add_argument_group("outputs")
    outputs.add_argument(
        "--out",
        metavar="DIR",
        help="the best model's bundle, as for nda train; a bundle already there "
        "is replaced when the search ends, with a note (default: saved_models/NAME)",
    )
    outputs.add_argument(
        "--results",
        default="tuning",
        metavar="DIR",
        help="tables and figures: each run writes DIR/NAME/TIMESTAMP/ (tuning.csv, "
        "tuning_heatmap.png, best.json) and DIR/NAME/latest points at the newest; "
        "earlier runs are kept (default: %(default)s)",
    )
    outputs.add_argument(
        "--bundle",
        metavar="DIR",
        help="former name of --out, deprecated (default: --out's)",
    )
    outputs.add_argument(
        "--logdir",
        default="runs",
        metavar="DIR",
        help="TensorBoard root: one run per pair in DIR/NAME/TIMESTAMP/tune and "
        "the HParams table (default: runs)",
    )


def grid_values(args):
    """The two lists of the grid, checked (no TensorFlow needed)."""
    return (
        parse_grid(args.learning_rates, "learning_rates"),
        parse_grid(args.batch_sizes, "batch_sizes"),
    )


def bundle_path(args):
    """``--out`` (or the deprecated ``--bundle``, with a note), else
    ``saved_models/NAME``."""
    if args.bundle is not None:
        print("note: --bundle is deprecated; use --out DIR", file=sys.stderr)
    return _out(args)


def _out(args):
    if args.bundle is not None:
        if args.out is not None:
            raise ValueError(
                "--bundle is the former name of --out (the best model's bundle); "
                f"give only --out. Received: --out {args.out}, --bundle {args.bundle}"
            )
        return args.bundle
    return args.out or f"saved_models/{args.name}"


def check(args):
    """Everything that can be refused before TensorFlow loads (see checks.py)."""
    grid_values(args)
    checks.check_training(args, grid=True)
    checks.check_places(
        ("--out", _out(args)),
        (("--results", args.results), ("--logdir", args.logdir)),
    )
    check_apart(_out(args), args.results, args.name, ("--out", "--results"))
    checks.check_data(args)


def run(args):
    learning_rates, batch_sizes = grid_values(args)
    out = bundle_path(args)
    note = replacement_note(out)
    if note:
        print(note, file=sys.stderr)
    result = tune(
        args.name,
        checks.dataset_of(args),
        learning_rates=learning_rates,
        batch_sizes=batch_sizes,
        out=out,
        results=args.results,
        logdir=args.logdir,
        seed=args.seed,
        verbose=0 if args.quiet else 1,
        **arguments.training_overrides(args, grid=True),
    )
    _report(result, args.logdir)
    return 0


def _report(result, logdir):
    print(result.table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    best = result.best
    metric = next(key for key in best if key.startswith("val_") and key != "val_loss")
    print(
        f"best by validation loss: learning_rate={best['learning_rate']:g}, "
        f"batch_size={best['batch_size']} (val_loss={best['val_loss']:.4f}, "
        f"{metric}={best[metric]:.4f})"
    )
    print(f"results: {result.results_dir}")
    print(f"table:   {result.csv_path}")
    print(f"heatmap: {result.heatmap_path}")
    print(f"bundle:  {result.bundle}")
    print(f"tensorboard: {tensorboard_command(logdir)}   (HParams tab; run: "
          f"{result.log_dir})")  # fmt: skip
