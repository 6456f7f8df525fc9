"""Evaluate a saved bundle on a labelled table, as ``nda evaluate`` does.

Regression: the loss (mean squared error), mean absolute error and R².
Classification: accuracy, the cross-entropy loss when the model gives
probabilities, scikit-learn's ``classification_report`` and the confusion
matrix (rows: true class, columns: predicted class).
"""

import dataclasses

import numpy as np

from nda_models.core.lazy_module import lazy_module
from nda_models.data.csv_labels import class_keys, label_keys

mpl_figure = lazy_module("matplotlib.figure")
metrics = lazy_module("sklearn.metrics")
pd = lazy_module("pandas")


@dataclasses.dataclass
class Evaluation:
    """What ``evaluate_bundle`` measured.

    Attributes:
        metrics: Dict of Keras-named metrics (``loss``, ``accuracy`` or
            ``mean_absolute_error``, plus ``r2`` for regression).
        rows: Number of rows evaluated.
        report: scikit-learn's ``classification_report`` text, or ``None``.
        confusion: (c, c) confusion matrix (true × predicted), or ``None``.
        class_names: Class names in the matrix's order, or ``None``.
    """

    metrics: dict
    rows: int
    report: str | None = None
    confusion: np.ndarray | None = None
    class_names: tuple | None = None


def evaluate_bundle(bundle, frame, target, *, source="the table"):
    """Evaluates a loaded bundle on a DataFrame that holds the target column.

    Args:
        bundle: A bundle from ``nda.load_model``.
        frame: pandas DataFrame with the bundle's feature columns and ``target``.
        target: Name of the target column.
        source: Name of the table in error messages (e.g. the CSV path).

    Returns:
        An ``Evaluation``.

    Raises:
        ValueError: The target column is missing, or holds a label the model
            does not know, or a non-numeric value for a regression model.

    Example:
        A perceptron that says "setosa" when the petal is shorter than 1.5 cm
        (Θ = (−1, 0), b = 1.5), saved and loaded as ``nda train`` and
        ``nda evaluate`` do:

        >>> model = nda.build_model("perceptron", input_dim=2)
        >>> model.set_weights([np.array([[-1.0], [0.0]]), np.array([1.5])])
        >>> dataset = nda.load_dataset("iris_setosa")
        >>> bundle = nda.load_model(nda.save_model(model, dataset=dataset))
        >>> frame = dataset.to_frame("test")
        >>> evaluation = evaluate_bundle(bundle, frame, "target")
        >>> evaluation.metrics, evaluation.rows
        ({'accuracy': 0.7666...}, 30)
        >>> evaluation.confusion  # rows: true class, columns: predicted class
        array([[20,  0],
               [ 7,  3]])
        >>> print(evaluation.report)
                      precision    recall  f1-score   support
        <BLANKLINE>
          not setosa       0.74      1.00      0.85        20
              setosa       1.00      0.30      0.46        10
        <BLANKLINE>
            accuracy                           0.77        30
           macro avg       0.87      0.65      0.66        30
        weighted avg       0.83      0.77      0.72        30
        <BLANKLINE>
        >>> # The same rule in NumPy: 23 of the 30 test rows right.
        >>> said_setosa = frame["petal length (cm)"].to_numpy() < 1.5
        >>> int(np.sum(said_setosa == (frame["target"] == "setosa")))
        23
    """
    if target not in frame.columns:
        raise ValueError(
            f"{source} has no target column {target!r}. Pass --target with one of "
            f"its columns: {list(frame.columns)}. Received: --target={target!r}"
        )
    features = frame.drop(columns=[target])
    if bundle.class_names is None:
        return _regression(bundle, features, frame[target], source, target)
    return _classification(bundle, features, frame[target], source, target)


