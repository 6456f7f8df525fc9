"""``nda list``: the zoo, one line per model (imports no TensorFlow)."""

import nda_models
from nda_models.zoo.tasks import TASKS

HELP = "list the registered models, their task and summary"


def add_arguments(parser):
    parser.add_argument(
        "pattern", nargs="?", default="*", help="fnmatch pattern (default: *)"
    )
    parser.add_argument(
        "--task",
        choices=TASKS,
        help="keep only this task (default: every task)",
    )


def run(args):
    names = nda_models.list_models(args.pattern, task=args.task)
    width = max((len(name) for name in names), default=4)
    print(f"{'model':<{width}}  {'task':<10}  summary")
    for name in names:
        spec = nda_models.describe_model(name)
        print(f"{name:<{width}}  {spec.task:<10}  {spec.summary}")
    return 0
