"""``nda tune NAME``: grid over (learning rate, batch size), best by val_loss."""

from nda_models.cli import arguments

HELP = "grid-search learning rate x batch size; keep the lowest validation loss"


def add_arguments(parser):
    arguments.add_model_and_data(parser)
    grid = parser.add_argument_group("grid")
    grid.add_argument(
        "--learning-rates",
        default="0.001,0.01,0.1",
        metavar="LIST",
        help="learning rates η to try (default: %(default)s)",
    )
    grid.add_argument(
        "--batch-sizes",
        default="1,16,128",
        metavar="LIST",
        help="batch sizes M to try (default: %(default)s)",
    )
    arguments.add_training(parser, grid=True)
    parser.add_argument(
        "--out",
        metavar="DIR",
        help="folder for tuning.csv and tuning_heatmap.png (default: runs/NAME-tuning)",
    )
    parser.add_argument(
        "--bundle",
        metavar="DIR",
        help="best model's bundle (default: saved_models/NAME)",
    )
    parser.add_argument(
        "--logdir",
        default="runs",
        metavar="DIR",
        help="TensorBoard root: one run per pair and the HParams table (default: runs)",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="no line per (η, M) pair as it finishes (default: print them)",
    )


def run(args):
    from nda_models.cli.hints import tensorboard_command
    from nda_models.workflows import tune
    from nda_models.workflows.tune import parse_grid

    learning_rates = parse_grid(args.learning_rates, "learning_rates", float)
    batch_sizes = parse_grid(args.batch_sizes, "batch_sizes", int)
    result = tune(
        args.name,
        arguments.load_data(args),
        learning_rates=learning_rates,
        batch_sizes=batch_sizes,
        out=args.out or f"runs/{args.name}-tuning",
        logdir=args.logdir,
        bundle=args.bundle or f"saved_models/{args.name}",
        seed=args.seed,
        verbose=0 if args.quiet else 1,
        **arguments.training_overrides(args, grid=True),
    )
    print(result.table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    best = result.best
    accuracy = best.get("val_accuracy")
    shown = "" if accuracy is None else f", val_accuracy={accuracy:.4f}"
    print(
        f"best by validation loss: learning_rate={best['learning_rate']:g}, "
        f"batch_size={best['batch_size']} (val_loss={best['val_loss']:.4f}{shown})"
    )
    print(f"table:   {result.csv_path}")
    print(f"heatmap: {result.heatmap_path}")
    print(f"bundle:  {result.bundle}")
    print(f"tensorboard: {tensorboard_command(args.logdir)}   (HParams tab)")
    return 0
