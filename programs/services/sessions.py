"""Sessions: add, rename or move to another weekday, reorder, delete and restore."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import Now

from accounts.models import User
from programs.models import StructureType, TrainingProgram, Weekday, WorkoutSession
from programs.rules import clean_name, session_order_index, session_ordering
from programs.services.checks import clean_weekday, ensure_owner, touch_program, weekday_taken_message


def _session_state(program: TrainingProgram, *, day_of_week: int | None = None) -> dict[str, Any]:
    """One query: highest order, number of weekday sessions, whether ``day_of_week`` is taken."""
    aggregates: dict[str, Any] = {
        "max_order": Max("order_index"),
        "weekday_count": Count("id", filter=Q(day_of_week__isnull=False)),
    }
    if day_of_week is not None:
        aggregates["day_taken"] = Count("id", filter=Q(day_of_week=day_of_week))
    state = WorkoutSession.objects.filter(program=program).aggregate(**aggregates)
    state.setdefault("day_taken", 0)
    return state


def _clean_session_fields(program: TrainingProgram, name: str, day_of_week: Any) -> tuple[str, int | None]:
    """The cleaned name and weekday (None for CYCLIC); one field-keyed error listing every problem."""
    errors: dict[str, Any] = {}
    try:
        name = clean_name(name, what="Session name")
    except ValidationError as exc:
        errors["name"] = exc
    day: int | None = None
    try:
        day = clean_weekday(program.structure_type, day_of_week)
    except ValidationError as exc:
        errors["day_of_week"] = exc
    if errors:
        raise ValidationError(errors)
    return name, day


def _weekday_taken_error(day: int) -> ValidationError:
    return ValidationError({"day_of_week": weekday_taken_message(day)})


@transaction.atomic
def session_create(
    *, user: User, program: TrainingProgram, name: str, day_of_week: int | None = None
) -> WorkoutSession:
    """Add a session: WEEKLY on a free weekday (its place follows the weekday); CYCLIC at the end
    of the rotation."""
    ensure_owner(user=user, program=program)
    name, day = _clean_session_fields(program, name, day_of_week)
    state = _session_state(program, day_of_week=day)
    if day is not None and state["day_taken"]:
        raise _weekday_taken_error(day)
    next_place = (state["max_order"] if state["max_order"] is not None else -1) + 1
    order = session_order_index(day_of_week=day, position=next_place)
    session = WorkoutSession(program=program, name=name, day_of_week=day, order_index=order)
    session.full_clean(exclude=["program"], validate_unique=False, validate_constraints=False)
    try:
        # No savepoint needed: on a conflict the whole (outer) transaction rolls back anyway.
        session.save(force_insert=True)
    except IntegrityError as exc:  # a simultaneous request took the weekday
        raise _weekday_taken_error(day or 0) from exc
    touch_program(program, frequency=state["weekday_count"] + (1 if day is not None else 0))
    return session


@transaction.atomic
def session_update(
    *, user: User, session: WorkoutSession, name: str, day_of_week: int | None = None
) -> WorkoutSession:
    """Rename a session and (WEEKLY) move it to another free weekday."""
    program = session.program
    ensure_owner(user=user, program=program)
    name, day = _clean_session_fields(program, name, day_of_week)
    fields = ["name", "updated_at"]
    if day is not None and day != session.day_of_week:
        if WorkoutSession.objects.filter(program=program, day_of_week=day).exclude(pk=session.pk).exists():
            raise _weekday_taken_error(day)
        session.day_of_week = day
        session.order_index = session_order_index(day_of_week=day, position=session.order_index)
        fields += ["day_of_week", "order_index"]
    session.name = name
    session.full_clean(exclude=["program"], validate_unique=False, validate_constraints=False)
    try:
        session.save(update_fields=fields)
    except IntegrityError as exc:
        raise _weekday_taken_error(day or 0) from exc
    touch_program(program)
    return session


@transaction.atomic
def session_move(*, user: User, session: WorkoutSession, direction: str) -> WorkoutSession:
    """Move a session one place up or down: CYCLIC swaps rotation places, WEEKLY swaps weekdays
    with the neighbouring session."""
    program = session.program
    ensure_owner(user=user, program=program)
    if direction not in ("up", "down"):
        raise ValidationError("Move up or down.")
    # In the order the builder lists them, so "up" swaps with the session shown above.
    ordering = session_ordering(weekly=program.structure_type == StructureType.WEEKLY)
    siblings = list(WorkoutSession.objects.filter(program=program).order_by(*ordering))
    ids = [s.pk for s in siblings]
    if session.pk not in ids:
        raise ValidationError("This session is not in the program.")
    index = ids.index(session.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(siblings):
        return session  # already first/last: nothing to do
    current, other = siblings[index], siblings[other_index]
    if (
        program.structure_type == StructureType.WEEKLY
        and current.day_of_week is not None
        and other.day_of_week is not None
    ):
        a, b = current.day_of_week, other.day_of_week
        # One weekday per session is checked row by row (a non-deferrable unique index), so one
        # session is parked on NULL while the other takes its day. Parking also marks the program
        # edited (one statement for two tables keeps the move within the builder's query budget).
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH touched AS (UPDATE training_programs SET updated_at = now() WHERE id = %s) "
                "UPDATE workout_sessions SET day_of_week = NULL WHERE id = %s",
                [program.pk, current.pk],
            )
        WorkoutSession.objects.filter(pk=other.pk).update(day_of_week=a, order_index=a, updated_at=Now())
        WorkoutSession.objects.filter(pk=current.pk).update(day_of_week=b, order_index=b, updated_at=Now())
        session.day_of_week = session.order_index = b
        return session
    else:
        siblings[index], siblings[other_index] = other, current
        for position, item in enumerate(siblings):
            item.order_index = position
        WorkoutSession.objects.bulk_update(siblings, ["order_index"])
        session.order_index = siblings.index(current)
    touch_program(program)
    return session


@transaction.atomic
def session_delete(*, user: User, session: WorkoutSession) -> WorkoutSession:
    """Soft delete (Undo restores it, exercises and all)."""
    program = session.program
    ensure_owner(user=user, program=program)
    session.mark_deleted()
    session.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    state = _session_state(program)
    touch_program(program, frequency=state["weekday_count"])
    return session


@transaction.atomic
def session_restore_for_owner(*, user: User, session: WorkoutSession) -> WorkoutSession:
    """Undo a session delete; refused when its weekday has been taken meanwhile."""
    program = session.program
    ensure_owner(user=user, program=program)
    if not session.is_deleted:
        return session
    state = _session_state(program, day_of_week=session.day_of_week)
    if session.day_of_week is not None and state["day_taken"]:
        raise ValidationError(
            f"Another session now uses {Weekday(session.day_of_week).label}; move it first.",
            code="weekday_taken",
        )
    if program.structure_type == StructureType.CYCLIC:
        session.order_index = (state["max_order"] if state["max_order"] is not None else -1) + 1
    session.mark_restored()
    session.save(update_fields=["is_deleted", "deleted_at", "order_index", "updated_at"])
    touch_program(program, frequency=state["weekday_count"] + (1 if session.day_of_week is not None else 0))
    return session
