"""Matching the exercise names of an imported file to the library, with a confidence (0-1).

In order, for each distinct name: the lifter's remembered choice for that name (1.0); the id a
HypertroQ export gives (1.0); the exact name, or the name rewritten the way other apps spell it
("Bench Press (Barbell)" → "Barbell Bench Press", a few well-known aliases) (1.0 / 0.95); then
the library's own aliases (0.95); the exercises app's typo-tolerant name and alias search
(its relevance scaled to 0-0.9); and when that is
weak, its semantic search (cosine similarity × 0.8, only if the embedding model can load).
Search itself is the exercises app's (``exercise_search``, ``exercise_semantic_search``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from exercises.embeddings import EmbeddingUnavailable
from exercises.models import Exercise
from exercises.selectors import exercise_search, exercise_semantic_search, exercise_visible_queryset
from training.imports.models import ImportNameChoice

logger = logging.getLogger(__name__)

ACCEPT_THRESHOLD = 0.8  # the command accepts suggestions at or above this; the page pre-selects them
SEMANTIC_BELOW = 0.6  # semantic search runs only when the name search is weaker than this
MAX_CANDIDATES = 6

# How other apps name some lifts the library names differently (lower-cased).
ALIASES: dict[str, str] = {
    "squat (barbell)": "barbell back squat",
    "back squat (barbell)": "barbell back squat",
    "barbell squat": "barbell back squat",
    "deadlift (barbell)": "conventional deadlift",
    "deadlift": "conventional deadlift",
    "barbell deadlift": "conventional deadlift",
    "romanian deadlift (barbell)": "romanian deadlift",
    "bent over row (barbell)": "barbell row",
    "barbell bent over row": "barbell row",
    "flat barbell bench press": "barbell bench press",
    "overhead press (barbell)": "overhead press",
    "pull up": "pull-up",
    "chin up": "chin-up",
    "push up": "push-up",
    "lat pulldown (cable)": "lat pulldown",
    "leg press (machine)": "leg press",
    "leg extension (machine)": "leg extension",
    "triceps pushdown (cable - straight bar)": "triceps pushdown",
    "triceps pushdown (cable)": "triceps pushdown",
    "bicep curl (barbell)": "barbell curl",
    "bicep curl (dumbbell)": "dumbbell curl",
    "hammer curl (dumbbell)": "hammer curl",
    "seated row (cable)": "seated cable row",
    "face pull (cable)": "face pull",
    "hip thrust (barbell)": "hip thrust",
}
_SUFFIX = re.compile(r"^(?P<name>.+?)\s*\((?P<kit>[^()]+)\)$")


def name_key(name: str) -> str:
    """The form a name is remembered under: lower-case, single spaces."""
    return " ".join(name.lower().split())[:255]


def spellings(name: str) -> list[str]:
    """``name`` as other apps spell it, rewritten the library's way (lower-cased, best first)."""
    key = name_key(name)
    out = [key]
    if key in ALIASES:
        out.append(ALIASES[key])
    match = _SUFFIX.match(key)
    if match:
        kit = match["kit"].replace(" - ", " ").strip()
        if kit in ("bodyweight", "assisted", "weighted"):
            out.append(match["name"])
        out.append(f"{kit} {match['name']}")
        out.append(match["name"])
    return list(dict.fromkeys(out))


@dataclass
class Suggestion:
    name: str
    sets: int
    exercise_id: str = ""
    exercise_name: str = ""
    confidence: float = 0.0
    source: str = ""  # remembered | export id | exact name | alias | name search | meaning | none
    remembered_skip: bool = False
    candidates: list[tuple[str, str]] = field(default_factory=list)  # (id, name)

    def as_entry(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sets": self.sets,
            "exercise_id": self.exercise_id,
            "exercise_name": self.exercise_name,
            "confidence": round(self.confidence, 2),
            "source": self.source,
            "remembered_skip": self.remembered_skip,
            "candidates": [list(c) for c in self.candidates],
            "decision": "",
        }


