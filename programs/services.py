"""Writes to programs, sessions and session exercises.

Every service takes keyword-only arguments, runs in one transaction, validates before saving and
raises ``ValidationError`` (field-keyed where a form field is to blame) for anything a user did
wrong; views put those errors back on the form.

Rules kept here:

- **Ownership and read-only.** Only the program's owner changes it; members of a suspended
  organization change nothing (``accounts.tiers.is_read_only``).
- **Tier limit.** ``accounts.tiers.max_active_programs``: a free user has at most 3 active
  programs. Every path that makes a program checks it: create, duplicate, template use, import,
  a coach's copy, restore from the trash.
- **Frequency.** A WEEKLY program's ``frequency`` is the number of weekdays its sessions use (at
  least 1), kept in sync by every service that adds, removes or moves sessions. A CYCLIC program's
  frequency is what the user chose (training days a week).
- **Order.** WEEKLY sessions are ordered by weekday (``order_index = day_of_week``; "move up"
  swaps weekdays with the previous session). CYCLIC sessions rotate in ``order_index`` order.
- **Removing a session exercise HARD-deletes the row.** The unique constraint
  ``(session, exercise, order_index)`` also covers soft-deleted rows, so a soft-deleted row would
  block adding the same exercise back at that place. Nothing is lost: the builder offers Undo,
  which re-adds the same exercise with the same prescription at the same place
  (``session_exercise_add(position=...)``). Sessions and programs are soft-deleted (restorable).
- **Validation cost.** Session exercises are validated field by field
  (``full_clean(exclude=FKs, validate_unique=False, validate_constraints=False)``): the field validators mirror every
  check constraint (sets 1..20, reps pattern, rest 0..900, notes ≤ 500) and the database enforces
  the constraints anyway, while Django's constraint validation would cost one query per
  constraint and break the builder's query budget (≤ 10 per edit). Rules needing the database
  (one session per weekday) are checked with one explicit query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Lower, Now
from django.utils import timezone

from accounts.tiers import READ_ONLY_MESSAGE, is_read_only, max_active_programs
from exercises.models import Exercise
from hypertroq.audit import AuditAction, audit_log
from programs.models import (
    CountingRule,
    SessionExercise,
    StructureType,
    TrainingProgram,
    VolumePreference,
    Weekday,
    WorkoutSession,
)

NAME_MIN = 3
NAME_MAX = 100
MAX_REPS = 100
SE_FIELDS = ("sets", "reps", "rest_seconds", "notes")
_REPS_RE = re.compile(r"^(?:(\d{1,3})(?:-(\d{1,3}))?|AMRAP)$")


# --- Checks ----------------------------------------------------------------------------------------


def _actor(user: Any, program: TrainingProgram) -> Any:
    """The owner object loaded with the program (organization and preferences included)."""
    if program.user_id == getattr(user, "pk", None) and "user" in program._state.fields_cache:
        return program.user
    return user


def _ensure_writable(user: Any) -> None:
    if is_read_only(user):
        raise ValidationError(READ_ONLY_MESSAGE, code="read_only")


def _ensure_owner(*, user: Any, program: TrainingProgram) -> Any:
    """The program belongs to ``user`` and ``user`` may change things; returns the loaded owner."""
    if program.is_template or program.user_id is None or program.user_id != getattr(user, "pk", None):
        raise ValidationError("You can only change your own programs.", code="not_owner")
    if program.is_deleted:
        raise ValidationError("This program is in the trash; restore it first.", code="deleted")
    actor = _actor(user, program)
    _ensure_writable(actor)
    return actor


def program_limit_message(limit: int) -> str:
    return (
        f"Free accounts can have up to {limit} active programs, and you have {limit}. Delete one "
        "(or empty it into the trash) or upgrade to pro to add more. Nothing was created."
    )


def _ensure_program_slot(user: Any) -> None:
    """Raise unless ``user`` may own one more active program (tier limit)."""
    limit = max_active_programs(user)
    if limit is None:
        return
    # Lock the user's row so two simultaneous creations cannot both squeeze under the limit.
    from django.contrib.auth import get_user_model

    get_user_model().all_objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    active = TrainingProgram.objects.filter(user=user, is_template=False).count()
    if active >= limit:
        raise ValidationError(program_limit_message(limit), code="program_limit")


def clean_name(value: str | None, *, what: str = "Name") -> str:
    name = " ".join((value or "").split())
    if len(name) < NAME_MIN or len(name) > NAME_MAX:
        raise ValidationError(f"{what} must be {NAME_MIN} to {NAME_MAX} characters.", code="name_length")
    return name


def clean_reps(value: str | None) -> str | None:
    """``N``, ``N-M`` (1 ≤ N ≤ M ≤ 100) or ``AMRAP``; blank means none. Spaces are ignored."""
    if value is None:
        return None
    text = re.sub(r"\s+", "", str(value)).upper()
    text = text.replace("–", "-").replace("—", "-")
    if not text:
        return None
    match = _REPS_RE.match(text)
    if not match:
        raise ValidationError("Reps are a number, a range like 8-12, or AMRAP.", code="reps_format")
    if text == "AMRAP":
        return text
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) else low
    if not (1 <= low <= MAX_REPS and 1 <= high <= MAX_REPS):
        raise ValidationError("Reps are between 1 and 100.", code="reps_range")
    if low > high:
        raise ValidationError(
            f"A rep range goes from low to high: {high}-{low}, not {low}-{high}.", code="reps_order"
        )
    return f"{low}-{high}" if match.group(2) else str(low)


def _program_name_for_copy(name: str) -> str:
    return name if len(name) <= NAME_MAX else name[: NAME_MAX - 1].rstrip() + "…"


def _touch(program: TrainingProgram, *, frequency: int | None = None) -> None:
    """Mark the program edited (its list shows "last edited") and, for WEEKLY, sync frequency."""
    updates: dict[str, Any] = {"updated_at": Now()}
    if frequency is not None and program.structure_type == StructureType.WEEKLY:
        program.frequency = max(1, min(7, frequency))
        updates["frequency"] = program.frequency
    TrainingProgram.all_objects.filter(pk=program.pk).update(**updates)
    program.updated_at = timezone.now()


# --- Programs --------------------------------------------------------------------------------------


@transaction.atomic
def program_create(
    *,
    user: Any,
    name: str,
    description: str = "",
    structure_type: str,
    frequency: int | None = None,
) -> TrainingProgram:
    """A new, empty program. CYCLIC needs ``frequency`` (training days a week, 1..7); WEEKLY
    starts at 1 and follows its sessions' weekdays."""
    _ensure_writable(user)
    errors: dict[str, Any] = {}
    try:
        name = clean_name(name)
    except ValidationError as exc:
        errors["name"] = exc
    if structure_type not in StructureType.values:
        errors["structure_type"] = ValidationError("Choose weekly or cyclic.")
    elif structure_type == StructureType.CYCLIC:
        if frequency is None or not 1 <= int(frequency) <= 7:
            errors["frequency"] = ValidationError("A cyclic program trains 1 to 7 days a week.")
    else:
        frequency = 1
    if errors:
        raise ValidationError(errors)
    _ensure_program_slot(user)
    program = TrainingProgram(
        user=user,
        name=name,
        description=(description or "").strip() or None,
        structure_type=structure_type,
        frequency=int(frequency or 1),
    )
    program.full_clean(exclude=["user", "assigned_by", "source"])
    program.save()
    return program


