"""Small vs large mini-batches at the same training loss: validation loss, sharpness.

Lecture 12, slides "Mini-batching" ("if the batch is too large, we end up
over-fitting the network") and "Hyperparameters choice" ("narrow minima of
the training loss do not generalise well; wide minima are preferable"). An
``mlp_classifier`` is trained on ``digits`` (pixels 0..16 scaled to [0, 1])
from the same initial weights with plain SGD, once with a small batch
(M = 4) and once with full-batch gradient descent (M = n), each until its
training loss (NLL, batch mean) reaches the same target. Then, at that same
training loss, the section compares

- the validation loss and accuracy (generalisation), and
- the sharpness S_ρ = E_u[J(θ + ρ‖θ‖u)] − J(θ): the mean rise of the
  training loss under random weight perturbations of relative size ρ
  (``nda_models.lecture.sharpness``). A narrow minimum has a large S_ρ.

The effect on a model this small is modest and depends on the run; it
prints what it measures, not what the slide expects.

Figure: ``sharpness.png`` (S_ρ against ρ for both batch sizes, and the
training and validation losses at the end of each run).
"""

import numpy as np

import nda_models as nda
from nda_models.data import load_dataset
from nda_models.lecture.scale import check_scale
from nda_models.lecture.script_io import pyplot
from nda_models.lecture.sharpness import sharpness, train_to_loss

RADII = (0.02, 0.05, 0.1, 0.2)
# run -> (batch size M or None for n, learning rate η, epochs between checks)
RUNS = {"small batch (M = 4)": (4, 0.05, 1), "full batch (M = n)": (None, 0.5, 20)}
#: scale -> (target training loss, hidden units, perturbation draws)
SIZES = {"full": (0.01, (128,), 20), "quick": (0.1, (32,), 5)}
PROGRESS_EVERY = 20  # epochs between two progress lines

__all__ = ["compare_batch_sizes", "sharpness_figure"]


def compare_batch_sizes(*, scale="full"):
    """Trains both runs from the same initial weights to the same training
    loss, then measures validation loss and sharpness; prints a summary.

    Returns:
        ``(results, target)``: run -> dict of ``M``, ``eta``, ``epochs``,
        ``loss``, ``val_loss``, ``val_accuracy``, ``sharpness`` (rows of
        mean rise and standard error per ρ); and the target training loss.
    """
    target, hidden, draws = SIZES[check_scale(scale)]
    ds = load_dataset("digits", seed=0)
    x, x_val = ds.x_train / 16.0, ds.x_val / 16.0  # pixel intensities 0..16
    print(
        f"digits: n = {len(x)} training rows; mlp_classifier hidden_units={hidden}; "
        f"plain SGD until the training NLL (batch mean) <= {target}"
    )
    model = nda.build_model(
        "mlp_classifier", input_dim=ds.input_dim, num_classes=ds.num_classes,
        hidden_units=hidden, seed=0,
    )  # fmt: skip
    start = [v.numpy() for v in model.variables]
    trainer = nda.Trainer(model, seed=0)  # one trace for both runs (reset)
    results = {}
    for run, (batch_size, learning_rate, per_check) in RUNS.items():
        trainer.reset(start, learning_rate=learning_rate,
                      batch_size=batch_size or len(x))  # fmt: skip
        results[run] = {"M": trainer.batch_size, "eta": learning_rate,
                        **_run(trainer, (x, ds.y_train), (x_val, ds.y_val),
                               per_check, target, draws)}  # fmt: skip
    _summary(results)
    return results, target


def _run(trainer, train, validation, per_check, target, draws):
    print(f"training with M = {trainer.batch_size} to a training loss <= {target}")
    epochs, loss = train_to_loss(trainer, *train, target=target, max_epochs=5000,
                                 epochs_per_check=per_check,
                                 progress=_progress(per_check))  # fmt: skip
    scores = trainer.evaluate(*validation)
    rises = [sharpness(trainer, *train, radius=r, draws=draws, seed=1) for r in RADII]
    return {
        "epochs": epochs, "loss": loss, "val_loss": scores["loss"],
        "val_accuracy": scores["accuracy"], "sharpness": np.array(rises),
    }  # fmt: skip


def _progress(per_check):
    """Prints the training loss every ``PROGRESS_EVERY`` epochs or so."""
    every = max(1, PROGRESS_EVERY // per_check)
    checks = iter(range(1, 10**9))

    def report(epochs, loss):
        if next(checks) % every == 0:
            print(f"  epoch {epochs}: training loss {loss:.4f}", flush=True)

    return report


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


def sharpness_figure(results, target):
    """S_ρ against ρ for both runs, and their training and validation losses.
    Returns the ``matplotlib`` Figure (open)."""
    fig, (left, right) = pyplot().subplots(
        1, 2, figsize=(12, 4.5), layout="constrained"
    )
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
