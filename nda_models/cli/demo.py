"""``nda demo``: the main job behind ``make demo`` — train and export the zoo."""

from nda_models.cli.arguments import positive_int
from nda_models.cli.checks import check_demo_places
from nda_models.cli.hints import tensorboard_command
from nda_models.core.constraints import SEED
from nda_models.workflows import tour

HELP = "train every zoo model on its lecture dataset, export bundles, summarise"


def add_arguments(parser):
    parser.add_argument(
        "--saved-models",
        default="saved_models",
        metavar="DIR",
        help="bundle root: one bundle per model in DIR/NAME; a bundle already "
        "there is replaced, and named first (default: saved_models)",
    )
    parser.add_argument(
        "--logdir",
        default="runs",
        metavar="DIR",
        help="TensorBoard root (default: runs)",
    )
    parser.add_argument(
        "--epochs",
        type=positive_int,
        metavar="N",
        help="override every recipe's epochs (default: each recipe's)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="S", help="seed (default: 0)"
    )


def check(args):
    """Refuses a bad seed or output place before TensorFlow loads."""
    SEED.check("seed", args.seed)
    check_demo_places(args.saved_models, args.logdir)


def run(args):
    tour(
        saved_models=args.saved_models,
        logdir=args.logdir,
        epochs=args.epochs,
        seed=args.seed,
    )
    print(f"\nBundles are in {args.saved_models}/. Look at the runs with:")
    print(f"  {tensorboard_command(args.logdir)}")
    return 0
