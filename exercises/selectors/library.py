"""The exercise library a user may see, one exercise by id, and the library filters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Viewer
from accounts.tiers import signed_in
from exercises.domain import PRIME_MOVER, Difficulty, Equipment, Muscle
from exercises.models import Exercise

MUSCLE_MODE_PRIME = "prime"
MUSCLE_MODE_ANY = "any"
MUSCLE_MODES = (MUSCLE_MODE_PRIME, MUSCLE_MODE_ANY)
SCOPE_ALL = "all"
SCOPE_GLOBAL = "global"
SCOPE_MINE = "mine"
SCOPES = (SCOPE_ALL, SCOPE_GLOBAL, SCOPE_MINE)


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


def known_values(values: Iterable[str] | str | None, allowed: Sequence[str]) -> list[str]:
    """``values`` (one or several) that are in ``allowed``, each once, in their order."""
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
    muscle_list = known_values(muscles, Muscle.values)
    if muscle_list:
        if muscle_mode == MUSCLE_MODE_ANY:
            qs = qs.filter(muscle_contributions__has_any_keys=muscle_list)
        else:
            qs = qs.filter(prime_mover_of_any(muscle_list))
    equipment_list = known_values(equipment, Equipment.values)
    if equipment_list:
        qs = qs.filter(equipment__in=equipment_list)
    if difficulty and difficulty in Difficulty.values:
        qs = qs.filter(difficulty=difficulty)
    if scope == SCOPE_GLOBAL:
        qs = qs.filter(is_global=True)
    elif scope == SCOPE_MINE:
        qs = qs.filter(is_global=False, created_by=user) if signed_in(user) else qs.none()
    return qs
