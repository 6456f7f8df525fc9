"""``nda train NAME``: train with the Trainer, print metrics, export the bundle."""

from nda_models.cli import arguments

HELP = "train a model on a dataset, log to TensorBoard and export its bundle"


def add_arguments(parser):
    arguments.add_model_and_data(parser)
    arguments.add_training(parser)
    parser.add_argument("--out", help="bundle folder (default: saved_models/NAME)")
    parser.add_argument(
        "--logdir", default="runs", help="TensorBoard root (default: runs)"
    )
    parser.add_argument(
        "--trace-every",
        type=arguments.positive_int,
        metavar="K",
        help="print the slide's iteration table every K steps",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args):
    from nda_models.workflows import train_model
    from nda_models.workflows.tour import format_table

    dataset = arguments.load_data(args)
    out = args.out or f"saved_models/{args.name}"
    result = train_model(
        args.name,
        dataset,
        seed=args.seed,
        hparams=arguments.model_hparams(args),
        logdir=args.logdir,
        out=out,
        trace_every=args.trace_every,
        verbose=0 if args.quiet else 1,
        **arguments.training_overrides(args),
    )
    names = sorted(result.metrics["train"])
    rows = [
        (split, *(f"{result.metrics[split][k]:.4f}" for k in names))
        for split in ("train", "val", "test")
    ]
    print(format_table(rows, ("split", *names)))
    print(f"trained {args.name} on {result.dataset.name} in {result.seconds:.1f} s")
    print(f"bundle:      {result.bundle}")
    print(f"tensorboard: tensorboard --logdir {args.logdir}   (run: {result.log_dir})")
    return 0
