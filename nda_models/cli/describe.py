"""``nda describe NAME``: a model's task, loss, metrics and hyper-parameters."""

import nda_models

HELP = "describe one model: task, loss, metrics, hyper-parameters"


def add_arguments(parser):
    parser.add_argument("name", help="registry key, see `nda list`")
    parser.add_argument(
        "--build",
        type=int,
        metavar="INPUT_DIM",
        help="also build it for INPUT_DIM features and print the Keras summary",
    )


def run(args):
    spec = nda_models.describe_model(args.name)
    print(f"{spec.name}: {spec.summary}")
    print(f"  task:     {spec.task}")
    print(
        f"  loss:     {spec.loss}"
        + (f" (reads layer '{spec.loss_input}')" if spec.loss_input else "")
    )
    print(f"            {spec.loss_definition}")
    print(f"  metrics:  {', '.join(spec.metrics)}")
    print(f"  required: {', '.join(spec.required)}")
    for key, value in spec.defaults.items():
        print(f"  {key} = {value!r}")
    if args.build is not None:
        hparams = {"num_classes": 3} if "num_classes" in spec.required else {}
        model = nda_models.build_model(spec.name, input_dim=args.build, **hparams)
        model.summary()
    return 0