@transaction.atomic
def program_update(
    *,
    user: Any,
    program: TrainingProgram,
    name: str,
    description: str = "",
    frequency: int | None = None,
) -> TrainingProgram:
    """Rename, describe, and (CYCLIC only) change training days a week."""
    _ensure_owner(user=user, program=program)
    errors: dict[str, Any] = {}
    try:
        name = clean_name(name)
    except ValidationError as exc:
        errors["name"] = exc
    fields = ["name", "description", "updated_at"]
    if program.structure_type == StructureType.CYCLIC and frequency is not None:
        if not 1 <= int(frequency) <= 7:
            errors["frequency"] = ValidationError("A cyclic program trains 1 to 7 days a week.")
        else:
            program.frequency = int(frequency)
            fields.append("frequency")
    if errors:
        raise ValidationError(errors)
    program.name = name
    program.description = (description or "").strip() or None
    # Field validation only: the database enforces the constraints (checked above for users).
    program.full_clean(
        exclude=["user", "assigned_by", "source"], validate_unique=False, validate_constraints=False
    )
    program.save(update_fields=fields)
    return program


@transaction.atomic
def program_delete(*, user: Any, program: TrainingProgram) -> TrainingProgram:
    """Soft delete: the program goes to the trash, restorable (Undo) at any time."""
    _ensure_owner(user=user, program=program)
    program.mark_deleted()
    program.save(update_fields=["is_deleted", "deleted_at"])
    audit_log(action=AuditAction.OBJECT_DELETED, actor=user, target=program)
    return program


