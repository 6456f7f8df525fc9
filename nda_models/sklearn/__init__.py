"""scikit-learn estimators for the zoo: ``NDAClassifier``, ``NDARegressor``.

They pass scikit-learn's own estimator checks at their defaults and work in
``Pipeline``, ``GridSearchCV``, ``cross_val_score``, ``clone`` and
``pickle``; ``est.save(path)`` writes a bundle and ``load_estimator(path)``
reads one back. Importing this package imports scikit-learn but not
TensorFlow (``fit`` does).

Example:
    >>> from nda_models.sklearn import NDAClassifier
    >>> from sklearn.model_selection import GridSearchCV
    >>> grid = {"learning_rate": [0.01, 0.1], "batch_size": [8, 32]}
    >>> search = GridSearchCV(NDAClassifier("softmax_classifier"), grid, cv=3)
"""

from nda_models.sklearn.classifier import NDAClassifier
from nda_models.sklearn.loading import load_estimator
from nda_models.sklearn.regressor import NDARegressor

__all__ = ["NDAClassifier", "NDARegressor", "load_estimator"]
