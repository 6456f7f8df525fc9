"""scikit-learn's own estimator checks, on each zoo model at its defaults.

``parametrize_with_checks`` generates scikit-learn's API and legacy checks
(cloning, parameters, pickling, NaN/inf/sparse refusal, fitted-state
errors, feature counts, label types, minimum accuracy on blobs, subset and
sample-order invariance...) for ``Estimator(model=NAME)`` with no other
argument, as ``check_estimator`` would. None is declared as an expected
failure: the float32 rounding that once made the invariance checks fail is
gone (predictions run in fixed blocks, ``estimator_model.PREDICT_BLOCK``).

The checks fit each estimator about 55 times on tiny data; the fits share
traced Trainers (``trainer_pool``), so their cost is their epochs.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from nda_models.sklearn import NDAClassifier, NDARegressor

ESTIMATORS = [
    NDARegressor("linear_regressor"),
    NDARegressor("mlp_regressor"),
    NDAClassifier("logistic_neuron"),
    NDAClassifier("perceptron"),
    NDAClassifier("softmax_classifier"),
    NDAClassifier("mlp_classifier"),
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