@transaction.atomic
def program_restore_for_owner(*, user: Any, program: TrainingProgram) -> TrainingProgram:
    """Bring a program back from the trash (the tier limit still applies)."""
    if program.user_id != getattr(user, "pk", None) or program.is_template:
        raise ValidationError("You can only restore your own programs.", code="not_owner")
    _ensure_writable(_actor(user, program))
    if not program.is_deleted:
        return program
    _ensure_program_slot(user)
    program.mark_restored()
    program.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    audit_log(action=AuditAction.OBJECT_RESTORED, actor=user, target=program)
    return program


@transaction.atomic
def program_copy(
    *,
    program: TrainingProgram,
    to_user: Any,
    assigned_by: Any = None,
    name: str | None = None,
) -> TrainingProgram:
    """Deep copy (sessions and session exercises) into ``to_user``'s programs.

    Respects ``to_user``'s tier limit. ``assigned_by`` marks a coach's copy; ``source`` remembers
    where it came from.
    """
    _ensure_writable(assigned_by or to_user)
    _ensure_program_slot(to_user)
    copy = TrainingProgram(
        user=to_user,
        name=_program_name_for_copy(name or program.name),
        description=program.description,
        structure_type=program.structure_type,
        frequency=program.frequency,
        assigned_by=assigned_by,
        source=program,
    )
    copy.full_clean(exclude=["user", "assigned_by", "source"])
    copy.save()
    sessions = list(WorkoutSession.objects.filter(program=program).order_by("order_index", "created_at"))
    weekly = program.structure_type == StructureType.WEEKLY
    new_sessions = [
        WorkoutSession(
            program=copy,
            name=s.name,
            day_of_week=s.day_of_week if weekly else None,
            # WEEKLY sessions are ordered by weekday; CYCLIC keep their rotation order.
            order_index=s.day_of_week if weekly and s.day_of_week is not None else position,
        )
        for position, s in enumerate(sessions)
    ]
    WorkoutSession.objects.bulk_create(new_sessions)
    mapping = {old.pk: new for old, new in zip(sessions, new_sessions, strict=True)}
    rows = [
        SessionExercise(
            session=mapping[se.session_id],
            exercise_id=se.exercise_id,
            order_index=se.order_index,
            sets=se.sets,
            reps=se.reps,
            rest_seconds=se.rest_seconds,
            notes=se.notes,
        )
        for se in SessionExercise.objects.filter(session__in=sessions).order_by("order_index", "created_at")
    ]
    SessionExercise.objects.bulk_create(rows)
    return copy


def program_duplicate(*, user: Any, program: TrainingProgram) -> TrainingProgram:
    _ensure_owner(user=user, program=program)
    return program_copy(program=program, to_user=user, name=f"{program.name} (copy)")