def _regression(bundle, features, column, source, target):
    y_true = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(y_true))
    if bad.size:
        raise ValueError(
            f"{source}: column {target!r}, data row {bad[0] + 1}: a regression "
            f"target must be a finite number. Received: {column.iloc[bad[0]]!r}"
        )
    y_pred = np.asarray(bundle.predict(features), dtype=np.float64).reshape(-1)
    scores = {
        "loss": metrics.mean_squared_error(y_true, y_pred),
        "mean_absolute_error": metrics.mean_absolute_error(y_true, y_pred),
        "r2": metrics.r2_score(y_true, y_pred),
    }
    return Evaluation({k: float(v) for k, v in scores.items()}, len(y_true))


def _classification(bundle, features, column, source, target):
    names = tuple(str(name) for name in bundle.class_names)
    y_true = _class_indices(column, names, source, target)
    y_pred = _class_indices(bundle.predict(features), names, source, target)
    scores = {"accuracy": metrics.accuracy_score(y_true, y_pred)}
    if hasattr(bundle, "predict_proba"):
        probabilities = bundle.predict_proba(features)
        scores["loss"] = metrics.log_loss(
            y_true, probabilities, labels=list(range(len(names)))
        )
    labels = list(range(len(names)))
    report = metrics.classification_report(
        y_true, y_pred, labels=labels, target_names=names, zero_division=0
    )
    confusion = metrics.confusion_matrix(y_true, y_pred, labels=labels)
    return Evaluation(
        {k: float(v) for k, v in sorted(scores.items())},
        len(y_true),
        report,
        confusion,
        names,
    )


def _class_indices(labels, names, source, target):
    """Class labels -> indices, matched by their keys as ``load_dataset`` matches
    them (``data.csv_labels``: no surrounding spaces, whole numbers by value,
    so ``1.0`` and ``01`` are the class ``"1"``). Each distinct label is
    looked up once."""
    lookup = {key: index for index, key in enumerate(class_keys(names))}
    series = pd.Series(list(labels), dtype=object)
    codes, distinct = pd.factorize(series, use_na_sentinel=False)  # NaN: a label
    keys = label_keys(pd.Series([str(label) for label in distinct], dtype=object))
    known = np.array([lookup.get(key, -1) for key in keys], dtype=np.int64)
    indices = known[codes]
    if (indices < 0).any():
        row = int(np.flatnonzero(indices < 0)[0])
        label = distinct[codes[row]]
        raise ValueError(
            f"{source}: column {target!r}, data row {row + 1}: unknown class "
            f"{keys[codes[row]]!r}. The model knows the classes {list(names)}. "
            f"Received: {label!r}"
        )
    return indices


def plot_confusion(evaluation, title):
    """A confusion-matrix figure: counts, true class down, predicted across.

    Returns:
        A ``matplotlib.figure.Figure`` (no pyplot, no backend needed).

    Example:
        >>> evaluation = Evaluation({"accuracy": 0.75}, 4,
        ...     confusion=np.array([[2, 0], [1, 1]]), class_names=("no", "yes"))
        >>> axes = plot_confusion(evaluation, "A rule").axes[0]
        >>> print(axes.get_title())
        A rule
        75.0% of 4 rows correct
        >>> [text.get_text() for text in axes.texts]  # row by row: true class
        ['2', '0', '1', '1']
    """
    matrix = evaluation.confusion
    names = evaluation.class_names
    size = 2.5 + 0.45 * len(names)
    figure = mpl_figure.Figure(figsize=(size + 1.2, size))
    axes = figure.subplots()
    image = axes.imshow(matrix, cmap="Blues")
    for (i, j), count in np.ndenumerate(matrix):
        dark = count > matrix.max() / 2
        axes.text(j, i, str(count), ha="center", va="center",
                  color="white" if dark else "black", fontsize=9)  # fmt: skip
    axes.set_xticks(range(len(names)), names, rotation=45, ha="right")
    axes.set_yticks(range(len(names)), names)
    axes.set_xlabel("predicted class")
    axes.set_ylabel("true class")
    accuracy = evaluation.metrics["accuracy"]
    axes.set_title(f"{title}\n{accuracy:.1%} of {evaluation.rows} rows correct")
    figure.colorbar(image, ax=axes, label="rows (count)")
    figure.tight_layout()
    return figure
