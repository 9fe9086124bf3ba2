"""Reads of the exercise library, scoped to what the requesting user may see.

Reused by the program builder (exercise picker, "swap"):

- :func:`exercise_search` — filtered, typo-tolerant name search, ordered by relevance.
- :func:`exercise_semantic_search` — plain-language search (embedding + name blend). It does NOT
  count an AI query; call :func:`exercises.services.exercise_semantic_search_for_user` from views,
  which counts one query and then searches.
- :func:`exercise_get_visible` — one exercise by id, ``Http404`` for anything the user may not see.
- :func:`exercise_substitutes` — the closest exercises training the same prime movers.
"""

from exercises.selectors.library import (
    MUSCLE_MODE_ANY,
    MUSCLE_MODE_PRIME,
    MUSCLE_MODES,
    SCOPE_ALL,
    SCOPE_GLOBAL,
    SCOPE_MINE,
    SCOPES,
    exercise_filter,
    exercise_get_owned,
    exercise_get_visible,
    exercise_visible_queryset,
    known_values,
    prime_mover_of_any,
)
from exercises.selectors.search import (
    MAX_QUERY_LENGTH,
    MIN_TRIGRAM_QUERY,
    NAME_SEARCH_TAIL,
    NAME_WORD_SIMILARITY_THRESHOLD,
    exercise_search,
    normalise_query,
)
from exercises.selectors.semantic import (
    HNSW_EF_SEARCH,
    SEARCH_RESULT_DEFERRED,
    SEMANTIC_CANDIDATES,
    SEMANTIC_NAME_MIN_SIMILARITY,
    SEMANTIC_NAME_WEIGHT,
    exercise_semantic_search,
    parse_negated_equipment,
    semantic_nearest_queryset,
)
from exercises.selectors.substitutes import exercise_substitutes

__all__ = [
    "HNSW_EF_SEARCH",
    "MAX_QUERY_LENGTH",
    "MIN_TRIGRAM_QUERY",
    "MUSCLE_MODES",
    "MUSCLE_MODE_ANY",
    "MUSCLE_MODE_PRIME",
    "NAME_SEARCH_TAIL",
    "NAME_WORD_SIMILARITY_THRESHOLD",
    "SCOPES",
    "SCOPE_ALL",
    "SCOPE_GLOBAL",
    "SCOPE_MINE",
    "SEARCH_RESULT_DEFERRED",
    "SEMANTIC_CANDIDATES",
    "SEMANTIC_NAME_MIN_SIMILARITY",
    "SEMANTIC_NAME_WEIGHT",
    "exercise_filter",
    "exercise_get_owned",
    "exercise_get_visible",
    "exercise_search",
    "exercise_semantic_search",
    "exercise_substitutes",
    "exercise_visible_queryset",
    "known_values",
    "normalise_query",
    "parse_negated_equipment",
    "prime_mover_of_any",
    "semantic_nearest_queryset",
]
