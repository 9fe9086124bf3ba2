"""What every training write checks: the lifter may write, the workout is theirs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from accounts.permissions import READ_ONLY_MESSAGE
from accounts.tiers import is_read_only
from training.models import WorkoutLog

DELETE_FIELDS = ["is_deleted", "deleted_at", "updated_at"]
SET_FK_FIELDS = ["workout_log", "workout_exercise", "exercise"]
ENTRY_FK_FIELDS = ["workout_log", "exercise", "session_exercise", "swapped_from"]


def ensure_writable(user: Any) -> None:
    if is_read_only(user):
        raise ValidationError(READ_ONLY_MESSAGE, code="read_only")


def ensure_own_workout(*, user: Any, workout: WorkoutLog) -> None:
    if workout.user_id != getattr(user, "pk", None) or workout.is_deleted:
        raise ValidationError("This is not one of your workouts.", code="not_owner")
    ensure_writable(workout.user if "user" in workout._state.fields_cache else user)
