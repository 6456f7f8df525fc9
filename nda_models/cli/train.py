"""``nda train NAME``: train with the Trainer, print metrics, export the bundle."""

import sys

from nda_models.cli import arguments, checks
from nda_models.cli.hints import tensorboard_command
from nda_models.workflows import train_model
from nda_models.workflows.earlier_bundle import replacement_note
from nda_models.workflows.run_places import check_run_places
from nda_models.workflows.tour import format_table

HELP = "train a model on a dataset, log to TensorBoard and export its bundle"
FLAGS = {"out": "--out", "logdir": "--logdir", "checkpoint_dir": "--checkpoint-dir"}


def add_arguments(parser):
    arguments.add_model_and_data(parser)
    arguments.add_training(parser)
    parser.add_argument(
        "--out",
        metavar="DIR",
        help="bundle folder; a bundle already there is replaced when training "
        "ends, and a note names it first (default: saved_models/NAME)",
    )
    parser.add_argument(
        "--logdir",
        default="runs",
        metavar="DIR",
        help="TensorBoard root; the run goes to DIR/NAME/TIMESTAMP (default: runs)",
    )
    parser.add_argument(
        "--trace-every",
        type=arguments.positive_int,
        metavar="K",
        help="print the slide's iteration table every K steps (default: no table)",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="no per-epoch progress (default: a progress bar on a terminal, "
        "one line per epoch otherwise)",
    )
    parser.add_argument(
        "--checkpoint-dir",
        metavar="DIR",
        help="save checkpoints in DIR and resume the run found there "
        "(after a crash or Ctrl-C, run the same command again; default: none)",
    )
    parser.add_argument(
        "--checkpoint-every",
        type=arguments.positive_int,
        metavar="N",
        help="steps between checkpoints (default: at each epoch's end)",
    )


def check(args):
    """Everything that can be refused before TensorFlow loads (see checks.py)."""
    checks.check_training(args)
    checks.check_places(
        ("--out", bundle_path(args)),
        (("--logdir", args.logdir), ("--checkpoint-dir", args.checkpoint_dir)),
    )
    check_run_places(
        args.name, out=bundle_path(args), logdir=args.logdir,
        checkpoint_dir=args.checkpoint_dir, names=FLAGS,
    )  # fmt: skip
    checks.check_data(args)


def bundle_path(args):
    return args.out or f"saved_models/{args.name}"


def run(args):
    dataset = checks.dataset_of(args)
    out = bundle_path(args)
    note = replacement_note(out)
    if note:
        print(note, file=sys.stderr)
    try:
        result = _train(args, dataset, out)
    except KeyboardInterrupt:
        if args.debug or args.checkpoint_dir is None:
            raise
        print(
            f"nda: error: interrupted; the last checkpoint is in {args.checkpoint_dir}:"
            " run the same command again to resume",
            file=sys.stderr,
        )
        return 130
    names = sorted(result.metrics["train"])
    rows = [
        (split, *(f"{result.metrics[split][k]:.4f}" for k in names))
        for split in ("train", "val", "test")
    ]
    print(format_table(rows, ("split", *names)))
    print(f"trained {args.name} on {result.dataset.name} in {result.seconds:.1f} s")
    print(
        f"bundle:      {result.bundle}"
        + (" (replaced the earlier one)" if note else "")
    )
    print(f"curve:       {result.learning_curve}")
    print(f"tensorboard: {tensorboard_command(args.logdir)}   (run: {result.log_dir})")
    return 0


def progress_verbosity(quiet):
    """Keras's ``verbose``: 0 if quiet, a live bar on a terminal, else 1 line/epoch."""
    if quiet:
        return 0
    return 1 if sys.stdout.isatty() else 2


def _train(args, dataset, out):
    return train_model(
        args.name,
        dataset,
        seed=args.seed,
        hparams=arguments.model_hparams(args),
        logdir=args.logdir,
        out=out,
        trace_every=args.trace_every,
        verbose=progress_verbosity(args.quiet),
        checkpoint_dir=args.checkpoint_dir,
        checkpoint_every=args.checkpoint_every,
        **arguments.training_overrides(args),
    )