def template_use(*, user: Any, template: TrainingProgram) -> TrainingProgram:
    """ "Use this template": a deep copy in the user's programs (tier limit applies)."""
    if not template.is_template:
        raise ValidationError("That is not a template.")
    return program_copy(program=template, to_user=user, name=template.name)


@transaction.atomic  # the copy and its audit entry commit together
def program_give_to_member(*, coach: Any, program: TrainingProgram, member: Any) -> TrainingProgram:
    """A coach gives a member of their organization a copy of one of the coach's own programs."""
    from accounts.permissions import can_coach

    _ensure_owner(user=coach, program=program)
    if member is None or member.pk == coach.pk or not can_coach(coach, member):
        raise ValidationError({"member": "Choose a member of your organization."})
    try:
        copy = program_copy(program=program, to_user=member, assigned_by=coach)
    except ValidationError as exc:
        if getattr(exc, "code", None) == "program_limit" or any(
            getattr(e, "code", None) == "program_limit" for e in getattr(exc, "error_list", [])
        ):
            name = member.full_name or member.email
            raise ValidationError(
                f"{name} already has the most active programs a free account allows. "
                "They can delete one, or upgrade. Nothing was copied.",
                code="program_limit",
            ) from exc
        raise
    audit_log(
        action=AuditAction.PROGRAM_ASSIGNED,
        actor=coach,
        target=copy,
        data={"member": str(member.pk), "source": str(program.pk)},
    )
    return copy


# --- Sessions --------------------------------------------------------------------------------------


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


def _clean_weekday(program: TrainingProgram, day_of_week: Any) -> int | None:
    if program.structure_type != StructureType.WEEKLY:
        return None
    if day_of_week in (None, ""):
        raise ValidationError({"day_of_week": "Choose the weekday of this session."})
    try:
        day = int(day_of_week)
    except (TypeError, ValueError):
        day = -1
    if day not in Weekday.values:
        raise ValidationError({"day_of_week": "Day of week must be Monday (0) to Sunday (6)."})
    return day


def _weekday_taken_error(day: int) -> ValidationError:
    return ValidationError(
        {"day_of_week": f"This program already has a session on {Weekday(day).label}. Pick a free day."}
    )


@transaction.atomic
def session_create(
    *, user: Any, program: TrainingProgram, name: str, day_of_week: int | None = None
) -> WorkoutSession:
    """Add a session: WEEKLY on a free weekday (its place follows the weekday); CYCLIC at the end
    of the rotation."""
    _ensure_owner(user=user, program=program)
    errors: dict[str, Any] = {}
    try:
        name = clean_name(name, what="Session name")
    except ValidationError as exc:
        errors["name"] = exc
    day: int | None = None
    try:
        day = _clean_weekday(program, day_of_week)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    state = _session_state(program, day_of_week=day)
    if day is not None and state["day_taken"]:
        raise _weekday_taken_error(day)
    order = day if day is not None else (state["max_order"] if state["max_order"] is not None else -1) + 1
    session = WorkoutSession(program=program, name=name, day_of_week=day, order_index=order)
    session.full_clean(exclude=["program"], validate_unique=False, validate_constraints=False)
    try:
        # No savepoint needed: on a conflict the whole (outer) transaction rolls back anyway.
        session.save(force_insert=True)
    except IntegrityError as exc:  # a simultaneous request took the weekday
        raise _weekday_taken_error(day or 0) from exc
    _touch(program, frequency=state["weekday_count"] + (1 if day is not None else 0))
    return session


@transaction.atomic
def session_update(
    *, user: Any, session: WorkoutSession, name: str, day_of_week: int | None = None
) -> WorkoutSession:
    """Rename a session and (WEEKLY) move it to another free weekday."""
    program = session.program
    _ensure_owner(user=user, program=program)
    errors: dict[str, Any] = {}
    try:
        name = clean_name(name, what="Session name")
    except ValidationError as exc:
        errors["name"] = exc
    day: int | None = None
    try:
        day = _clean_weekday(program, day_of_week)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    fields = ["name", "updated_at"]
    if day is not None and day != session.day_of_week:
        if WorkoutSession.objects.filter(program=program, day_of_week=day).exclude(pk=session.pk).exists():
            raise _weekday_taken_error(day)
        session.day_of_week = day
        session.order_index = day
        fields += ["day_of_week", "order_index"]
    session.name = name
    session.full_clean(exclude=["program"], validate_unique=False, validate_constraints=False)
    try:
        session.save(update_fields=fields)
    except IntegrityError as exc:
        raise _weekday_taken_error(day or 0) from exc
    _touch(program)
    return session


