"""``nda demo``: the main job behind ``make demo`` — train and export the zoo."""

HELP = "train every zoo model on its lecture dataset, export bundles, summarise"


def add_arguments(parser):
    parser.add_argument("--saved-models", default="saved_models", help="bundle root")
    parser.add_argument("--logdir", default="runs", help="TensorBoard root")
    parser.add_argument("--epochs", type=int, help="override every recipe's epochs")
    parser.add_argument("--seed", type=int, default=0)


def run(args):
    from nda_models.cli.hints import tensorboard_command
    from nda_models.workflows import tour

    tour(
        saved_models=args.saved_models,
        logdir=args.logdir,
        epochs=args.epochs,
        seed=args.seed,
    )
    print(f"\nBundles are in {args.saved_models}/. Look at the runs with:")
    print(f"  {tensorboard_command(args.logdir)}")
    return 0
