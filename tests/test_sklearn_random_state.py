"""``random_state``: scikit-learn's name and meaning on both estimators.

Same ``int``, bitwise the same predictions (initial weights, dropout masks,
mini-batch order and the early-stopping split all follow it); ``None``
follows NumPy's global generator; a ``RandomState`` or ``Generator`` is
drawn from; ``seed`` is only a deprecated alias.
"""

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV
from sklearn.utils.estimator_checks import set_random_state

from nda_models.sklearn import NDAClassifier, NDARegressor

X, Y = load_iris(return_X_y=True)
# Every random part at once: Glorot weights, dropout, mini-batches of 16 < n,
# and the early-stopping split.
RANDOM_PARTS = dict(
    model="mlp_classifier", hidden_units=(8,), dropout=0.2, epochs=3,
    batch_size=16, early_stopping=True, n_iter_no_change=2,
)  # fmt: skip


def _proba(est):
    return est.fit(X, Y).predict_proba(X)


def test_same_int_gives_bitwise_identical_predictions():
    first = _proba(NDAClassifier(random_state=3, **RANDOM_PARTS))
    again = _proba(NDAClassifier(random_state=3, **RANDOM_PARTS))
    other = _proba(NDAClassifier(random_state=4, **RANDOM_PARTS))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_regressor_same_int_is_reproducible():
    # mlp_regressor stops early by default: its validation split follows too.
    y = X[:, 0] + 0.5 * X[:, 1]
    options = dict(model="mlp_regressor", hidden_units=(8,), dropout=0.1, epochs=2)
    fitted = NDARegressor(random_state=0, **options).fit(X, y)
    again = NDARegressor(random_state=0, **options).fit(X, y)
    other = NDARegressor(random_state=1, **options).fit(X, y)
    assert "val_loss" in fitted.history_
    np.testing.assert_array_equal(fitted.predict(X), again.predict(X))
    assert fitted.history_ == again.history_
    assert other.history_["val_loss"] != fitted.history_["val_loss"]


def test_set_random_state_of_the_estimator_checks_makes_fits_identical():
    est = NDAClassifier(**RANDOM_PARTS)
    set_random_state(est)
    assert est.random_state == 0
    np.testing.assert_array_equal(_proba(clone(est)), _proba(clone(est)))


def test_none_draws_from_numpys_global_generator():
    est = NDAClassifier(**RANDOM_PARTS)
    assert est.random_state is None
    assert not np.array_equal(_proba(clone(est)), _proba(clone(est)))
    np.random.seed(7)
    first = _proba(clone(est))
    np.random.seed(7)
    np.testing.assert_array_equal(first, _proba(clone(est)))


def test_a_random_state_instance_is_drawn_from_and_advanced():
    rng = np.random.RandomState(5)
    est = NDAClassifier(random_state=rng, **RANDOM_PARTS)
    first, second = _proba(est), _proba(est)
    assert not np.array_equal(first, second)  # the instance moved on
    again = _proba(NDAClassifier(random_state=np.random.RandomState(5), **RANDOM_PARTS))
    np.testing.assert_array_equal(first, again)


def test_a_numpy_generator_is_accepted():
    first = _proba(NDAClassifier(random_state=np.random.default_rng(1), **RANDOM_PARTS))
    again = _proba(NDAClassifier(random_state=np.random.default_rng(1), **RANDOM_PARTS))
    np.testing.assert_array_equal(first, again)


def test_bad_random_state_is_refused_with_scikit_learns_message():
    with pytest.raises(ValueError, match="'abc' cannot be used to seed"):
        NDAClassifier("logistic_neuron", random_state="abc").fit(X, Y == 0)


def test_seed_is_a_deprecated_alias_of_random_state():
    est = NDAClassifier(seed=3, **RANDOM_PARTS)
    with pytest.warns(FutureWarning, match="`seed` was renamed `random_state`"):
        first = _proba(est)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)  # random_state warns nothing
        np.testing.assert_array_equal(
            first, _proba(NDAClassifier(random_state=3, **RANDOM_PARTS))
        )
    with pytest.raises(ValueError, match="give only random_state"):
        NDAClassifier(seed=3, random_state=3, **RANDOM_PARTS).fit(X, Y)


def test_grid_search_is_reproducible_run_to_run():
    def search():
        est = NDAClassifier("mlp_classifier", hidden_units=(4,), epochs=3,
                            batch_size=16, random_state=0)  # fmt: skip
        grid = {"learning_rate": [0.01, 0.1]}
        return GridSearchCV(est, grid, cv=2).fit(X, Y).cv_results_["mean_test_score"]

    np.testing.assert_array_equal(search(), search())