@transaction.atomic
def session_move(*, user: Any, session: WorkoutSession, direction: str) -> WorkoutSession:
    """Move a session one place up or down: CYCLIC swaps rotation places, WEEKLY swaps weekdays
    with the neighbouring session."""
    program = session.program
    _ensure_owner(user=user, program=program)
    if direction not in ("up", "down"):
        raise ValidationError("Move up or down.")
    siblings = list(WorkoutSession.objects.filter(program=program).order_by("order_index", "created_at"))
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
    _touch(program)
    return session


@transaction.atomic
def session_delete(*, user: Any, session: WorkoutSession) -> WorkoutSession:
    """Soft delete (Undo restores it, exercises and all)."""
    program = session.program
    _ensure_owner(user=user, program=program)
    session.mark_deleted()
    session.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    state = _session_state(program)
    _touch(program, frequency=state["weekday_count"])
    return session


@transaction.atomic
def session_restore_for_owner(*, user: Any, session: WorkoutSession) -> WorkoutSession:
    """Undo a session delete; refused when its weekday has been taken meanwhile."""
    program = session.program
    _ensure_owner(user=user, program=program)
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
    _touch(program, frequency=state["weekday_count"] + (1 if session.day_of_week is not None else 0))
    return session


# --- Session exercises -----------------------------------------------------------------------------


def _ensure_exercise_usable(*, user: Any, exercise: Exercise) -> None:
    if exercise.is_deleted or not (exercise.is_global or exercise.created_by_id == getattr(user, "pk", None)):
        raise ValidationError(
            {"exercise": "Choose an exercise from your library."}, code="exercise_not_visible"
        )


def _clean_prescription(values: dict[str, Any]) -> dict[str, Any]:
    """Normalise and validate sets/reps/rest/notes; field-keyed ValidationError on problems."""
    errors: dict[str, Any] = {}
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        if key not in SE_FIELDS:
            raise ValidationError(f"“{key}” cannot be changed here.")
        try:
            if key == "sets":
                number = int(value)
                if not 1 <= number <= 20:
                    raise ValidationError("Sets are 1 to 20.")
                cleaned[key] = number
            elif key == "reps":
                cleaned[key] = clean_reps(value)
            elif key == "rest_seconds":
                if value in (None, ""):
                    cleaned[key] = None
                else:
                    number = int(value)
                    if not 0 <= number <= 900:
                        raise ValidationError("Rest is 0 to 900 seconds.")
                    cleaned[key] = number
            elif key == "notes":
                text = (value or "").strip()
                if len(text) > 500:
                    raise ValidationError("Notes are at most 500 characters.")
                cleaned[key] = text or None
        except (TypeError, ValueError):
            errors[key] = ValidationError("Enter a whole number.")
        except ValidationError as exc:
            errors[key] = exc
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def session_exercise_add(
    *,
    user: Any,
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
    actor = _ensure_owner(user=user, program=program)
    if session.is_deleted or session.program_id != program.pk:
        raise ValidationError("This session is gone.")
    _ensure_exercise_usable(user=actor, exercise=exercise)
    values = _clean_prescription({"sets": sets, "reps": reps, "rest_seconds": rest_seconds, "notes": notes})
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
        _touch(program)  # an Undo restores the state the removal (which touched it) left behind
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
    *, user: Any, session_exercise: SessionExercise, **fields: Any
) -> SessionExercise:
    """Change sets, reps, rest_seconds and/or notes (only the fields given)."""
    program = session_exercise.session.program
    _ensure_owner(user=user, program=program)
    values = _clean_prescription(fields)
    for key, value in values.items():
        setattr(session_exercise, key, value)
    session_exercise.full_clean(
        exclude=["session", "exercise"], validate_unique=False, validate_constraints=False
    )
    session_exercise.save(update_fields=[*values.keys(), "updated_at"])
    _touch(program)
    return session_exercise


