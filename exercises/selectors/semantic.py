"""Plain-language search: embedding nearest neighbours blended with name similarity.

:func:`exercise_semantic_search` does NOT count an AI query; views call
:func:`exercises.services.exercise_semantic_search_for_user`, which counts one and then searches.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import QuerySet
from pgvector.django import CosineDistance

from accounts.models import Viewer
from exercises import embeddings
from exercises.domain import Equipment
from exercises.models import Exercise
from exercises.search_terms import mentions_pain
from exercises.selectors.library import (
    MUSCLE_MODE_PRIME,
    SCOPE_ALL,
    exercise_filter,
    exercise_visible_queryset,
)
from exercises.selectors.search import normalise_query

# Semantic search: how many nearest neighbours the HNSW index returns before re-ranking, and the
# weight of name similarity in the blend (embedding similarity weighs 1).
SEMANTIC_CANDIDATES = 60
HNSW_EF_SEARCH = 100
# Columns a list of search results never shows, left unread. The embedding above all: 384 floats
# parsed per row for ~70 candidate rows was a third of a semantic search's time in Python; the
# timestamps are two datetime parses per row.
SEARCH_RESULT_DEFERRED = (
    "embedding",
    "embedding_hash",
    "description",
    "image_url",
    "video_url",
    "created_at",
    "updated_at",
    "deleted_at",
)
SEMANTIC_NAME_WEIGHT = 0.1
SEMANTIC_NAME_MIN_SIMILARITY = 0.5


_NEGATION = re.compile(
    r"\b(?:without|no|not|w/o|minus|except)\s+(?:an?\s+|the\s+|any\s+|using\s+)?"
    r"(smith machines?|resistance bands?|bands?|barbells?|dumbbells?|cables?|machines?|kettlebells?"
    r"|equipment|gear|weights?)\b",
    re.IGNORECASE,
)
_NEGATED_EQUIPMENT: dict[str, tuple[str, ...]] = {
    "smith": (Equipment.SMITH_MACHINE,),
    "resistance": (Equipment.RESISTANCE_BAND,),
    "band": (Equipment.RESISTANCE_BAND,),
    "barbell": (Equipment.BARBELL,),
    "dumbbell": (Equipment.DUMBBELL,),
    "cable": (Equipment.CABLE,),
    "machine": (Equipment.MACHINE, Equipment.SMITH_MACHINE),
    "kettlebell": (Equipment.KETTLEBELL,),
}
_NO_EQUIPMENT_WORDS = ("equipment", "gear", "weight")


def parse_negated_equipment(text: str) -> tuple[str, list[str]]:
    """Read "without a barbell" / "no machines" / "no equipment" out of a description.

    Returns the text with equipment negations removed (embeddings do not understand "without")
    and the equipment to exclude. "No equipment" keeps its words (descriptions say "no equipment
    needed") and excludes everything but bodyweight.
    """
    excluded: list[str] = []

    def replace(match: re.Match[str]) -> str:
        word = match.group(1).lower()
        if word.startswith(_NO_EQUIPMENT_WORDS):
            excluded.extend(e for e in Equipment.values if e != Equipment.BODYWEIGHT)
            return match.group(0)
        key = word.split()[0].rstrip("s")
        excluded.extend(_NEGATED_EQUIPMENT.get(key, ()))
        return " "

    cleaned = " ".join(_NEGATION.sub(replace, text).split())
    return cleaned or text, list(dict.fromkeys(excluded))


def _set_hnsw_search_options() -> None:
    # Filtered nearest-neighbour queries: let the HNSW scan continue until LIMIT rows pass the
    # filters (pgvector >= 0.8); a wider candidate list improves recall. Transaction-local.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', %s, true)",
            [str(HNSW_EF_SEARCH)],
        )


def semantic_nearest_queryset(base: QuerySet[Exercise], vector: Sequence[float]) -> QuerySet[Exercise]:
    """``base`` ordered by cosine distance to ``vector`` (``ORDER BY embedding <=> q``), which the
    HNSW index ``ix_exercises_embedding_cosine`` serves when sliced with a LIMIT."""
    return (
        base.filter(embedding__isnull=False)
        .annotate(distance=CosineDistance("embedding", list(vector)))
        .order_by("distance")
    )


def exercise_semantic_search(
    *,
    user: Viewer | None,
    text: str,
    muscles: Iterable[str] = (),
    muscle_mode: str = MUSCLE_MODE_PRIME,
    equipment: Iterable[str] = (),
    difficulty: str | None = None,
    scope: str = SCOPE_ALL,
    limit: int = 20,
    query_vector: Sequence[float] | None = None,
) -> list[Exercise]:
    """Visible exercises best matching the description ``text`` under the filters.

    Ranking: cosine similarity of the exercise's embedding to the query's (nearest neighbours
    come from the HNSW index ``ix_exercises_embedding_cosine`` via ``ORDER BY embedding <=> q``)
    blended with trigram name similarity; an exact name match always comes first.

    A description that mentions pain or an injury (:func:`exercises.search_terms.mentions_pain`)
    gets gentle exercises only (``is_gentle``); the view adds that pain is for a professional.

    Does not count an AI query. Raises :class:`exercises.embeddings.EmbeddingUnavailable` when the
    model cannot be loaded. Exercises without an embedding yet are found only by name.
    """
    text = normalise_query(text)
    if not text:
        return []
    text, negated_equipment = parse_negated_equipment(text)
    vector = list(query_vector) if query_vector is not None else embeddings.embed_query(text)
    base = exercise_filter(
        exercise_visible_queryset(user=user).defer(*SEARCH_RESULT_DEFERRED),
        user=user,
        muscles=muscles,
        muscle_mode=muscle_mode,
        equipment=equipment,
        difficulty=difficulty,
        scope=scope,
    )
    if negated_equipment:
        base = base.exclude(equipment__in=negated_equipment)
    if mentions_pain(text):
        # Pain is for a professional (the view says so); offer only gentle, low-load exercises.
        base = base.filter(is_gentle=True)
    candidates_n = max(SEMANTIC_CANDIDATES, limit * 3)
    with transaction.atomic():
        _set_hnsw_search_options()
        nearest = list(semantic_nearest_queryset(base, vector)[:candidates_n])
    # Name matches the embedding may have missed (typos, or no embedding yet): a trigram query.
    seen = {e.pk for e in nearest}
    by_name = [
        e
        for e in base.filter(name__trigram_word_similar=text)
        .annotate(relevance=TrigramWordSimilarity(text, "name"))
        .order_by("-relevance")[:10]
        if e.pk not in seen
    ]
    lowered = text.lower()
    scored: list[tuple[float, Exercise]] = []
    for exercise in [*nearest, *by_name]:
        distance = getattr(exercise, "distance", None)
        semantic = 1.0 - float(distance) if distance is not None else 0.0
        word_sim, sim = _name_similarity(lowered, exercise.name.lower())
        # Name similarity counts only when the description reads like a (misspelt) name;
        # otherwise words such as "barbell" would pull every "Barbell …" exercise up.
        score = semantic
        if word_sim >= SEMANTIC_NAME_MIN_SIMILARITY:
            score += SEMANTIC_NAME_WEIGHT * (word_sim + sim) / 2
        if exercise.name.lower() == lowered:
            score += 10.0
        scored.append((score, exercise))
    scored.sort(key=lambda pair: (-pair[0], pair[1].name))
    return [exercise for _, exercise in scored[:limit]]


@functools.lru_cache(maxsize=8192)
def _trigrams(text: str) -> frozenset[str]:
    """pg_trgm-style trigrams of ``text``. Cached: a search compares its query with ~60 names, and
    the same library names come up search after search (this was 30% of a cached search's CPU)."""
    grams: set[str] = set()
    for word in "".join(c if c.isalnum() else " " for c in text).split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def _name_similarity(query: str, name: str) -> tuple[float, float]:
    """Cheap stand-ins for pg_trgm's (word_similarity, similarity) of ``query`` and ``name``:
    the share of the query's trigrams found in the name, and trigram overlap over union (which
    prefers the shorter name when several contain the query)."""
    q = _trigrams(query)
    if not q:
        return 0.0, 0.0
    n = _trigrams(name)
    common = len(q & n)
    return common / len(q), common / len(q | n)