def suggest(
    *, user: Any, names: dict[str, int], exercise_ids: dict[str, str] | None = None, semantic: bool = True
) -> list[Suggestion]:
    """One suggestion per name (``names``: name -> sets in the file), most sets first."""
    visible = {
        name_key(e.name): e for e in exercise_visible_queryset(user=user).only("id", "name", "is_global")
    }
    by_id = {str(e.pk): e for e in visible.values()}
    # A lifter's own exercise wins over a library one of the same name.
    for e in exercise_visible_queryset(user=user).filter(is_global=False).only("id", "name", "is_global"):
        visible[name_key(e.name)] = e
    remembered = {
        c.name_key: c
        for c in ImportNameChoice.objects.filter(
            user=user, name_key__in=[name_key(n) for n in names]
        ).select_related("exercise")
    }
    exercise_ids = exercise_ids or {}
    out: list[Suggestion] = []
    for name, sets in sorted(names.items(), key=lambda item: (-item[1], item[0].lower())):
        s = Suggestion(name=name, sets=sets)
        choice = remembered.get(name_key(name))
        if choice is not None and choice.exercise_id is None:
            s.source, s.remembered_skip, s.confidence = "remembered", True, 1.0
        elif choice is not None and str(choice.exercise_id) in by_id:
            _take(s, by_id[str(choice.exercise_id)], 1.0, "remembered")
        elif exercise_ids.get(name) in by_id:
            _take(s, by_id[exercise_ids[name]], 1.0, "export id")
        else:
            _match(s, user=user, visible=visible, semantic=semantic)
        if s.exercise_id and (s.exercise_id, s.exercise_name) not in s.candidates:
            s.candidates.insert(0, (s.exercise_id, s.exercise_name))
        out.append(s)
    return out


def _take(s: Suggestion, exercise: Exercise, confidence: float, source: str) -> None:
    s.exercise_id, s.exercise_name, s.confidence, s.source = (
        str(exercise.pk),
        exercise.name,
        confidence,
        source,
    )


def _match(s: Suggestion, *, user: Any, visible: dict[str, Exercise], semantic: bool) -> None:
    variants = spellings(s.name)
    for index, variant in enumerate(variants):
        if variant in visible:
            _take(s, visible[variant], 1.0 if index == 0 else 0.95, "exact name" if index == 0 else "alias")
            break
    # Name search over the rewritten spellings: candidates for the picker, and a suggestion.
    best: tuple[float, Exercise] | None = None
    for variant in variants[:3]:
        for exercise in exercise_search(user=user, query=variant)[:MAX_CANDIDATES]:
            # exercise_search scores word similarity + half the whole-name similarity (0-1.5).
            relevance = min(float(getattr(exercise, "relevance", 0.0)) / 1.5, 1.0)
            score = 0.95 if getattr(exercise, "exact", False) else relevance * 0.9
            _add_candidate(s, exercise)
            if best is None or score > best[0]:
                best = (score, exercise)
    if not s.exercise_id and best is not None:
        _take(s, best[1], best[0], "name search")
    if semantic and s.confidence < SEMANTIC_BELOW:
        # The rewritten spelling keeps the equipment ("machine butterfly"), which the meaning needs.
        _semantic(s, user=user, text=variants[1] if len(variants) > 1 else variants[0])
    if not s.exercise_id:
        s.source = "none"


def _semantic(s: Suggestion, *, user: Any, text: str) -> None:
    try:
        found = exercise_semantic_search(user=user, text=text, limit=MAX_CANDIDATES)
    except EmbeddingUnavailable:
        logger.info("semantic search unavailable for import mapping; name search only")
        return
    for exercise in found:
        _add_candidate(s, exercise)
    if found and getattr(found[0], "distance", None) is not None:
        score = (1.0 - float(found[0].distance)) * 0.8  # type: ignore[attr-defined]
        if score > s.confidence:
            _take(s, found[0], score, "meaning")


def _add_candidate(s: Suggestion, exercise: Exercise) -> None:
    pair = (str(exercise.pk), exercise.name)
    if pair not in s.candidates and len(s.candidates) < MAX_CANDIDATES:
        s.candidates.append(pair)


def remember(*, user: Any, choices: Iterable[tuple[str, str | None]]) -> None:
    """Store (name, exercise id or None for skip) for ``user``'s next imports (one upsert)."""
    rows = [
        ImportNameChoice(user=user, name_key=name_key(n), exercise_id=e) for n, e in choices if name_key(n)
    ]
    if rows:
        ImportNameChoice.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["user", "name_key"],
            update_fields=["exercise", "updated_at"],
        )