@transaction.atomic
def session_exercise_remove(*, user: Any, session_exercise: SessionExercise) -> RemovedSessionExercise:
    """Remove an exercise from its session: a HARD delete (see the module docstring), returning
    what Undo needs to put it back."""
    program = session_exercise.session.program
    _ensure_owner(user=user, program=program)
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
    _touch(program)
    return removed


@transaction.atomic
def session_exercise_move(*, user: Any, session_exercise: SessionExercise, direction: str) -> SessionExercise:
    """Swap places with the previous (``up``) or next (``down``) exercise of the session."""
    program = session_exercise.session.program
    _ensure_owner(user=user, program=program)
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
        for name in SE_FIELDS:
            a, b = getattr(me, name), getattr(other, name)
            setattr(me, name, b)
            setattr(other, name, a)
        SessionExercise.all_objects.bulk_update([me, other], list(SE_FIELDS))
        return other
    me.order_index, other.order_index = other.order_index, me.order_index
    SessionExercise.all_objects.bulk_update([me, other], ["order_index"])
    _touch(program)
    return me


@transaction.atomic
def session_exercise_swap(
    *, user: Any, session_exercise: SessionExercise, exercise: Exercise
) -> SessionExercise:
    """Replace the exercise (e.g. by a substitute), keeping place and prescription."""
    program = session_exercise.session.program
    actor = _ensure_owner(user=user, program=program)
    _ensure_exercise_usable(user=actor, exercise=exercise)
    if exercise.pk == session_exercise.exercise_id:
        return session_exercise
    session_exercise.exercise = exercise
    session_exercise.save(update_fields=["exercise", "updated_at"])
    _touch(program)
    return session_exercise


# --- Preferences -----------------------------------------------------------------------------------


@transaction.atomic
def volume_preference_update(
    *, user: Any, counting: str, landmark_overrides: dict[str, dict[str, int]]
) -> VolumePreference:
    """Save the user's counting rule and landmark overrides (validated: MV ≤ MEV ≤ MAV ≤ MRV)."""
    _ensure_writable(user)
    if counting not in CountingRule.values:
        raise ValidationError({"counting": "Choose fractional or direct counting."})
    preference = VolumePreference.objects.select_for_update().filter(user=user).first()
    if preference is None:
        preference = VolumePreference(user=user)
    preference.counting = counting
    preference.landmark_overrides = landmark_overrides
    preference.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    preference.save()
    return preference


@dataclass(frozen=True)
class TemplateExerciseData:
    exercise: str
    sets: int
    reps: str | None = None
    rest_seconds: int | None = None
    notes: str | None = None


