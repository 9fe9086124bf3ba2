"""Stand-ins for the embedding model, for tests that check plumbing rather than the model."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from exercises import embeddings
from exercises.integrations.embedding_runtime import DIMENSIONS, EmbeddingRuntime


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
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z]+", text.lower()):
                slot = int(hashlib.md5(word.encode(), usedforsecurity=False).hexdigest(), 16) % out.shape[1]
                out[row, slot] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else 1.0 / np.sqrt(out.shape[1])
        return out


def install_runtime(monkeypatch: Any, load: Callable[[], Any]) -> EmbeddingRuntime:
    """Make ``exercises.embeddings`` use a runtime whose model ``load()`` builds (or fails to)."""
    runtime = EmbeddingRuntime(load=load)
    monkeypatch.setattr(embeddings, "runtime", functools.cache(lambda: runtime))
    return runtime
