"""Sets: logged once per client id (``INSERT … ON CONFLICT DO NOTHING``), edited, deleted with undo."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from exercises.models import Exercise
from training.models import (
    SetLog,
    WorkoutExercise,
    WorkoutLog,
)
from training.selectors import set_records, workout_entry_for_exercise
from training.services.checks import (
    DELETE_FIELDS,
    SET_FK_FIELDS,
    ensure_own_workout,
)
from training.services.workouts import workout_exercise_add

# --- Sets -------------------------------------------------------------------------------------------

# A set logged offline keeps the time it was logged, within these bounds.
_CLOCK_SKEW = dt.timedelta(minutes=5)

_INSERT_SET_SQL = """
INSERT INTO set_logs (
    id, created_at, updated_at, is_deleted, workout_log_id, workout_exercise_id, exercise_id,
    weight_kg, reps, rir, set_type, client_id, order_index, side, note, logged_at
)
SELECT %(id)s, now(), now(), false, %(workout)s, %(entry)s, %(exercise)s,
       %(weight)s, %(reps)s, %(rir)s, %(set_type)s, %(client_id)s,
       COALESCE((SELECT max(order_index) + 1 FROM set_logs WHERE workout_log_id = %(workout)s), 0),
       %(side)s, %(note)s, %(logged_at)s
ON CONFLICT (client_id) DO NOTHING
RETURNING order_index, created_at, updated_at
"""


@dataclass
class LoggedSet:
    """What logging a set did: the stored set, whether this request stored it (False for a
    resend), and the records it set (``e1rm``/``reps``/``volume``) when it was new."""

    set_log: SetLog
    created: bool
    records: list[str] = field(default_factory=list)


def _logged_at(workout: WorkoutLog, logged_at: dt.datetime | None) -> dt.datetime:
    now = timezone.now()
    if logged_at is None or timezone.is_naive(logged_at):
        return now
    if logged_at < workout.started_at - _CLOCK_SKEW or logged_at > now + _CLOCK_SKEW:
        return now
    return logged_at


def set_log(
    *,
    user: Any,
    workout: WorkoutLog,
    exercise_id: uuid.UUID | str,
    weight_kg: Decimal,
    reps: int,
    rir: Decimal | None,
    set_type: str,
    client_id: uuid.UUID,
    side: str | None = None,
    note: str = "",
    logged_at: dt.datetime | None = None,
) -> LoggedSet:
    """Log one set idempotently by ``client_id``.

    Queries: the workout's entry for the exercise (1), the insert (1), the records check (1).
    An exercise not yet in the workout is added first (after checking the lifter may use it).
    """
    ensure_own_workout(user=user, workout=workout)
    entry = workout_entry_for_exercise(workout=workout, exercise_id=exercise_id)
    if entry is None:
        exercise = Exercise.objects.filter(pk=exercise_id).defer("embedding").first()
        if exercise is None or not (exercise.is_global or exercise.created_by_id == user.pk):
            raise ValidationError({"exercise": "Choose an exercise from the library or your own."})
        with transaction.atomic():
            entry = workout_exercise_add(user=user, workout=workout, exercise=exercise)
            return _insert_set(
                user, workout, entry, weight_kg, reps, rir, set_type, client_id, side, note, logged_at
            )
    return _insert_set(user, workout, entry, weight_kg, reps, rir, set_type, client_id, side, note, logged_at)


def _insert_set(
    user: Any,
    workout: WorkoutLog,
    entry: WorkoutExercise,
    weight_kg: Decimal,
    reps: int,
    rir: Decimal | None,
    set_type: str,
    client_id: uuid.UUID,
    side: str | None,
    note: str,
    logged_at: dt.datetime | None,
) -> LoggedSet:
    row = SetLog(
        id=uuid.uuid4(),
        workout_log=workout,
        workout_exercise=entry,
        exercise_id=entry.exercise_id,
        weight_kg=weight_kg,
        reps=reps,
        rir=rir,
        set_type=set_type,
        client_id=client_id,
        side=side or None,
        note=(note or "").strip(),
        logged_at=_logged_at(workout, logged_at),
    )
    row.full_clean(exclude=SET_FK_FIELDS, validate_unique=False, validate_constraints=False)
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_SET_SQL,
            {
                "id": row.pk,
                "workout": workout.pk,
                "entry": entry.pk,
                "exercise": row.exercise_id,
                "weight": row.weight_kg,
                "reps": row.reps,
                "rir": row.rir,
                "set_type": row.set_type,
                "client_id": row.client_id,
                "side": row.side,
                "note": row.note,
                "logged_at": row.logged_at,
            },
        )
        inserted = cursor.fetchone()
    if inserted is None:
        existing = SetLog.all_objects.filter(client_id=client_id).first()
        if existing is None or existing.workout_log_id != workout.pk:
            raise ValidationError("This set id is already used; reload the page.", code="client_id_taken")
        return LoggedSet(set_log=existing, created=False)
    row.order_index, row.created_at, row.updated_at = inserted
    row._state.adding = False
    row._state.db = "default"
    return LoggedSet(set_log=row, created=True, records=set_records(user=user, set_log=row))


@transaction.atomic
def set_update(
    *,
    user: Any,
    set_log: SetLog,
    weight_kg: Decimal,
    reps: int,
    rir: Decimal | None,
    set_type: str,
    side: str | None = None,
    note: str = "",
) -> SetLog:
    """Correct a logged set (its exercise stays)."""
    ensure_own_workout(user=user, workout=set_log.workout_log)
    set_log.weight_kg = weight_kg
    set_log.reps = reps
    set_log.rir = rir
    set_log.set_type = set_type
    set_log.side = side or None
    set_log.note = (note or "").strip()
    set_log.full_clean(exclude=SET_FK_FIELDS, validate_unique=False, validate_constraints=False)
    set_log.save(update_fields=["weight_kg", "reps", "rir", "set_type", "side", "note", "updated_at"])
    return set_log


@transaction.atomic
def set_delete(*, user: Any, set_log: SetLog) -> SetLog:
    """Delete a set (soft: the page offers Undo, which is :func:`set_restore`)."""
    ensure_own_workout(user=user, workout=set_log.workout_log)
    if not set_log.is_deleted:
        set_log.mark_deleted()
        set_log.save(update_fields=DELETE_FIELDS)
    return set_log


@transaction.atomic
def set_restore(*, user: Any, set_log: SetLog) -> SetLog:
    """Undo a delete: the set is back at its place."""
    ensure_own_workout(user=user, workout=set_log.workout_log)
    if set_log.is_deleted:
        set_log.mark_restored()
        set_log.save(update_fields=DELETE_FIELDS)
    return set_log
