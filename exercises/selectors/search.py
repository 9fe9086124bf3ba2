"""Name search: filtered, typo-tolerant, ordered by relevance (pg_trgm)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
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
from django.db.models.functions import Coalesce, Greatest

from accounts.models import Viewer
from exercises.domain import PRIME_MOVER
from exercises.models import Exercise
from exercises.search_terms import mentions_pain, search_terms
from exercises.selectors.library import (
    MUSCLE_MODE_PRIME,
    SCOPE_ALL,
    exercise_filter,
    exercise_visible_queryset,
)

# Name search: word_similarity(query, name) >= this threshold (set per connection in apps.py so the
# ``%>`` operator, which the GIN trigram index serves, uses it). 0.4 lets "benhc pres" find
# "Barbell Bench Press" (0.5) while "bench" does not match "Barbell Back Squat" (0.17).
NAME_WORD_SIMILARITY_THRESHOLD = 0.4
MAX_QUERY_LENGTH = 200
MIN_TRIGRAM_QUERY = 3
# Name search leaves out results whose word similarity is this far below the best name's (it runs
# from the 0.4 threshold to 1): "chin-up" matches Chin-Up at 1.0 and Machine Chest Press at 0.5.
NAME_SEARCH_TAIL = 0.45


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
