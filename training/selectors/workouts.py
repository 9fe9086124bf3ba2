"""The lifter's preferences, and one workout with its exercises and sets (each lookup by id 404s for
anything not the lifter's own)."""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.http import Http404

from accounts.preferences import CountingRule, UserPreferences
from accounts.selectors import user_preferences_for
from exercises.models import Exercise
from hypertroq.http import valid_uuid
from training.models import SetLog, WorkoutExercise, WorkoutLog
from training.selectors.common import authenticated

# --- Preferences ------------------------------------------------------------------------------------


def preferences_for(*, user: Any) -> UserPreferences:
    """The lifter's preferences (``accounts.UserPreferences``); an unsaved row with the defaults
    when they never saved any. No query when they came with the user
    (``select_related("user__preferences")``)."""
    return user_preferences_for(user=user if authenticated(user) else None)


def counting_rule_for(*, user: Any) -> str:
    """Fractional or direct: the counting rule on the lifter's preferences (one setting, shared
    with the program pages)."""
    if authenticated(user):
        return str(user_preferences_for(user=user).counting)
    return str(CountingRule.FRACTIONAL)


def time_zone_for(prefs: UserPreferences) -> ZoneInfo:
    return ZoneInfo(prefs.time_zone or "UTC")


# --- Workouts ---------------------------------------------------------------------------------------

_WORKOUT_RELATED = (
    "user__preferences",
    "user__training_preferences",
    "user__volume_preference",
    "user__organization",
)


def workout_get_for_owner(*, user: Any, workout_id: uuid.UUID | str) -> WorkoutLog:
    """One of the lifter's (non-deleted) workouts, with their preferences; 404 otherwise."""
    if not authenticated(user) or not valid_uuid(workout_id):
        raise Http404("No such workout.")
    workout = WorkoutLog.objects.filter(user=user, pk=workout_id).select_related(*_WORKOUT_RELATED).first()
    if workout is None:
        raise Http404("No such workout.")
    return workout


def workout_open_for(*, user: Any) -> WorkoutLog | None:
    """The lifter's most recent unfinished workout (to resume), if any."""
    return WorkoutLog.objects.filter(user=user, finished_at__isnull=True).order_by("-started_at").first()


def workout_entries(*, workout: WorkoutLog) -> list[WorkoutExercise]:
    return list(
        WorkoutExercise.objects.filter(workout_log=workout)
        .select_related("exercise", "swapped_from")
        .defer("exercise__embedding", "swapped_from__embedding")
        .order_by("order_index", "created_at")
    )


def workout_entry_get(*, workout: WorkoutLog, entry_id: uuid.UUID | str) -> WorkoutExercise:
    """An exercise entry of ``workout`` (already scoped to its owner); 404 otherwise."""
    if not valid_uuid(entry_id):
        raise Http404("No such exercise in this workout.")
    entry = (
        WorkoutExercise.objects.filter(workout_log=workout, pk=entry_id)
        .select_related("exercise")
        .defer("exercise__embedding")
        .first()
    )
    if entry is None:
        raise Http404("No such exercise in this workout.")
    return entry


def workout_entry_for_exercise(
    *, workout: WorkoutLog, exercise_id: uuid.UUID | str
) -> WorkoutExercise | None:
    """The (first, not skipped first) entry of ``workout`` doing ``exercise_id``."""
    if not valid_uuid(exercise_id):
        return None
    return (
        WorkoutExercise.objects.filter(workout_log=workout, exercise_id=exercise_id)
        .order_by("skipped", "order_index", "created_at")
        .first()
    )


def workout_sets(*, workout: WorkoutLog) -> list[SetLog]:
    return list(SetLog.objects.filter(workout_log=workout).order_by("order_index", "logged_at"))


def set_get_for_workout(*, workout: WorkoutLog, set_id: uuid.UUID | str, deleted: bool = False) -> SetLog:
    """A set of ``workout`` (a deleted one for Undo when ``deleted``); 404 otherwise."""
    if not valid_uuid(set_id):
        raise Http404("No such set.")
    found = (
        SetLog.all_objects.filter(workout_log=workout, pk=set_id, is_deleted=deleted)
        .select_related("exercise", "workout_exercise")
        .defer("exercise__embedding")
        .first()
    )
    if found is None:
        raise Http404("No such set.")
    return found


def exercise_addable(*, user: Any, exercise_id: uuid.UUID | str) -> Exercise:
    """A library or own custom exercise the lifter may add to a workout; 404 otherwise."""
    if not valid_uuid(exercise_id):
        raise Http404("No such exercise.")
    found = (
        Exercise.objects.filter(Q(is_global=True) | Q(created_by=user), pk=exercise_id)
        .defer("embedding")
        .first()
    )
    if found is None:
        raise Http404("No such exercise.")
    return found


def exercise_choices_for(*, user: Any, query: str = "", limit: int = 30) -> list[Exercise]:
    """Exercises to add: name matches of the library and the lifter's own, alphabetical."""
    qs = Exercise.objects.filter(Q(is_global=True) | Q(created_by=user)).defer("embedding")
    if query:
        qs = qs.filter(name__icontains=query.strip()[:100])
    return list(qs.order_by("name")[:limit])
