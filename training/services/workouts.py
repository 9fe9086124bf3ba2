"""Workouts and their exercises: start (a snapshot of the session), notes, finish, resume,
delete; add, swap and skip exercises for this workout only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from exercises.models import Exercise
from hypertroq.jobs import defer_on_commit
from programs.models import SessionExercise, WorkoutSession
from training.models import (
    ExerciseOrigin,
    SetLog,
    WorkoutExercise,
    WorkoutLog,
)
from training.services.checks import (
    DELETE_FIELDS,
    ENTRY_FK_FIELDS,
    ensure_own_workout,
    ensure_writable,
)
from training.tasks import notify_workout_records, records_lock

# --- Workouts ---------------------------------------------------------------------------------------

# Finish tapped this long after the last set (or the start, with no sets): the workout was left
# open, and it ends at its last set (``workout_finish``). No set rests three hours.
LEFT_OPEN_AFTER = dt.timedelta(hours=3)


@transaction.atomic
def workout_start(
    *, user: Any, session: WorkoutSession | None = None, started_at: dt.datetime | None = None
) -> WorkoutLog:
    """A new workout, empty or following ``session`` (one of the lifter's own programs): its
    exercises are copied with their sets, reps, rest and notes."""
    ensure_writable(user)
    workout = WorkoutLog(user=user, started_at=started_at or timezone.now())
    planned: list[SessionExercise] = []
    if session is not None:
        program = session.program
        if program.user_id != user.pk or program.is_template or program.is_deleted or session.is_deleted:
            raise ValidationError("You can only start a session of your own programs.", code="not_owner")
        workout.program = program
        workout.session = session
        workout.program_name = program.name
        workout.session_name = session.name
        planned = list(SessionExercise.objects.filter(session=session).order_by("order_index", "created_at"))
    workout.full_clean(
        exclude=["user", "program", "session"], validate_unique=False, validate_constraints=False
    )
    workout.save(force_insert=True)
    entries = [
        WorkoutExercise(
            workout_log=workout,
            exercise_id=row.exercise_id,
            session_exercise=row,
            origin=ExerciseOrigin.PLANNED,
            order_index=index,
            planned_sets=row.sets,
            planned_reps=row.reps or "",
            rest_seconds=row.rest_seconds,
            planned_notes=row.notes or "",
        )
        for index, row in enumerate(planned)
    ]
    for entry in entries:
        entry.full_clean(exclude=ENTRY_FK_FIELDS, validate_unique=False, validate_constraints=False)
    WorkoutExercise.objects.bulk_create(entries)
    return workout


@transaction.atomic
def workout_update(
    *, user: Any, workout: WorkoutLog, notes: str, body_weight_kg: Decimal | None
) -> WorkoutLog:
    """The workout's notes and the lifter's body weight that day (optional)."""
    ensure_own_workout(user=user, workout=workout)
    workout.notes = notes.strip()
    workout.body_weight_kg = body_weight_kg
    workout.full_clean(
        exclude=["user", "program", "session"], validate_unique=False, validate_constraints=False
    )
    workout.save(update_fields=["notes", "body_weight_kg", "updated_at"])
    return workout


@transaction.atomic
def workout_finish(*, user: Any, workout: WorkoutLog, finished_at: dt.datetime | None = None) -> WorkoutLog:
    """Mark the workout finished (now, never before it started). Finishing twice changes nothing.

    A workout left open (Finish tapped more than ``LEFT_OPEN_AFTER`` after its last set, or after
    its start when it has no sets: the next morning, say) ends at its last set, not at the tap, so
    its duration is the training's. Queries: the update (in a savepoint when nested), and for a
    workout older than ``LEFT_OPEN_AFTER`` one more, its last set's time.

    After commit, a job tells the lifter the personal records the workout set (one notification
    per workout, whatever the number of finishes)."""
    ensure_own_workout(user=user, workout=workout)
    if workout.finished_at is not None:
        return workout
    ended = finished_at or timezone.now()
    if finished_at is None and ended - workout.started_at > LEFT_OPEN_AFTER:
        last_set = SetLog.objects.filter(workout_log=workout).aggregate(last=Max("logged_at"))["last"]
        stopped = last_set or workout.started_at
        if ended - stopped > LEFT_OPEN_AFTER:
            ended = stopped
    workout.finished_at = max(ended, workout.started_at)
    workout.save(update_fields=["finished_at", "updated_at"])
    defer_on_commit(
        notify_workout_records, queueing_lock=records_lock(workout.pk), workout_id=str(workout.pk)
    )
    return workout


@transaction.atomic
def workout_resume(*, user: Any, workout: WorkoutLog) -> WorkoutLog:
    """Un-finish a workout (the lifter tapped Finish too early)."""
    ensure_own_workout(user=user, workout=workout)
    if workout.finished_at is not None:
        workout.finished_at = None
        workout.save(update_fields=["finished_at", "updated_at"])
    return workout


@transaction.atomic
def workout_discard(*, user: Any, workout: WorkoutLog) -> WorkoutLog:
    """Soft-delete a workout (its sets stop counting anywhere); staff can restore it."""
    ensure_own_workout(user=user, workout=workout)
    workout.mark_deleted()
    workout.save(update_fields=DELETE_FIELDS)
    return workout


@transaction.atomic
def workout_staff_soft_delete(*, workout: WorkoutLog) -> WorkoutLog:
    """Staff (admin): hide a workout from the lifter's pages; restorable."""
    if not workout.is_deleted:
        workout.mark_deleted()
        workout.save(update_fields=DELETE_FIELDS)
    return workout


@transaction.atomic
def workout_staff_restore(*, workout: WorkoutLog) -> WorkoutLog:
    if workout.is_deleted:
        workout.mark_restored()
        workout.save(update_fields=DELETE_FIELDS)
    return workout


# --- Exercises of a workout -------------------------------------------------------------------------


def _next_entry_index(workout: WorkoutLog) -> int:
    top = WorkoutExercise.objects.filter(workout_log=workout).aggregate(top=Max("order_index"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def workout_exercise_add(*, user: Any, workout: WorkoutLog, exercise: Exercise) -> WorkoutExercise:
    """Add ``exercise`` (from the library or the lifter's own) at the end of the workout."""
    ensure_own_workout(user=user, workout=workout)
    if not exercise.is_global and exercise.created_by_id != user.pk:
        raise ValidationError({"exercise": "Choose an exercise from the library or your own."})
    entry = WorkoutExercise(
        workout_log=workout,
        exercise=exercise,
        origin=ExerciseOrigin.ADDED,
        order_index=_next_entry_index(workout),
    )
    entry.full_clean(exclude=ENTRY_FK_FIELDS, validate_unique=False, validate_constraints=False)
    entry.save(force_insert=True)
    return entry


@transaction.atomic
def workout_exercise_swap(*, user: Any, entry: WorkoutExercise, exercise: Exercise) -> WorkoutExercise:
    """Do ``exercise`` instead of the entry's exercise in this workout only (the program keeps
    its exercise). Refused once sets are logged for it: add the other exercise instead."""
    workout = entry.workout_log
    ensure_own_workout(user=user, workout=workout)
    if not exercise.is_global and exercise.created_by_id != user.pk:
        raise ValidationError({"exercise": "Choose an exercise from the library or your own."})
    if exercise.pk == entry.exercise_id:
        return entry
    if SetLog.objects.filter(workout_exercise=entry).exists():
        raise ValidationError(
            "Sets are already logged for this exercise; add the other exercise instead.", code="has_sets"
        )
    if entry.swapped_from_id is None:
        entry.swapped_from_id = entry.exercise_id
    elif entry.swapped_from_id == exercise.pk:
        entry.swapped_from_id = None  # swapped back to the planned exercise
    entry.exercise = exercise
    entry.skipped = False
    entry.save(update_fields=["exercise", "swapped_from", "skipped", "updated_at"])
    return entry


@transaction.atomic
def workout_exercise_skip(*, user: Any, entry: WorkoutExercise, skipped: bool = True) -> WorkoutExercise:
    """Mark a planned exercise skipped today (or not skipped any more)."""
    ensure_own_workout(user=user, workout=entry.workout_log)
    if entry.skipped != skipped:
        entry.skipped = skipped
        entry.save(update_fields=["skipped", "updated_at"])
    return entry