@dataclass(frozen=True)
class TemplateSessionData:
    name: str
    day_of_week: int | None = None
    exercises: tuple[TemplateExerciseData, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class TemplateData:
    name: str
    description: str
    structure_type: str
    frequency: int
    sessions: tuple[TemplateSessionData, ...]


def _template_shape(program: TrainingProgram) -> TemplateData:
    sessions = []
    for session in program.sessions.order_by("order_index"):
        sessions.append(
            TemplateSessionData(
                name=session.name,
                day_of_week=session.day_of_week,
                exercises=tuple(
                    TemplateExerciseData(
                        exercise=se.exercise.name,
                        sets=se.sets,
                        reps=se.reps,
                        rest_seconds=se.rest_seconds,
                        notes=se.notes,
                    )
                    for se in session.exercises.select_related("exercise").order_by("order_index")
                ),
            )
        )
    return TemplateData(
        name=program.name,
        description=program.description or "",
        structure_type=program.structure_type,
        frequency=program.frequency,
        sessions=tuple(sessions),
    )


@transaction.atomic
def template_upsert(*, data: TemplateData) -> tuple[TrainingProgram, str]:
    """Create or update the template named ``data.name`` so that it matches ``data`` exactly.

    Exercises are global library exercises found by name. Returns ``(template, outcome)`` with
    outcome ``"created"``, ``"updated"`` or ``"unchanged"``; an unchanged template is not touched.
    """
    names = {ex.exercise.lower() for s in data.sessions for ex in s.exercises}
    library = {
        e.name.lower(): e
        for e in Exercise.objects.filter(is_global=True)
        .annotate(name_lower=Lower("name"))
        .filter(name_lower__in=names)
        .defer("embedding")
    }
    missing = sorted(names - library.keys())
    if missing:
        raise ValidationError(
            f"Template “{data.name}” uses exercises not in the library: {', '.join(missing)}."
        )
    StructureType(data.structure_type)

    program = TrainingProgram.objects.filter(is_template=True, name=data.name).first()
    outcome = "created"
    if program is not None:
        if _template_shape(program) == data:
            return program, "unchanged"
        outcome = "updated"
        # Templates are staff content, not user data: their structure is rebuilt from the file.
        WorkoutSession.all_objects.filter(program=program).delete()
        program.description = data.description
        program.structure_type = data.structure_type
        program.frequency = data.frequency
        program.full_clean()
        program.save(update_fields=["description", "structure_type", "frequency", "updated_at"])
    else:
        program = TrainingProgram(
            name=data.name,
            description=data.description,
            structure_type=data.structure_type,
            frequency=data.frequency,
            is_template=True,
            user=None,
        )
        program.full_clean()
        program.save()
    for order, session_data in enumerate(data.sessions):
        session = WorkoutSession(
            program=program,
            name=session_data.name,
            order_index=order,
            day_of_week=session_data.day_of_week if data.structure_type == StructureType.WEEKLY else None,
        )
        session.full_clean()
        session.save()
        rows = []
        for ex_order, ex in enumerate(session_data.exercises):
            row = SessionExercise(
                session=session,
                exercise=library[ex.exercise.lower()],
                order_index=ex_order,
                sets=ex.sets,
                reps=ex.reps,
                rest_seconds=ex.rest_seconds,
                notes=ex.notes,
            )
            row.full_clean()
            rows.append(row)
        SessionExercise.objects.bulk_create(rows)
    return program, outcome


@transaction.atomic
def program_staff_soft_delete(*, program: TrainingProgram) -> TrainingProgram:
    """Hide ``program`` (and so its sessions) from every user-facing page; staff can restore it."""
    if not program.is_deleted:
        program.mark_deleted()
        program.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    return program


@transaction.atomic
def program_staff_restore(*, program: TrainingProgram) -> TrainingProgram:
    """Bring a soft-deleted program back; refused if a live template now has its name."""
    if program.is_deleted:
        program.mark_restored()
        program.full_clean()
        program.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    return program


@transaction.atomic
def session_staff_soft_delete(*, session: WorkoutSession) -> WorkoutSession:
    if not session.is_deleted:
        session.mark_deleted()
        session.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    return session


@transaction.atomic
def session_staff_restore(*, session: WorkoutSession) -> WorkoutSession:
    """Bring a soft-deleted session back; refused if a live session now has its weekday."""
    if session.is_deleted:
        session.mark_restored()
        session.full_clean()
        session.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    return session


@transaction.atomic
def session_exercise_staff_soft_delete(*, session_exercise: SessionExercise) -> SessionExercise:
    if not session_exercise.is_deleted:
        session_exercise.mark_deleted()
        session_exercise.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    return session_exercise


@transaction.atomic
def session_exercise_staff_restore(*, session_exercise: SessionExercise) -> SessionExercise:
    if session_exercise.is_deleted:
        session_exercise.mark_restored()
        session_exercise.full_clean()
        session_exercise.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    return session_exercise
