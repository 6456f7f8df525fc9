"""Shared pytest setup: quiet TensorFlow, deterministic seeds, registry isolation,
and how ``make test`` shares the tests between its two workers (pytest-xdist)."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
# scikit-learn's estimator checks include check_array_api_input, which runs
# only when SciPy's array API support is on; scikit-learn's docs say to set it
# before SciPy is imported (here, before any test module imports it).
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import pytest  # noqa: E402

# ``make test`` runs on two workers with ``--dist loadscope``: a module's
# functions go to one worker (its module-scoped fixtures are built once), a
# class's tests to one worker. The modules that take longest are sent first,
# so that the many short ones fill in at the end on both workers.
FIRST = (
    "tests/test_notebooks.py",
    "tests/test_sklearn_checks.py",
    "tests/test_scripts.py",
)


def pytest_collection_modifyitems(config, items):
    rank = {module: place for place, module in enumerate(FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(FIRST)))


@pytest.fixture
def isolated_registry():
    """Lets a test register models; restores the registry afterwards."""
    from nda_models.zoo import registry

    saved = dict(registry._REGISTRY)
    saved_loaded = registry._plugins_loaded
    yield registry
    registry._REGISTRY.clear()
    registry._REGISTRY.update(saved)
    registry._plugins_loaded = saved_loaded


@pytest.fixture
def sigint_raises():
    """Python's own SIGINT handler for the test (a background job, as in CI,
    starts with SIGINT ignored, and a raised SIGINT would then do nothing)."""
    import signal

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)
