"""scikit-learn's own estimator checks, run over one estimator per zoo model.

``parametrize_with_checks`` generates scikit-learn's API and legacy checks
(cloning, parameters, pickling, NaN/inf/sparse refusal, fitted-state
errors, feature counts, label types, minimum accuracy on blobs...). The
checks fit about 55 times per estimator on tiny data, and each ``fit``
builds a new Keras model and traces a new ``Trainer``: that tracing, not
the epochs, is the cost (about 0.7 s of CPU per fit). The estimators keep
Adam, the default: plain SGD traces a little faster (0.5 s) but diverges on
some of the checks' unscaled data at any step size that also trains.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from nda_models.sklearn import NDAClassifier, NDARegressor, expected_failed_checks

FAST = dict(epochs=8, batch_size=32, learning_rate=0.1, random_state=0)

ESTIMATORS = [
    NDARegressor("linear_regressor", **FAST),
    NDARegressor("mlp_regressor", hidden_units=(16,), **FAST),
    NDAClassifier("logistic_neuron", **FAST),
    NDAClassifier("perceptron", **FAST),
    NDAClassifier("softmax_classifier", **FAST),
    NDAClassifier("mlp_classifier", hidden_units=(16,), **FAST),
]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
