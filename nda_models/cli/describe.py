"""``nda describe NAME``: a model's task, loss, metrics, hyper-parameters, recipe."""

import nda_models
from nda_models.cli.arguments import positive_int
from nda_models.workflows.recipes import training_defaults
from nda_models.zoo.output_kinds import OUTPUT_KINDS

HELP = "describe one model: task, loss, metrics, hyper-parameters, training recipe"


def add_arguments(parser):
    parser.add_argument("name", help="registry key, see `nda list`")
    parser.add_argument(
        "--build",
        type=positive_int,
        metavar="INPUT_DIM",
        help="also build it for INPUT_DIM features and print the Keras summary "
        "(default: build nothing)",
    )
    parser.add_argument(
        "--num-classes",
        type=positive_int,
        metavar="K",
        help="classes of a multiclass model built with --build (default: 3)",
    )


def run(args):
    spec = nda_models.describe_model(args.name)
    print(f"{spec.name}: {spec.summary}")
    print(f"  task:     {spec.task}")
    kind = OUTPUT_KINDS.lookup("output_kind", spec.output_kind)
    print(f"  output:   {spec.output_kind} ({kind.output})")
    print(
        f"  loss:     {spec.loss}"
        + (f" (reads layer '{spec.loss_input}')" if spec.loss_input else "")
    )
    print(f"            {spec.loss_definition}")
    print(f"  metrics:  {', '.join(spec.metrics)}")
    print(f"  required: {', '.join(spec.required)}")
    print("hyper-parameters (builder defaults):")
    for key, value in spec.defaults.items():
        print(f"  {key} = {value!r}")
    print(f"recipe (the defaults of `nda train {spec.name}`):")
    for key, value in training_defaults(spec.name).items():
        print(f"  {key} = {value!r}")
    takes_classes = "num_classes" in spec.required
    if args.num_classes is not None and not takes_classes:
        raise ValueError(
            f"--num-classes applies to multiclass models; {spec.name} is a "
            f"{spec.task} model. Drop --num-classes. "
            f"Received: --num-classes {args.num_classes}"
        )
    if args.num_classes is not None and args.build is None:
        raise ValueError(
            "--num-classes needs --build INPUT_DIM, e.g. "
            f"`nda describe {spec.name} --build 4 --num-classes {args.num_classes}`. "
            f"Received: --num-classes {args.num_classes}"
        )
    if args.build is not None:
        hparams = {"num_classes": args.num_classes or 3} if takes_classes else {}
        model = nda_models.build_model(spec.name, input_dim=args.build, **hparams)
        model.summary()
    return 0
