"""Fixtures for the exercise tests: a fake embedding model for tests that are not about the model."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest

from exercises import embeddings


class FakeModel:
    """Deterministic bag-of-words vectors (384 dims, unit length): texts sharing words are close.

    Stands in for all-MiniLM-L6-v2 where a test checks plumbing (quota, cache, storage, views),
    so the suite does not pay ~8 s for torch. Counts ``encode`` calls and texts.
    """

    def __init__(self) -> None:
        self.calls = 0
        self.texts: list[str] = []
        self.batch_sizes: list[int] = []

    def encode(
        self, texts, batch_size=64, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False
    ):
        self.calls += 1
        self.texts.extend(texts)
        self.batch_sizes.append(batch_size)
        out = np.zeros((len(texts), embeddings.EMBEDDING_DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z]+", text.lower()):
                slot = int(hashlib.md5(word.encode(), usedforsecurity=False).hexdigest(), 16) % out.shape[1]
                out[row, slot] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else 1.0 / np.sqrt(out.shape[1])
        return out


@pytest.fixture
def fake_model(monkeypatch):
    model = FakeModel()
    monkeypatch.setattr(embeddings, "_model", model)
    monkeypatch.setattr(embeddings, "_last_failure", None)
    return model


@pytest.fixture
def broken_model(monkeypatch):
    """The model cannot load (e.g. missing files)."""

    def fail():
        raise embeddings.EmbeddingUnavailable("The embedding model could not be loaded.")

    monkeypatch.setattr(embeddings, "get_model", fail)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
