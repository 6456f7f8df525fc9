"""The small data sets bundled with scikit-learn (no download needed).

``iris_setosa`` is the perceptron slide of lecture 12 ("Perceptron Example",
Fisher's iris): petal length x1 and petal width x2, label 1 for *Iris setosa*
and 0 otherwise. Each data set registers itself (``register_dataset``).
"""

import numpy as np

from nda_models.core.lazy_module import lazy_module
from nda_models.data.registry import register_dataset
from nda_models.data.table import Table, classification_task

sklearn_datasets = lazy_module("sklearn.datasets")


@register_dataset(
    "iris", task="multiclass", summary="Fisher's iris: 4 measurements, 3 species"
)
def iris():
    """Fisher's iris (scikit-learn's ``load_iris``)."""
    return load_sklearn("load_iris")


@register_dataset(
    "digits",
    task="multiclass",
    summary="8x8 images of handwritten digits, 10 classes",
)
def digits():
    """8x8 digit images (scikit-learn's ``load_digits``)."""
    return load_sklearn("load_digits")


@register_dataset(
    "breast_cancer", task="binary", summary="Wisconsin breast cancer, 30 features"
)
def breast_cancer():
    """Wisconsin breast cancer (scikit-learn's ``load_breast_cancer``)."""
    return load_sklearn("load_breast_cancer")


@register_dataset(
    "diabetes",
    task="regression",
    summary="diabetes progression after one year (regression)",
)
def diabetes():
    """Diabetes progression (scikit-learn's ``load_diabetes``), a regression."""
    return load_sklearn("load_diabetes")


@register_dataset(
    "wine", task="multiclass", summary="chemical analysis of wines from 3 cultivars"
)
def wine():
    """Wines from 3 cultivars (scikit-learn's ``load_wine``)."""
    return load_sklearn("load_wine")


def load_sklearn(loader_name):
    """Loads a data set from scikit-learn's bundled files.

    Args:
        loader_name: The ``sklearn.datasets`` function, e.g. ``"load_wine"``.

    Returns:
        A ``Table``: a regression if the targets are not class indices with
        names (``diabetes``), else classes in scikit-learn's order.

    Example:
        >>> load_sklearn("load_wine").x.shape
        (178, 13)
    """
    bunch = getattr(sklearn_datasets, loader_name)()
    info = {"source": f"sklearn.datasets.{loader_name}"}
    if "target_names" not in bunch:
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


@register_dataset(
    "iris_setosa",
    task="binary",
    summary="perceptron slide: petal length/width, 1 = setosa",
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
    bunch = sklearn_datasets.load_iris()
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
        {"source": "sklearn.datasets.load_iris, petal columns, setosa vs rest"},
    )
