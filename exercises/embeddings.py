"""Exercise embeddings: which text describes an exercise, its vector stored and kept current,
query vectors cached. The model itself is a runtime (:mod:`exercises.integrations.embedding_runtime`):
this module builds the process's one runtime from the settings and is its only caller.

Nothing here loads the model at import: it loads on first use (~8 s), never at Django start-up.
When it cannot load, :class:`EmbeddingUnavailable` is raised; callers log it and degrade:
embeddings stay stale, semantic search says it is unavailable.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import struct
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q

from exercises.domain import MUSCLE_ORDER, Muscle
from exercises.integrations.embedding_runtime import BATCH_SIZE, EmbeddingRuntime, EmbeddingUnavailable
from exercises.models import Exercise
from exercises.seed import load_exercises
from hypertroq.metrics import observe_embedding

if TYPE_CHECKING:
    import numpy as np

logger = logging.getLogger(__name__)

WRITE_CHUNK = 256  # texts encoded per call (batches in flight together) and written per UPDATE
QUERY_CACHE_TIMEOUT = 60 * 60 * 24 * 7  # a week: the model is fixed, so a query's vector is too
QUERY_CACHE_PREFIX = "qemb:"


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


@functools.cache
def runtime() -> EmbeddingRuntime:
    """The process's embedding runtime, as the settings describe it (model loaded on first use)."""
    return EmbeddingRuntime(
        backend=settings.EMBEDDING_BACKEND,
        precision=settings.EMBEDDING_PRECISION,
        threads=int(getattr(settings, "EMBEDDING_THREADS", 1)),
        calibration_texts=calibration_texts,
    )


def model_available() -> bool:
    """Load the model if needed; False (logged) when it cannot be loaded."""
    return runtime().available()


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
    """Texts like those the model embeds, for int8 calibration (see :mod:`exercises.integrations.openvino_encoder`):
    every 8th exercise of the seed library as it is embedded, and some searches. Fixed, so every
    process quantises the model the same way and stored vectors match query vectors."""
    texts = [embedding_text(data.as_exercise()) for data in load_exercises()[::8]]
    return [*texts, *CALIBRATION_QUERIES]


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

    Name (and its aliases), equipment, difficulty, muscles in words with their roles, then the
    description, e.g. "Barbell Bench Press (bench press, bench, …). barbell, intermediate. prime mover: chest (pecs); synergists: front
    delts, triceps. Lie on a flat bench…"

    Nothing else, and no field labels. Measured on the labelled queries
    (``exercises/tests/test_semantic_quality.py``), top-5 hits and MRR@20, 256 library texts:
    - with a derived "Compound upper-body push exercise." sentence after the name and the labels
      "Equipment:", "Difficulty:", "Muscles:": 83 tokens on average, 36/40, 0.741;
    - without the sentence: 75 tokens, 38/40, 0.804;
    - without the labels too (now): 69 tokens, 39/40, 0.809. The model time follows the tokens.
    Cutting the description (first sentence only, or 64 tokens in all) lost 2-4 hits.
    The aliases follow the name in brackets ("Romanian Deadlift (RDL, BB RDL, …).", issue 15): the
    40 queries still 39/40; the 10 slang ones at the end of the labelled file ("rdl with dumbbells",
    "hex bar pull from the floor", "military press variation") 5/10 -> 9/10. A changed text makes
    every stored embedding stale: the hourly ``embed_stale_exercises`` job (or ``manage.py
    embed_exercises``) re-embeds them.
    """
    contributions = exercise.muscle_contributions or {}
    equipment = exercise.get_equipment_display().lower()
    difficulty = exercise.get_difficulty_display().lower()
    aliases = exercise.alias_list
    name = exercise.name.strip()
    pieces = [f"{name} ({', '.join(aliases)})." if aliases else f"{name}.", f"{equipment}, {difficulty}."]
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
    started = time.perf_counter()
    vectors = runtime().encode(texts, batch_size=batch_size)
    if len(texts):
        observe_embedding(time.perf_counter() - started, len(texts))  # /metrics: hypertroq_embedding_seconds
    return vectors


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
