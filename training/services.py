"""Writes to the training log. (Workout flow services land with step 2.)"""

from __future__ import annotations

from django.db import transaction

from training.models import WorkoutLog

_DELETE_FIELDS = ["is_deleted", "deleted_at", "updated_at"]


@transaction.atomic
def workout_staff_soft_delete(*, workout: WorkoutLog) -> WorkoutLog:
    """Staff (admin): hide a workout from the lifter's pages; restorable."""
    if not workout.is_deleted:
        workout.mark_deleted()
        workout.save(update_fields=_DELETE_FIELDS)
    return workout


@transaction.atomic
def workout_staff_restore(*, workout: WorkoutLog) -> WorkoutLog:
    if workout.is_deleted:
        workout.mark_restored()
        workout.save(update_fields=_DELETE_FIELDS)
    return workout
