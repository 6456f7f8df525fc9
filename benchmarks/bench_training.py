"""Trainer.fit against a bare tf.function loop and Keras's model.fit.

Cases (issues 3 and 16):
  (a) linear_regressor, 20,000 rows of y = 5 + 2 x1 - 3 x2 + ε, M = 1 (vanilla
      SGD, η = 0.01), one epoch.
  (b) mlp_classifier 64 -> 128 -> 128 -> 10 ReLU, Adam 1e-3, batch 128, 5 epochs
      on 40,000 rows of make_classification(n_features=64, n_informative=32,
      n_classes=10).

Three ways to train the same model on the same data, each measured in this
run, interleaved:

- "bare loop": the lecture's step in a ``tf.function`` over an in-graph
  permutation, one call per epoch, with no bookkeeping at all (no metrics,
  no divergence checks, no callbacks): the floor for a Python-driven loop.
- ``Trainer.fit`` (ours).
- ``model.fit`` of ``training_view(model)``, compiled with the same loss.

For each: the *first* fit of a fresh model (building, tracing and running;
for the Trainer this includes constructing it), then the *steady* fit (the
same fit again, from the same initial weights and a reset optimizer: no
tracing). The fixed cost of a fit is first − steady. Every figure is the
median of ``--repeats`` rounds. Targets (issue 16): fixed cost <= 0.25 s;
steady samples/s >= 0.9x the bare loop on (b) and >= 0.8x on (a).

Usage:
    python benchmarks/bench_training.py [--quick] [--repeats N]
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402

import nda_models as nda  # noqa: E402
from nda_models.training import Trainer  # noqa: E402
from nda_models.zoo import default_loss, training_view  # noqa: E402


def linear_case(rows):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, 2)).astype(np.float32)
    y = (5 + 2 * x[:, 0] - 3 * x[:, 1] + 0.5 * rng.normal(size=rows)).astype(np.float32)
    return {
        "name": f"(a) linear_regressor M=1, {rows} rows, 1 epoch",
        "build": lambda: nda.build_model("linear_regressor", input_dim=2),
        "optimizer": lambda: keras.optimizers.SGD(0.01),
        "x": x, "y": y, "batch_size": 1, "epochs": 1, "steady_target": 0.8,
    }  # fmt: skip


def mlp_case(rows, epochs):
    x, y = make_classification(
        n_samples=rows, n_features=64, n_informative=32, n_classes=10, random_state=0
    )
    x = ((x - x.mean(0)) / x.std(0)).astype(np.float32)
    return {
        "name": f"(b) mlp_classifier 64-128-128-10, Adam, batch 128, {rows} rows, "
        f"{epochs} epochs",
        "build": lambda: nda.build_model(
            "mlp_classifier", input_dim=64, num_classes=10, hidden_units=(128, 128),
            seed=0,
        ),
        "optimizer": lambda: keras.optimizers.Adam(1e-3),
        "x": x, "y": y.astype(np.int32), "batch_size": 128, "epochs": epochs,
        "steady_target": 0.9,
    }  # fmt: skip


def clock():
    """Wall and process CPU seconds; on a shared machine the CPU time (all
    threads of this process) is the steadier of the two."""
    return np.array([time.perf_counter(), time.process_time()])


def reset_optimizer(optimizer):
    """Zeroes the step counter and moments, keeping η."""
    for variable in optimizer.variables:
        if "learning_rate" not in variable.path:
            variable.assign(np.zeros(variable.shape, variable.dtype))


def bare_loop(case):
    """Returns (first, steady) seconds of the bare tf.function loop."""
    start = clock()
    model = case["build"]()
    initial = [v.numpy() for v in model.variables]
    view, loss_fn = training_view(model), default_loss(model)
    optimizer = case["optimizer"]()
    variables = model.trainable_variables

    @tf.function
    def epoch(x, y, batch_size):
        n = tf.shape(x, out_type=tf.int64)[0]
        order = tf.random.shuffle(tf.range(n))
        for i in tf.range((n + batch_size - 1) // batch_size):
            rows = order[i * batch_size : tf.minimum((i + 1) * batch_size, n)]
            with tf.GradientTape() as tape:
                loss = loss_fn(
                    tf.gather(y, rows), view(tf.gather(x, rows), training=True)
                )
            optimizer.apply(tape.gradient(loss, variables), variables)

    def fit():
        x, y = tf.constant(case["x"]), tf.constant(case["y"])
        batch_size = tf.constant(case["batch_size"], tf.int64)
        for _ in range(case["epochs"]):
            epoch(x, y, batch_size)
        float(variables[0][0, 0])  # wait for the last update

    fit()
    first = clock() - start
    for variable, value in zip(model.variables, initial, strict=True):
        variable.assign(value)
    reset_optimizer(optimizer)
    start = clock()
    fit()
    return first, clock() - start


def trainer_fit(case):
    """Returns (first, steady) seconds of Trainer.fit, and the trainer."""
    start = clock()
    model = case["build"]()
    initial = [v.numpy() for v in model.variables]
    trainer = Trainer(model, optimizer=case["optimizer"](),
                      batch_size=case["batch_size"], seed=0)  # fmt: skip
    trainer.fit(case["x"], case["y"], epochs=case["epochs"])
    first = clock() - start
    trainer.reset(initial)
    start = clock()
    trainer.fit(case["x"], case["y"], epochs=case["epochs"])
    return first, clock() - start, trainer


def keras_fit(case):
    """Returns (first, steady) seconds of model.fit, and the model."""
    start = clock()
    model = case["build"]()
    initial = [v.numpy() for v in model.variables]
    view = training_view(model)
    view.compile(optimizer=case["optimizer"](), loss=default_loss(model))

    def fit():
        view.fit(case["x"], case["y"], batch_size=case["batch_size"],
                 epochs=case["epochs"], verbose=0)  # fmt: skip

    fit()
    first = clock() - start
    for variable, value in zip(model.variables, initial, strict=True):
        variable.assign(value)
    reset_optimizer(view.optimizer)
    start = clock()
    fit()
    return first, clock() - start, model


def run(case, repeats, with_keras):
    samples = len(case["x"]) * case["epochs"]
    times = {"bare loop": [], "Trainer.fit": [], "model.fit": []}
    trainer = keras_model = None
    for _ in range(repeats):  # interleaved, so load changes hit all alike
        times["bare loop"].append(bare_loop(case))
        *seconds, trainer = trainer_fit(case)
        times["Trainer.fit"].append(tuple(seconds))
        if with_keras:
            *seconds, keras_model = keras_fit(case)
            times["model.fit"].append(tuple(seconds))
    for index, clock_name in enumerate(("wall", "CPU")):
        report(case, samples, times, index, clock_name, trainer, keras_model)
    print()


def report(case, samples, times, index, clock_name, trainer, keras_model):
    medians = {
        name: (
            statistics.median(first[index] for first, _ in pairs),
            statistics.median(steady[index] for _, steady in pairs),
            statistics.median(first[index] - steady[index] for first, steady in pairs),
        )
        for name, pairs in times.items()
        if pairs
    }
    print(f"{case['name']} -- {clock_name} time")
    print(f"  {'':13}{'first fit':>12}{'steady':>12}{'fixed cost':>12}")
    for name, (first, steady, fixed) in medians.items():
        print(f"  {name:13}{samples / first:10.0f}/s{samples / steady:10.0f}/s"
              f"{fixed:11.3f}s")  # fmt: skip
    bare, ours = medians["bare loop"], medians["Trainer.fit"]
    steady_ratio = bare[1] / ours[1]
    print(f"  steady Trainer / bare: {steady_ratio:.2f}x "
          f"(target >= {case['steady_target']}x); first fit Trainer / bare: "
          f"{bare[0] / ours[0]:.2f}x; fixed cost {ours[2]:.3f} s "
          f"(target <= 0.25 s, bare {bare[2]:.3f} s)")  # fmt: skip
    if "model.fit" in medians:
        keras_times = medians["model.fit"]
        print(f"  Trainer vs model.fit: steady {keras_times[1] / ours[1]:.2f}x, "
              f"first fit {keras_times[0] / ours[0]:.2f}x")  # fmt: skip
    if index == 0 and keras_model is not None:
        judge = Trainer(keras_model, seed=0)
        ours_loss = trainer.evaluate(case["x"], case["y"])["loss"]
        keras_loss = judge.evaluate(case["x"], case["y"])["loss"]
        print(f"  final loss: Trainer {ours_loss:.4f}, model.fit {keras_loss:.4f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller data")
    parser.add_argument("--repeats", type=int, default=5, help="rounds (median)")
    parser.add_argument("--no-keras", action="store_true", help="skip model.fit")
    args = parser.parse_args()
    if args.quick:
        cases = [linear_case(5_000), mlp_case(10_000, 2)]
    else:
        cases = [linear_case(20_000), mlp_case(40_000, 5)]
    warm_up = linear_case(64)  # the process's first graph calls cost extra
    bare_loop(warm_up), trainer_fit(warm_up), keras_fit(warm_up)
    for case in cases:
        run(case, args.repeats, not args.no_keras)


if __name__ == "__main__":
    main()
