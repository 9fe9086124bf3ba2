"""Reads of the exercise library, scoped to what the requesting user may see.

Reused by the program builder (exercise picker, "swap"):

- :func:`exercise_search` — filtered, typo-tolerant name search, ordered by relevance.
- :func:`exercise_semantic_search` — plain-language search (embedding + name blend). It does NOT
  count an AI query; call :func:`exercises.services.exercise_semantic_search_for_user` from views,
  which counts one query and then searches.
- :func:`exercise_get_visible` — one exercise by id, ``Http404`` for anything the user may not see.
- :func:`exercise_substitutes` — the closest exercises training the same prime movers.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, Greatest, Sqrt
from django.http import Http404
from pgvector.django import CosineDistance

from accounts.models import Viewer
from accounts.tiers import signed_in
from exercises import embeddings
from exercises.domain import PRIME_MOVER, Difficulty, Equipment, Muscle
from exercises.models import Exercise
from exercises.search_terms import mentions_pain, search_terms

MUSCLE_MODE_PRIME = "prime"
MUSCLE_MODE_ANY = "any"
MUSCLE_MODES = (MUSCLE_MODE_PRIME, MUSCLE_MODE_ANY)
SCOPE_ALL = "all"
SCOPE_GLOBAL = "global"
SCOPE_MINE = "mine"
SCOPES = (SCOPE_ALL, SCOPE_GLOBAL, SCOPE_MINE)

# Name search: word_similarity(query, name) >= this threshold (set per connection in apps.py so the
# ``%>`` operator, which the GIN trigram index serves, uses it). 0.4 lets "benhc pres" find
# "Barbell Bench Press" (0.5) while "bench" does not match "Barbell Back Squat" (0.17).
NAME_WORD_SIMILARITY_THRESHOLD = 0.4
MAX_QUERY_LENGTH = 200
MIN_TRIGRAM_QUERY = 3
# Name search leaves out results whose word similarity is this far below the best name's (it runs
# from the 0.4 threshold to 1): "chin-up" matches Chin-Up at 1.0 and Machine Chest Press at 0.5.
NAME_SEARCH_TAIL = 0.45

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


def exercise_visible_queryset(*, user: Viewer | None) -> QuerySet[Exercise]:
    """Global exercises plus, for a signed-in user, their own custom ones (deleted ones hidden)."""
    visible = Q(is_global=True)
    if signed_in(user):
        visible |= Q(created_by=user)
    return Exercise.objects.filter(visible).defer("embedding")


def exercise_get_visible(*, user: Viewer | None, exercise_id: UUID | str) -> Exercise:
    """The exercise ``exercise_id`` if ``user`` may see it; ``Http404`` otherwise.

    Another user's custom exercise, a deleted exercise and a malformed id all give ``Http404``.
    """
    try:
        return exercise_visible_queryset(user=user).get(pk=exercise_id)
    except (Exercise.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404("No such exercise.") from exc


def exercise_get_owned(*, user: Viewer | None, exercise_id: UUID | str) -> Exercise:
    """``user``'s own (non-deleted) custom exercise ``exercise_id``; ``Http404`` for anything else,
    library exercises included (they are changed by staff only)."""
    if not signed_in(user):
        raise Http404("No such exercise.")
    try:
        return Exercise.objects.defer("embedding").get(pk=exercise_id, is_global=False, created_by=user)
    except (Exercise.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404("No such exercise.") from exc


def _clean_values(values: Iterable[str] | str | None, allowed: Sequence[str]) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [v for v in dict.fromkeys(values) if v in allowed]


def prime_mover_of_any(muscles: Iterable[str]) -> Q:
    """The exercise has one of ``muscles`` as a prime mover."""
    condition = Q()
    for muscle in muscles:
        condition |= Q(muscle_contributions__contains={muscle: PRIME_MOVER})
    return condition


def exercise_filter(
    qs: QuerySet[Exercise],
    *,
    user: Viewer | None,
    muscles: Iterable[str] = (),
    muscle_mode: str = MUSCLE_MODE_PRIME,
    equipment: Iterable[str] = (),
    difficulty: str | None = None,
    scope: str = SCOPE_ALL,
) -> QuerySet[Exercise]:
    """Apply the library filters to ``qs``. Unknown values are ignored (forms report them).

    Several muscles mean "any of them" (as prime mover, or with any contribution when
    ``muscle_mode="any"``); several equipment values mean "any of them".
    """
    muscle_list = _clean_values(muscles, Muscle.values)
    if muscle_list:
        if muscle_mode == MUSCLE_MODE_ANY:
            qs = qs.filter(muscle_contributions__has_any_keys=muscle_list)
        else:
            qs = qs.filter(prime_mover_of_any(muscle_list))
    equipment_list = _clean_values(equipment, Equipment.values)
    if equipment_list:
        qs = qs.filter(equipment__in=equipment_list)
    if difficulty and difficulty in Difficulty.values:
        qs = qs.filter(difficulty=difficulty)
    if scope == SCOPE_GLOBAL:
        qs = qs.filter(is_global=True)
    elif scope == SCOPE_MINE:
        qs = qs.filter(is_global=False, created_by=user) if signed_in(user) else qs.none()
    return qs


def normalise_query(text: str | None) -> str:
    """Collapse whitespace and cut to :data:`MAX_QUERY_LENGTH` characters."""
    return " ".join((text or "").split())[:MAX_QUERY_LENGTH]


def _trains_or_names(word: str, muscles: Sequence[str]) -> Q:
    """The exercise trains one of ``muscles`` (0.5 or more) or has ``word`` in its name or aliases:
    "bicep curl" keeps every curl for the biceps and drops leg curls, "chest supported row" keeps
    the chest-supported rows."""
    condition = Q(name__icontains=word) | Q(aliases__icontains=word)
    for muscle in muscles:
        condition |= Q(muscle_contributions__contains={muscle: PRIME_MOVER})
        for level in (0.5, 0.75):
            condition |= Q(muscle_contributions__contains={muscle: level})
    return condition


def exercise_search(
    *,
    user: Viewer | None,
    query: str = "",
    muscles: Iterable[str] = (),
    muscle_mode: str = MUSCLE_MODE_PRIME,
    equipment: Iterable[str] = (),
    difficulty: str | None = None,
    scope: str = SCOPE_ALL,
) -> QuerySet[Exercise]:
    """Visible exercises matching the filters and (typo-tolerant) name ``query``, best first.

    The query is read as a lifter means it (:mod:`exercises.search_terms`: abbreviations spelt
    out, plurals singular, muscle words as a condition) and matched against the name and the
    aliases with pg_trgm's word similarity (``%>``, served by the GIN indexes
    ``ix_exercises_name_trgm`` and ``ix_exercises_aliases_trgm``), or as a substring for one or
    two characters. Order: an exact name or alias first, then by score: the best word similarity
    to the name or an alias, plus half the whole-name similarity (the closer name first: "pullup"
    puts Pull-Up before Neutral-Grip Pull-Up), then name. Results scoring far below the best
    (:data:`NAME_SEARCH_TAIL`) are left out: "chin-up" does not list a chest press. Without a query
    the order is alphabetical.
    """
    qs = exercise_filter(
        exercise_visible_queryset(user=user),
        user=user,
        muscles=muscles,
        muscle_mode=muscle_mode,
        equipment=equipment,
        difficulty=difficulty,
        scope=scope,
    )
    query = normalise_query(query)
    if not query:
        return qs.order_by("name", "id")
    if mentions_pain(query):
        # Pain is for a professional (the view says so); a name will not match "knee pain", so
        # every gentle, low-load exercise is offered.
        return qs.filter(is_gentle=True).order_by("name", "id")
    terms = search_terms(query)
    if not terms.forms:  # nothing but punctuation
        return qs.none()
    # A muscle word is a condition (below), so the name is matched on the other words: "bicep
    # curl" finds every curl that trains the biceps, hammer and preacher curls too; the whole text
    # still orders them (relevance).
    text = terms.without_muscle_words or terms.text
    for word, trained in terms.muscles.items():
        qs = qs.filter(_trains_or_names(word, trained))
    unmatched = qs
    # Trigram matching needs a few characters; one or two are matched as a substring instead.
    if len(text) >= MIN_TRIGRAM_QUERY:
        qs = qs.filter(Q(name__trigram_word_similar=text) | Q(aliases__trigram_word_similar=text))
    else:
        qs = qs.filter(Q(name__icontains=text) | Q(aliases__icontains=text))
    # An exact name or alias, hyphens and spaces alike ("chin up" = "Chin-Up" = "chinup" alias):
    # one case-insensitive regex per column (the forms are letters, digits and single spaces).
    words = "|".join(form.replace(" ", "[- ]?") for form in terms.forms)
    exact = Q(name__iregex=f"^({words})$") | Q(aliases__iregex=f"(^|, )({words})(,|$)")
    has_aliases = ~Q(aliases="")
    # Most exercises (all custom ones) have no aliases: CASE skips their alias similarity.
    alias_similarity = Case(
        When(has_aliases, then=TrigramWordSimilarity(text, "aliases")), default=Value(0.0)
    )
    word_match = Greatest(TrigramWordSimilarity(text, "name"), alias_similarity)
    # word_match is an alias (not selected): SQL repeats an expression wherever it is used, and
    # trigram functions are the cost, so it is computed once in WHERE and once inside relevance.
    scored = qs.alias(word_match=word_match).annotate(
        relevance=ExpressionWrapper(
            F("word_match") + Value(0.5) * TrigramSimilarity("name", terms.text), output_field=FloatField()
        ),
    )
    # The best word match of a name (an InitPlan, computed once), to leave out the far tail. Only
    # names that match whole words well (``%>>``, strict word similarity >= 0.5, served by the same
    # index) are looked at: far fewer rows than the matches, and when none does (a typo) nothing
    # is cut. Names only, so an alias can only lower the bar.
    best = Subquery(
        unmatched.filter(name__trigram_strict_word_similar=text)
        .annotate(name_match=TrigramWordSimilarity(text, "name"))
        .order_by("-name_match")
        .values("name_match")[:1]
    )
    return (
        scored.annotate(exact=ExpressionWrapper(exact, output_field=BooleanField()))
        .filter(word_match__gte=Coalesce(best, Value(0.0)) - Value(NAME_SEARCH_TAIL))
        .order_by("-exact", "-relevance", "name", "id")
    )


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


def _contribution_vector_sql(exercise: Exercise) -> tuple[Any, Any]:
    """SQL expressions for (dot product with ``exercise``'s contributions, candidate's norm)."""
    terms = {
        m: Coalesce(Cast(KT(f"muscle_contributions__{m}"), FloatField()), Value(0.0)) for m in Muscle.values
    }
    dot: Any = Value(0.0)
    for muscle, level in exercise.muscle_contributions.items():
        if muscle in terms:
            dot = dot + terms[muscle] * Value(float(level))
    squares: Any = Value(0.0)
    for term in terms.values():
        squares = squares + term * term
    return dot, Sqrt(squares)


def exercise_substitutes(
    *,
    exercise: Exercise,
    user: Viewer | None,
    exclude_equipment: str | Iterable[str] | None = None,
    limit: int = 5,
) -> list[Exercise]:
    """The ``limit`` visible exercises closest to ``exercise`` that share a prime mover.

    Closeness is the cosine similarity of the 17-muscle contribution vectors (computed in SQL over
    the candidates); ties (e.g. the same pattern with other equipment) are broken by embedding
    cosine similarity, then by name. ``exclude_equipment`` drops one or several equipment types.
    """
    prime = [m for m in exercise.prime_movers if m in Muscle.values]
    if not prime:
        return []
    qs = exercise_visible_queryset(user=user).filter(prime_mover_of_any(prime)).exclude(pk=exercise.pk)
    excluded = _clean_values(exclude_equipment, Equipment.values)
    if excluded:
        qs = qs.exclude(equipment__in=excluded)
    own_norm = math.sqrt(sum(float(v) ** 2 for v in exercise.muscle_contributions.values())) or 1.0
    dot, norm = _contribution_vector_sql(exercise)
    qs = qs.annotate(
        contribution_similarity=ExpressionWrapper(dot / (norm * Value(own_norm)), output_field=FloatField())
    )
    embedding = _stored_embedding(exercise)
    if embedding is not None:
        qs = qs.annotate(embedding_distance=CosineDistance("embedding", embedding)).order_by(
            F("contribution_similarity").desc(),
            F("embedding_distance").asc(nulls_last=True),
            "name",
        )
    else:
        qs = qs.order_by(F("contribution_similarity").desc(), "name")
    return list(qs[:limit])


def _stored_embedding(exercise: Exercise) -> list[float] | None:
    if "embedding" in exercise.get_deferred_fields():
        vector = Exercise.all_objects.filter(pk=exercise.pk).values_list("embedding", flat=True).first()
    else:
        vector = exercise.embedding
    return None if vector is None else [float(x) for x in vector]


__all__ = [
    "MUSCLE_MODES",
    "SCOPES",
    "exercise_filter",
    "exercise_get_owned",
    "exercise_get_visible",
    "exercise_search",
    "exercise_semantic_search",
    "exercise_substitutes",
    "exercise_visible_queryset",
]
