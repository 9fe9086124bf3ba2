"""Session exercises: add (and Undo), change the prescription, remove, reorder, swap.

Removing one HARD-deletes the row and validation is field by field; the ``programs.services``
package docstring explains why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max

from accounts.models import User
from exercises.models import Exercise
from programs.models import SessionExercise, WorkoutSession
from programs.rules import PRESCRIPTION_FIELDS, clean_prescription
from programs.services.checks import ensure_owner, touch_program


def _ensure_exercise_usable(*, user: User, exercise: Exercise) -> None:
    if exercise.is_deleted or not (exercise.is_global or exercise.created_by_id == getattr(user, "pk", None)):
        raise ValidationError(
            {"exercise": "Choose an exercise from your library."}, code="exercise_not_visible"
        )


@transaction.atomic
def session_exercise_add(
    *,
    user: User,
    session: WorkoutSession,
    exercise: Exercise,
    sets: int,
    reps: str | None = None,
    rest_seconds: int | None = None,
    notes: str | None = None,
    position: int | None = None,
) -> SessionExercise:
    """Add ``exercise`` to the end of the session (or at ``position``, used by Undo)."""
    program = session.program
    actor = ensure_owner(user=user, program=program)
    if session.is_deleted or session.program_id != program.pk:
        raise ValidationError("This session is gone.")
    _ensure_exercise_usable(user=actor, exercise=exercise)
    values = clean_prescription({"sets": sets, "reps": reps, "rest_seconds": rest_seconds, "notes": notes})
    siblings = SessionExercise.objects.filter(session=session)
    if position is None:
        top = siblings.aggregate(top=Max("order_index"))["top"]
        order = 0 if top is None else top + 1
    else:
        # Undo of a removal: back to its old place. That place is usually still free (removal
        # leaves a gap); if something took it meanwhile, later rows shift down by one, in two
        # steps because unique (session, exercise, order_index) is checked row by row.
        order = max(0, int(position))
        if siblings.filter(order_index=order).exists():
            siblings.filter(order_index__gte=order).update(order_index=-F("order_index") - 2)
            SessionExercise.objects.filter(session=session, order_index__lte=-2).update(
                order_index=-F("order_index") - 1
            )
    row = SessionExercise(session=session, exercise=exercise, order_index=order, **values)
    row.full_clean(exclude=["session", "exercise"], validate_unique=False, validate_constraints=False)
    row.save(force_insert=True)
    if position is None:
        touch_program(program)  # an Undo restores the state the removal (which touched it) left behind
    return row


@dataclass(frozen=True)
class RemovedSessionExercise:
    """What Undo needs to put a removed session exercise back exactly where it was."""

    session_id: str
    exercise_id: str
    exercise_name: str
    position: int
    sets: int
    reps: str | None
    rest_seconds: int | None
    notes: str | None


@transaction.atomic
def session_exercise_update(
    *, user: User, session_exercise: SessionExercise, **fields: Any
) -> SessionExercise:
    """Change sets, reps, rest_seconds and/or notes (only the fields given)."""
    program = session_exercise.session.program
    ensure_owner(user=user, program=program)
    values = clean_prescription(fields)
    for key, value in values.items():
        setattr(session_exercise, key, value)
    session_exercise.full_clean(
        exclude=["session", "exercise"], validate_unique=False, validate_constraints=False
    )
    session_exercise.save(update_fields=[*values.keys(), "updated_at"])
    touch_program(program)
    return session_exercise


@transaction.atomic
def session_exercise_remove(*, user: User, session_exercise: SessionExercise) -> RemovedSessionExercise:
    """Remove an exercise from its session: a HARD delete (see the ``programs.services``
    docstring), returning
    what Undo needs to put it back."""
    program = session_exercise.session.program
    ensure_owner(user=user, program=program)
    removed = RemovedSessionExercise(
        session_id=str(session_exercise.session_id),
        exercise_id=str(session_exercise.exercise_id),
        exercise_name=session_exercise.exercise.name,
        position=session_exercise.order_index,
        sets=session_exercise.sets,
        reps=session_exercise.reps,
        rest_seconds=session_exercise.rest_seconds,
        notes=session_exercise.notes,
    )
    SessionExercise.all_objects.filter(pk=session_exercise.pk).delete()
    touch_program(program)
    return removed


@transaction.atomic
def session_exercise_move(
    *, user: User, session_exercise: SessionExercise, direction: str
) -> SessionExercise:
    """Swap places with the previous (``up``) or next (``down``) exercise of the session."""
    program = session_exercise.session.program
    ensure_owner(user=user, program=program)
    if direction not in ("up", "down"):
        raise ValidationError("Move up or down.")
    siblings = SessionExercise.all_objects.filter(session_id=session_exercise.session_id).exclude(
        pk=session_exercise.pk
    )
    if direction == "up":
        other = siblings.filter(order_index__lt=session_exercise.order_index).order_by("-order_index").first()
    else:
        other = siblings.filter(order_index__gt=session_exercise.order_index).order_by("order_index").first()
    if other is None:
        return session_exercise
    me = session_exercise
    if other.exercise_id == me.exercise_id:
        # Same exercise twice: swapping order_index would collide with the unique constraint row by
        # row; swapping the prescriptions gives the user the identical result in one statement.
        for name in PRESCRIPTION_FIELDS:
            a, b = getattr(me, name), getattr(other, name)
            setattr(me, name, b)
            setattr(other, name, a)
        SessionExercise.all_objects.bulk_update([me, other], list(PRESCRIPTION_FIELDS))
        return other
    me.order_index, other.order_index = other.order_index, me.order_index
    SessionExercise.all_objects.bulk_update([me, other], ["order_index"])
    touch_program(program)
    return me


@transaction.atomic
def session_exercise_swap(
    *, user: User, session_exercise: SessionExercise, exercise: Exercise
) -> SessionExercise:
    """Replace the exercise (e.g. by a substitute), keeping place and prescription."""
    program = session_exercise.session.program
    actor = ensure_owner(user=user, program=program)
    _ensure_exercise_usable(user=actor, exercise=exercise)
    if exercise.pk == session_exercise.exercise_id:
        return session_exercise
    session_exercise.exercise = exercise
    session_exercise.save(update_fields=["exercise", "updated_at"])
    touch_program(program)
    return session_exercise
