"""Small vs large mini-batches at the same training loss: validation loss, sharpness.

Lecture 12, slides "Mini-batching" ("if the batch is too large, we end up
over-fitting the network") and "Hyperparameters choice" ("narrow minima of
the training loss do not generalise well; wide minima are preferable"). An
``mlp_classifier`` is trained on ``digits`` (pixels 0..16 scaled to [0, 1])
from the same initial weights with plain SGD, once with a small batch
(M = 4) and once with full-batch gradient descent (M = n), each until its
training loss (NLL, batch mean) reaches the same target. Then, at that same
training loss, the script compares

- the validation loss and accuracy (generalisation), and
- the sharpness S_ρ = E_u[J(θ + ρ‖θ‖u)] − J(θ): the mean rise of the
  training loss under random weight perturbations of relative size ρ
  (``nda_models.lecture.sharpness``). A narrow minimum has a large S_ρ.

The effect on a model this small is modest and depends on the run; the
script prints what it measures, not what the slide expects.

Figure: ``sharpness.png`` (S_ρ against ρ for both batch sizes, and the
training and validation losses at the end of each run).
"""

import numpy as np

from nda_models.data import load_dataset
from nda_models.lecture import output_folder, pyplot, save_figure, script_parser

RADII = (0.02, 0.05, 0.1, 0.2)
# run -> (batch size M or None for n, learning rate η, epochs between checks)
RUNS = {"small batch (M = 4)": (4, 0.05, 1), "full batch (M = n)": (None, 0.5, 20)}


def main(argv=None):
    args = script_parser(__file__, __doc__).parse_args(argv)
    folder = output_folder(args.out)
    ds = load_dataset("digits", seed=0)
    x, x_val = ds.x_train / 16.0, ds.x_val / 16.0  # pixel intensities 0..16
    target = 0.1 if args.quick else 0.01
    hidden = (32,) if args.quick else (128,)
    draws = 5 if args.quick else 20
    print(
        f"digits: n = {len(x)} training rows; mlp_classifier hidden_units={hidden}; "
        f"plain SGD until the training NLL (batch mean) <= {target}"
    )
    results = {}
    for run, (batch_size, learning_rate, per_check) in RUNS.items():
        results[run] = _run(ds, x, x_val, batch_size or len(x), learning_rate,
                            per_check, target, hidden, draws)  # fmt: skip
    _summary(results)
    plt = pyplot()
    save_figure(_figure(plt, results, target), folder, "sharpness.png")
    return 0


def _run(ds, x, x_val, batch_size, learning_rate, per_check, target, hidden, draws):
    import nda_models as nda
    from nda_models.lecture.sharpness import sharpness, train_to_loss

    model = nda.build_model(
        "mlp_classifier", input_dim=ds.input_dim, num_classes=ds.num_classes,
        hidden_units=hidden, seed=0,
    )  # fmt: skip
    trainer = nda.Trainer(model, learning_rate=learning_rate, batch_size=batch_size,
                          seed=0)  # fmt: skip
    epochs, loss = train_to_loss(
        trainer, x, ds.y_train, target=target, max_epochs=5000,
        epochs_per_check=per_check,
    )  # fmt: skip
    validation = trainer.evaluate(x_val, ds.y_val)
    rises = [
        sharpness(trainer, x, ds.y_train, radius=r, draws=draws, seed=1) for r in RADII
    ]
    return {
        "M": batch_size, "eta": learning_rate, "epochs": epochs, "loss": loss,
        "val_loss": validation["loss"], "val_accuracy": validation["accuracy"],
        "sharpness": np.array(rises),
    }  # fmt: skip


def _summary(results):
    radii = "".join(f"{'S_' + format(r, 'g'):>10}" for r in RADII)
    print(f"\n{'run':<22}{'M':>6}{'η':>6}{'epochs':>8}{'train loss':>12}"
          f"{'val_loss':>10}{'val acc':>9}{radii}")  # fmt: skip
    for run, r in results.items():
        cells = "".join(f"{v:>10.2e}" for v in r["sharpness"][:, 0])
        print(f"{run:<22}{r['M']:>6}{r['eta']:>6}{r['epochs']:>8}{r['loss']:>12.4f}"
              f"{r['val_loss']:>10.4f}{r['val_accuracy']:>9.4f}{cells}")  # fmt: skip
    small, large = results.values()
    ratio = large["sharpness"][-1, 0] / small["sharpness"][-1, 0]
    gap = large["val_loss"] - small["val_loss"]
    print(
        f"measured: val_loss(M = n) − val_loss(M = 4) = {gap:+.4f}; "
        f"sharpness ratio S_{RADII[-1]:g}(M = n) / S_{RADII[-1]:g}(M = 4) = {ratio:.2f}"
    )


def _figure(plt, results, target):
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5), layout="constrained")
    for k, (run, r) in enumerate(results.items()):
        mean, se = r["sharpness"][:, 0], r["sharpness"][:, 1]
        left.errorbar(RADII, mean, yerr=se, marker="o", capsize=3, color=f"C{k}",
                      label=run)  # fmt: skip
        right.bar(np.array([0, 1]) + 0.35 * k, [r["loss"], r["val_loss"]], 0.35,
                  color=f"C{k}", label=run)  # fmt: skip
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xticks(RADII, [f"{r:g}" for r in RADII])
    left.tick_params(axis="x", which="minor", labelbottom=False)
    left.set_xlabel("relative perturbation size ρ = ‖δ‖ / ‖θ‖")
    left.set_ylabel("sharpness: mean rise of the training loss (nats)")
    left.set_title("Loss increase under random weight perturbations")
    left.legend()
    right.set_xticks([0.175, 1.175], ["training loss", "validation loss"])
    right.axhline(target, color="grey", ls=":", label=f"target training loss {target}")
    right.set_ylabel("NLL (nats per example, batch mean)")
    right.set_title("At the same training loss")
    right.legend()
    fig.suptitle("Small vs large mini-batches: generalisation and width of the minimum")
    return fig


if __name__ == "__main__":
    raise SystemExit(main())
