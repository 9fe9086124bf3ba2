"""Writes to the training log: starting, changing and finishing workouts, logging sets, preferences.

Every service takes keyword-only arguments and raises ``ValidationError`` for anything the lifter
did wrong; views put those errors back on the form. Objects come from ``training.selectors``
(already scoped to their owner); the services check ownership again and refuse writes for members
of a suspended organization.

Rules kept here:

- **A workout is a snapshot.** Starting from a session copies its exercises (sets, reps, rest,
  notes) onto ``workout_exercises``; adding, swapping or skipping changes those rows, never the
  program.
- **A set is stored once.** ``set_log`` inserts with ``ON CONFLICT (client_id) DO NOTHING``: the
  same ``client_id`` sent again (a retry, the offline queue resending) changes nothing and returns
  the stored set. A deleted set stays deleted when resent.
- **Validation cost.** Rows are validated field by field (``full_clean(exclude=FKs,
  validate_unique=False, validate_constraints=False)``): the field validators mirror the check
  constraints, which the database enforces anyway; Django's own constraint validation would cost
  a query per constraint and break the log-a-set budget (≤ 6 queries per request).
- **One statement, no transaction block.** Logging a set into an exercise already in the workout
  is a single ``INSERT`` (atomic by itself), so it is not wrapped in ``transaction.atomic`` (which
  costs two more statements inside a request that is already in a transaction); adding the
  exercise on the way is.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.permissions import READ_ONLY_MESSAGE
from accounts.tiers import is_read_only
from exercises.models import Exercise
from programs.models import SessionExercise, TrainingProgram, WorkoutSession
from programs.selectors import volume_preference_for
from programs.services import volume_preference_update
from training.models import (
    UNIT_DEFAULTS,
    ExerciseOrigin,
    SetLog,
    TrainingPreferences,
    WorkoutExercise,
    WorkoutLog,
)
from training.selectors import counting_rule_for, set_records, workout_entry_for_exercise

_DELETE_FIELDS = ["is_deleted", "deleted_at", "updated_at"]
_SET_FK_FIELDS = ["workout_log", "workout_exercise", "exercise"]
_ENTRY_FK_FIELDS = ["workout_log", "exercise", "session_exercise", "swapped_from"]
# A set logged offline keeps the time it was logged, within these bounds.
_CLOCK_SKEW = dt.timedelta(minutes=5)


def _ensure_writable(user: Any) -> None:
    if is_read_only(user):
        raise ValidationError(READ_ONLY_MESSAGE, code="read_only")


def _ensure_own_workout(*, user: Any, workout: WorkoutLog) -> None:
    if workout.user_id != getattr(user, "pk", None) or workout.is_deleted:
        raise ValidationError("This is not one of your workouts.", code="not_owner")
    _ensure_writable(workout.user if "user" in workout._state.fields_cache else user)


# --- Workouts ---------------------------------------------------------------------------------------


@transaction.atomic
def workout_start(
    *, user: Any, session: WorkoutSession | None = None, started_at: dt.datetime | None = None
) -> WorkoutLog:
    """A new workout, empty or following ``session`` (one of the lifter's own programs): its
    exercises are copied with their sets, reps, rest and notes."""
    _ensure_writable(user)
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
        entry.full_clean(exclude=_ENTRY_FK_FIELDS, validate_unique=False, validate_constraints=False)
    WorkoutExercise.objects.bulk_create(entries)
    return workout


@transaction.atomic
def workout_update(
    *, user: Any, workout: WorkoutLog, notes: str, body_weight_kg: Decimal | None
) -> WorkoutLog:
    """The workout's notes and the lifter's body weight that day (optional)."""
    _ensure_own_workout(user=user, workout=workout)
    workout.notes = notes.strip()
    workout.body_weight_kg = body_weight_kg
    workout.full_clean(
        exclude=["user", "program", "session"], validate_unique=False, validate_constraints=False
    )
    workout.save(update_fields=["notes", "body_weight_kg", "updated_at"])
    return workout


@transaction.atomic
def workout_finish(*, user: Any, workout: WorkoutLog, finished_at: dt.datetime | None = None) -> WorkoutLog:
    """Mark the workout finished (now, never before it started). Finishing twice changes nothing."""
    _ensure_own_workout(user=user, workout=workout)
    if workout.finished_at is not None:
        return workout
    workout.finished_at = max(finished_at or timezone.now(), workout.started_at)
    workout.save(update_fields=["finished_at", "updated_at"])
    return workout


@transaction.atomic
def workout_resume(*, user: Any, workout: WorkoutLog) -> WorkoutLog:
    """Un-finish a workout (the lifter tapped Finish too early)."""
    _ensure_own_workout(user=user, workout=workout)
    if workout.finished_at is not None:
        workout.finished_at = None
        workout.save(update_fields=["finished_at", "updated_at"])
    return workout


@transaction.atomic
def workout_discard(*, user: Any, workout: WorkoutLog) -> WorkoutLog:
    """Soft-delete a workout (its sets stop counting anywhere); staff can restore it."""
    _ensure_own_workout(user=user, workout=workout)
    workout.mark_deleted()
    workout.save(update_fields=_DELETE_FIELDS)
    return workout


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


# --- Exercises of a workout -------------------------------------------------------------------------


def _next_entry_index(workout: WorkoutLog) -> int:
    top = WorkoutExercise.objects.filter(workout_log=workout).aggregate(top=Max("order_index"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def workout_exercise_add(*, user: Any, workout: WorkoutLog, exercise: Exercise) -> WorkoutExercise:
    """Add ``exercise`` (from the library or the lifter's own) at the end of the workout."""
    _ensure_own_workout(user=user, workout=workout)
    if not exercise.is_global and exercise.created_by_id != user.pk:
        raise ValidationError({"exercise": "Choose an exercise from the library or your own."})
    entry = WorkoutExercise(
        workout_log=workout,
        exercise=exercise,
        origin=ExerciseOrigin.ADDED,
        order_index=_next_entry_index(workout),
    )
    entry.full_clean(exclude=_ENTRY_FK_FIELDS, validate_unique=False, validate_constraints=False)
    entry.save(force_insert=True)
    return entry


@transaction.atomic
def workout_exercise_swap(*, user: Any, entry: WorkoutExercise, exercise: Exercise) -> WorkoutExercise:
    """Do ``exercise`` instead of the entry's exercise in this workout only (the program keeps
    its exercise). Refused once sets are logged for it: add the other exercise instead."""
    workout = entry.workout_log
    _ensure_own_workout(user=user, workout=workout)
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
    _ensure_own_workout(user=user, workout=entry.workout_log)
    if entry.skipped != skipped:
        entry.skipped = skipped
        entry.save(update_fields=["skipped", "updated_at"])
    return entry


# --- Sets -------------------------------------------------------------------------------------------

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
    _ensure_own_workout(user=user, workout=workout)
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
    row.full_clean(exclude=_SET_FK_FIELDS, validate_unique=False, validate_constraints=False)
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
    _ensure_own_workout(user=user, workout=set_log.workout_log)
    set_log.weight_kg = weight_kg
    set_log.reps = reps
    set_log.rir = rir
    set_log.set_type = set_type
    set_log.side = side or None
    set_log.note = (note or "").strip()
    set_log.full_clean(exclude=_SET_FK_FIELDS, validate_unique=False, validate_constraints=False)
    set_log.save(update_fields=["weight_kg", "reps", "rir", "set_type", "side", "note", "updated_at"])
    return set_log


@transaction.atomic
def set_delete(*, user: Any, set_log: SetLog) -> SetLog:
    """Delete a set (soft: the page offers Undo, which is :func:`set_restore`)."""
    _ensure_own_workout(user=user, workout=set_log.workout_log)
    if not set_log.is_deleted:
        set_log.mark_deleted()
        set_log.save(update_fields=_DELETE_FIELDS)
    return set_log


@transaction.atomic
def set_restore(*, user: Any, set_log: SetLog) -> SetLog:
    """Undo a delete: the set is back at its place."""
    _ensure_own_workout(user=user, workout=set_log.workout_log)
    if set_log.is_deleted:
        set_log.mark_restored()
        set_log.save(update_fields=_DELETE_FIELDS)
    return set_log


# --- Preferences ------------------------------------------------------------------------------------


@transaction.atomic
def preferences_update(
    *,
    user: Any,
    unit: str,
    display_increment: Decimal | None = None,
    bar_weight: Decimal | None = None,
    plates: Sequence[Decimal] | None = None,
    rir_threshold: Decimal = Decimal("4"),
    time_zone: str = "",
    current_program: TrainingProgram | None = None,
    counting: str | None = None,
) -> TrainingPreferences:
    """Save the lifter's training preferences. Increment, bar and plates left empty take the
    defaults of the unit (0.5 kg / 20 kg bar / kg plates; 1 lb / 45 lb bar / lb plates); so do
    they when the unit changes and they were the other unit's defaults. The counting rule is saved
    on the lifter's volume preferences (one setting, shared with the program pages)."""
    _ensure_writable(user)
    prefs = TrainingPreferences.objects.select_for_update().filter(user=user).first()
    if prefs is None:
        prefs = TrainingPreferences(user=user)
    if current_program is not None and (
        current_program.user_id != user.pk or current_program.is_template or current_program.is_deleted
    ):
        raise ValidationError({"current_program": "Choose one of your own programs."})
    defaults = UNIT_DEFAULTS.get(unit)
    if defaults is None:
        raise ValidationError({"unit": "Choose kilograms or pounds."})
    other = UNIT_DEFAULTS[next(u for u in UNIT_DEFAULTS if u != unit)]
    unit_changed = prefs.unit != unit

    def pick(name: str, value: Any) -> Any:
        if value is None or value == [] or (unit_changed and value == other[name]):
            return defaults[name]
        return value

    prefs.unit = unit
    prefs.display_increment = pick("display_increment", display_increment)
    prefs.bar_weight = pick("bar_weight", bar_weight)
    plate_list = pick("plates", list(plates) if plates is not None else None)
    prefs.plates = sorted((Decimal(p) for p in plate_list), reverse=True)
    prefs.rir_threshold = rir_threshold
    prefs.time_zone = time_zone
    prefs.current_program = current_program
    prefs.full_clean(exclude=["user", "current_program"], validate_unique=False, validate_constraints=False)
    prefs.save()
    if counting is not None and counting != counting_rule_for(user=user):
        existing = volume_preference_for(user=user)
        volume_preference_update(
            user=user,
            counting=counting,
            landmark_overrides=existing.landmark_overrides if existing is not None else {},
        )
    return prefs


@transaction.atomic
def preferences_time_zone_default(*, user: Any, time_zone: str) -> None:
    """Remember the browser's time zone when the lifter has not chosen one (weeks run in it)."""
    import zoneinfo

    if not time_zone or time_zone not in zoneinfo.available_timezones() or is_read_only(user):
        return
    prefs = TrainingPreferences.objects.filter(user=user).first()
    if prefs is None:
        TrainingPreferences.objects.create(user=user, time_zone=time_zone)
    elif not prefs.time_zone:
        prefs.time_zone = time_zone
        prefs.save(update_fields=["time_zone", "updated_at"])
