"""Trainer.fit against Keras's model.fit: same model, data, batch size, epochs.

Cases (issue 3):
  (a) linear_regressor, 20,000 rows of y = 5 + 2 x1 - 3 x2 + ε, M = 1 (vanilla
      SGD, η = 0.01), one epoch.                        target: >= 5x samples/s
  (b) mlp_classifier 64 -> 128 -> 128 -> 10 ReLU, Adam 1e-3, batch 128, 5 epochs
      on 40,000 rows of make_classification(n_features=64, n_informative=32,
      n_classes=10).                                     target: >= 2x samples/s

Both sides first run one short warm-up fit (so tracing is not timed), then
start again from the same initial weights and a fresh optimizer; the timed
fit is the whole call. Keras uses its defaults (steps_per_execution=1,
shuffle=True) and compiles ``training_view(model)`` with the same loss
object, so both minimise the same function. The final training loss is
then evaluated on all rows by the same Trainer.evaluate for both models.

Usage:
    python benchmarks/bench_training.py [--quick]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402

import nda_models as nda  # noqa: E402
from nda_models.models import default_loss, training_view  # noqa: E402
from nda_models.training import Trainer  # noqa: E402


def linear_case(rows):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, 2)).astype(np.float32)
    y = (5 + 2 * x[:, 0] - 3 * x[:, 1] + 0.5 * rng.normal(size=rows)).astype(np.float32)
    return {
        "name": f"(a) linear_regressor M=1, {rows} rows, 1 epoch",
        "build": lambda: nda.build_model("linear_regressor", input_dim=2),
        "optimizer": lambda: keras.optimizers.SGD(0.01),
        "x": x, "y": y, "batch_size": 1, "epochs": 1, "target": 5.0,
    }  # fmt: skip


def mlp_case(rows, epochs):
    x, y = make_classification(
        n_samples=rows, n_features=64, n_informative=32, n_classes=10, random_state=0
    )
    x = ((x - x.mean(0)) / x.std(0)).astype(np.float32)
    return {
        "name": f"(b) mlp_classifier 64-128-128-10, batch 128, {rows} rows, "
        f"{epochs} epochs",
        "build": lambda: nda.build_model(
            "mlp_classifier", input_dim=64, num_classes=10, hidden_units=(128, 128),
            seed=0,
        ),
        "optimizer": lambda: keras.optimizers.Adam(1e-3),
        "x": x, "y": y.astype(np.int32), "batch_size": 128, "epochs": epochs,
        "target": 2.0,
    }  # fmt: skip


def reset_optimizer(optimizer):
    """Zeroes the step counter and moments after the warm-up, keeping η."""
    for variable in optimizer.variables:
        if "learning_rate" not in variable.path:
            variable.assign(np.zeros(variable.shape, variable.dtype))


def time_keras(case):
    model = case["build"]()
    initial = model.get_weights()
    view = training_view(model)

    def compile_view():
        view.compile(optimizer=case["optimizer"](), loss=default_loss(model))

    compile_view()
    view.fit(case["x"][:256], case["y"][:256], batch_size=case["batch_size"],
             epochs=1, verbose=0)  # fmt: skip
    model.set_weights(initial)
    compile_view()  # fresh optimizer; the compiled train function is rebuilt once
    view.fit(case["x"][:256], case["y"][:256], batch_size=case["batch_size"],
             epochs=1, verbose=0)  # fmt: skip
    model.set_weights(initial)
    reset_optimizer(view.optimizer)
    start = time.perf_counter()
    view.fit(case["x"], case["y"], batch_size=case["batch_size"],
             epochs=case["epochs"], verbose=0)  # fmt: skip
    return time.perf_counter() - start, model


def time_trainer(case):
    model = case["build"]()
    initial = model.get_weights()
    trainer = Trainer(model, optimizer=case["optimizer"](),
                      batch_size=case["batch_size"], seed=0)  # fmt: skip
    trainer.fit(case["x"][:256], case["y"][:256], epochs=1)
    model.set_weights(initial)
    reset_optimizer(trainer.optimizer)
    start = time.perf_counter()
    trainer.fit(case["x"], case["y"], epochs=case["epochs"])
    return time.perf_counter() - start, trainer


def run(case):
    samples = len(case["x"]) * case["epochs"]
    keras_seconds, keras_model = time_keras(case)
    ours_seconds, trainer = time_trainer(case)
    judge = Trainer(keras_model, seed=0)
    keras_loss = judge.evaluate(case["x"], case["y"])["loss"]
    ours_loss = trainer.evaluate(case["x"], case["y"])["loss"]
    ratio = keras_seconds / ours_seconds
    print(case["name"])
    print(f"  {'':14}{'samples/s':>12}{'seconds':>10}{'final loss':>12}")
    print(f"  {'keras fit':14}{samples / keras_seconds:12.0f}{keras_seconds:10.2f}"
          f"{keras_loss:12.4f}")  # fmt: skip
    print(f"  {'Trainer.fit':14}{samples / ours_seconds:12.0f}{ours_seconds:10.2f}"
          f"{ours_loss:12.4f}")  # fmt: skip
    verdict = "meets" if ratio >= case["target"] else "MISSES"
    print(f"  ratio {ratio:.2f}x ({verdict} the {case['target']:.0f}x target)\n")
    return ratio


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller data")
    args = parser.parse_args()
    if args.quick:
        cases = [linear_case(5_000), mlp_case(10_000, 2)]
    else:
        cases = [linear_case(20_000), mlp_case(40_000, 5)]
    for case in cases:
        run(case)


if __name__ == "__main__":
    main()
