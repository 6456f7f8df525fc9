"""``nda demo``: the main job behind ``make demo`` — a tour of the zoo."""

import nda_models

HELP = "tour the zoo: describe and build every model"

# The lecture's example sizes: input features and classes per model.
EXAMPLE_SHAPES = {
    "linear_regressor": {"input_dim": 2},
    "logistic_neuron": {"input_dim": 2},
    "perceptron": {"input_dim": 2},
    "softmax_classifier": {"input_dim": 4, "num_classes": 3},
    "mlp_regressor": {"input_dim": 10},
    "mlp_classifier": {"input_dim": 64, "num_classes": 10},
}


def add_arguments(parser):
    del parser  # no options yet


def run(args):
    del args
    for name in nda_models.list_models():
        spec = nda_models.describe_model(name)
        shape = EXAMPLE_SHAPES.get(name, {"input_dim": 2})
        model = nda_models.build_model(name, **shape)
        print(
            f"{name:<20} {spec.task:<10} loss={spec.loss:<24} "
            f"params={model.count_params():>6}  {spec.summary}"
        )
    return 0
