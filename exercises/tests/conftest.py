"""Fixtures for the exercise tests: a fake embedding model for tests that are not about the model."""

from __future__ import annotations

import pytest

from exercises.tests.fakes import FakeModel, install_runtime


@pytest.fixture
def fake_model(monkeypatch):
    model = FakeModel()
    install_runtime(monkeypatch, lambda: model)
    return model


@pytest.fixture
def broken_model(monkeypatch):
    """The model cannot load (e.g. missing files)."""

    def fail():
        raise OSError("model files missing")

    install_runtime(monkeypatch, fail)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
