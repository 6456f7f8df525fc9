"""The small data sets bundled with scikit-learn (no download needed).

``iris_setosa`` is the perceptron slide of lecture 12 ("Perceptron Example",
Fisher's iris): petal length x1 and petal width x2, label 1 for *Iris setosa*
and 0 otherwise.
"""

import numpy as np

from nda_models.data.table import Table, classification_task

# name -> (sklearn loader function name, one-line summary)
SKLEARN_SETS = {
    "iris": ("load_iris", "Fisher's iris: 4 measurements, 3 species"),
    "digits": ("load_digits", "8x8 images of handwritten digits, 10 classes"),
    "breast_cancer": ("load_breast_cancer", "Wisconsin breast cancer, 30 features"),
    "diabetes": ("load_diabetes", "diabetes progression after one year (regression)"),
    "wine": ("load_wine", "chemical analysis of wines from 3 cultivars"),
}


def load_sklearn(name):
    """Loads one of ``SKLEARN_SETS`` from scikit-learn's bundled files.

    Args:
        name: A key of ``SKLEARN_SETS``.

    Returns:
        A ``Table``; classification labels keep scikit-learn's class order.

    Example:
        >>> load_sklearn("wine").x.shape
        (178, 13)
    """
    import sklearn.datasets

    loader_name, summary = SKLEARN_SETS[name]
    bunch = getattr(sklearn.datasets, loader_name)()
    info = {"source": f"sklearn.datasets.{loader_name}", "summary": summary}
    if name == "diabetes":
        return Table(
            bunch.data.astype(np.float32),
            bunch.target.astype(np.float32),
            tuple(bunch.feature_names),
            None,
            "regression",
            info,
        )
    class_names = tuple(str(label) for label in bunch.target_names)
    return Table(
        bunch.data.astype(np.float32),
        bunch.target.astype(np.int32),
        tuple(str(feature) for feature in bunch.feature_names),
        class_names,
        classification_task(len(class_names)),
        info,
    )


def iris_setosa():
    """The perceptron slide: petal length and width, label 1 for setosa.

    Returns:
        A binary ``Table`` of 150 rows and 2 features, class names
        ``("not setosa", "setosa")``.

    Example:
        >>> int(iris_setosa().y.sum())
        50
    """
    import sklearn.datasets

    bunch = sklearn.datasets.load_iris()
    petal = [
        bunch.feature_names.index(f"petal {part} (cm)") for part in ("length", "width")
    ]
    setosa = list(bunch.target_names).index("setosa")
    return Table(
        bunch.data[:, petal].astype(np.float32),
        (bunch.target == setosa).astype(np.int32),
        tuple(bunch.feature_names[i] for i in petal),
        ("not setosa", "setosa"),
        "binary",
        {
            "source": "sklearn.datasets.load_iris, petal columns, setosa vs rest",
            "summary": "perceptron slide: petal length/width, 1 = Iris setosa",
        },
    )
