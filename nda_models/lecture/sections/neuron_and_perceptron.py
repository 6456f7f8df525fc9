"""The logistic neuron and Rosenblatt's perceptron on the iris petals.

Lecture 12, slides "Simple artificial neuron", "Reminder: Logistic
Regression" and "The Perceptron" / "Perceptron Example" (Fisher's iris:
petal length x1 and width x2, y = 1 for Iris setosa). Both are linear
classifiers ŷ = σ(Θᵀx + b) and ŷ = step(Θᵀx + b), trained here with the
package's ``Trainer``:

- the neuron on binary cross-entropy (batch mean) by mini-batch SGD, its
  inputs standardised inside the model;
- the perceptron, as on the slide, on the raw petal length and width in cm,
  from Θ = 0, b = 0, by SGD with M = 1 on its criterion: each step is
  Rosenblatt's rule Θ ← Θ + η(y − ŷ)x, b ← b + η(y − ŷ) with ŷ = step(s),
  so only misclassified points move it. Setosa is linearly separable from
  the other species, so the perceptron reaches 100 % training accuracy.

Figure: ``decision_boundaries.png`` (data points and each model's decision
boundary Θᵀx + b = 0; the neuron's probability as background shading).
"""

import nda_models as nda
from nda_models.data import load_dataset
from nda_models.lecture.decision_grid import decision_grid
from nda_models.lecture.scale import check_scale
from nda_models.lecture.script_io import pyplot

#: registry name -> (Trainer keyword arguments, epochs by scale, standardise
#: the inputs inside the model)
MODELS = {
    "logistic_neuron": (
        {"learning_rate": 0.5, "batch_size": 16}, {"full": 60, "quick": 20}, True
    ),
    "perceptron": (
        {"learning_rate": 1.0, "batch_size": 1}, {"full": 10, "quick": 5}, False
    ),
}  # fmt: skip

__all__ = ["boundary_figure", "load_data", "train_models"]


def load_data():
    """``iris_setosa`` (seed 0): petal length and width, setosa or not."""
    ds = load_dataset("iris_setosa", seed=0)
    print(f"iris_setosa: {len(ds.x_train)} training rows, features {ds.feature_names}")
    return ds


def train_models(ds, *, scale="full"):
    """Trains the neuron and the perceptron, with progress; prints their
    accuracies and the perceptron's Θ and b in cm.

    Returns:
        Dict name -> (trained ``keras.Model``, training accuracy).
    """
    scale = check_scale(scale)
    trained = {}
    for name, (options, epochs, standardise) in MODELS.items():
        trained[name] = _train(ds, name, options, epochs[scale], standardise)
    return trained


def _train(ds, name, options, epochs, standardise):
    normalization = ds.normalization if standardise else None
    model = nda.build_model(name, input_dim=ds.input_dim, normalization=normalization)
    trainer = nda.Trainer(model, seed=0, **options)
    trainer.fit(ds.x_train, ds.y_train, epochs=epochs, verbose=1)
    train = trainer.evaluate(ds.x_train, ds.y_train)["accuracy"]
    test = trainer.evaluate(ds.x_test, ds.y_test)["accuracy"]
    print(f"{name}: {epochs} epochs, training accuracy {train:.4f}, ", end="")
    print(f"test accuracy {test:.4f}")
    if name == "perceptron":  # raw features: Θ and b are in the units of cm
        kernel, bias = model.get_layer("logits").get_weights()
        (w1, w2), b = kernel.ravel(), float(bias[0])
        print(f"perceptron on raw cm: Θ = ({w1:+.2f}, {w2:+.2f}) (1/cm), b = {b:+.2f};")
        print(f"  setosa where {w1:+.2f}·length {w2:+.2f}·width {b:+.2f} > 0")
    return model, train


def boundary_figure(ds, trained):
    """The training points and each model's boundary Θᵀx + b = 0 (the
    neuron's P[setosa | x] shaded). Returns the ``matplotlib`` Figure (open)."""
    fig, axes = pyplot().subplots(
        1, 2, figsize=(12, 5), sharey=True, layout="constrained"
    )
    x, y = ds.x_train, ds.y_train
    for ax, (name, (model, accuracy)) in zip(axes, trained.items(), strict=True):
        g1, g2, values = decision_grid(lambda g, m=model: m.predict(g, verbose=0), x)
        if name == "logistic_neuron":
            shade = ax.contourf(g1, g2, values, levels=20, cmap="RdBu_r", alpha=0.35)
            fig.colorbar(shade, ax=ax, label="P[setosa | x]")
        ax.contour(g1, g2, values, levels=[0.5], colors="k", linewidths=2)
        for label, marker, color in ((1, "o", "C3"), (0, "s", "C0")):
            ax.scatter(*x[y == label].T, marker=marker, c=color, edgecolor="k",
                       label=ds.class_names[label])  # fmt: skip
        ax.plot([], [], "k-", lw=2, label="decision boundary Θᵀx + b = 0")
        inputs = (
            "inputs standardised in the model"
            if name == "logistic_neuron"
            else "raw inputs (cm)"
        )
        ax.set_title(f"{name}, {inputs}\ntraining accuracy {accuracy:.1%} "
                     f"({len(y)} rows)")  # fmt: skip
        ax.set_xlabel(ds.feature_names[0])
        ax.legend(loc="upper left", fontsize=8)
    axes[0].set_ylabel(ds.feature_names[1])
    fig.suptitle("A straight line separates setosa on the iris petals (training split)")
    return fig
