"""Shared pytest setup: quiet TensorFlow, deterministic seeds, registry isolation."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import pytest  # noqa: E402


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
