"""Programs: create, update, delete and restore, deep copy (duplicate, a coach's gift)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from accounts.permissions import can_coach
from hypertroq.audit import AuditAction, audit_log
from notifications.models import NotificationKind
from notifications.services import notification_create
from programs.models import SessionExercise, StructureType, TrainingProgram, WorkoutSession
from programs.rules import NAME_MAX, clean_frequency, clean_name, session_order_index
from programs.services.checks import (
    acting_user,
    ensure_owner,
    ensure_program_slot,
    ensure_writable,
)


def _program_name_for_copy(name: str) -> str:
    return name if len(name) <= NAME_MAX else name[: NAME_MAX - 1].rstrip() + "…"


@transaction.atomic
def program_create(
    *,
    user: User,
    name: str,
    description: str = "",
    structure_type: str,
    frequency: int | None = None,
) -> TrainingProgram:
    """A new, empty program. CYCLIC needs ``frequency`` (training days a week, 1..7); WEEKLY
    starts at 1 and follows its sessions' weekdays."""
    ensure_writable(user)
    errors: dict[str, Any] = {}
    try:
        name = clean_name(name)
    except ValidationError as exc:
        errors["name"] = exc
    if structure_type not in StructureType.values:
        errors["structure_type"] = ValidationError("Choose weekly or cyclic.")
    elif structure_type == StructureType.CYCLIC:
        try:
            frequency = clean_frequency(frequency)
        except ValidationError as exc:
            errors["frequency"] = exc
    else:
        frequency = 1
    if errors:
        raise ValidationError(errors)
    ensure_program_slot(user)
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
    user: User,
    program: TrainingProgram,
    name: str,
    description: str = "",
    frequency: int | None = None,
) -> TrainingProgram:
    """Rename, describe, and (CYCLIC only) change training days a week."""
    ensure_owner(user=user, program=program)
    errors: dict[str, Any] = {}
    try:
        name = clean_name(name)
    except ValidationError as exc:
        errors["name"] = exc
    fields = ["name", "description", "updated_at"]
    if program.structure_type == StructureType.CYCLIC and frequency is not None:
        try:
            program.frequency = clean_frequency(frequency)
            fields.append("frequency")
        except ValidationError as exc:
            errors["frequency"] = exc
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
def program_delete(*, user: User, program: TrainingProgram) -> TrainingProgram:
    """Soft delete: the program goes to the trash, restorable (Undo) at any time."""
    ensure_owner(user=user, program=program)
    program.mark_deleted()
    program.save(update_fields=["is_deleted", "deleted_at"])
    audit_log(action=AuditAction.OBJECT_DELETED, actor=user, target=program)
    return program


@transaction.atomic
def program_restore_for_owner(*, user: User, program: TrainingProgram) -> TrainingProgram:
    """Bring a program back from the trash (the tier limit still applies)."""
    if program.user_id != getattr(user, "pk", None) or program.is_template:
        raise ValidationError("You can only restore your own programs.", code="not_owner")
    ensure_writable(acting_user(user, program))
    if not program.is_deleted:
        return program
    ensure_program_slot(user)
    program.mark_restored()
    program.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    audit_log(action=AuditAction.OBJECT_RESTORED, actor=user, target=program)
    return program


@transaction.atomic
def program_copy(
    *,
    program: TrainingProgram,
    to_user: User,
    assigned_by: User | None = None,
    name: str | None = None,
) -> TrainingProgram:
    """Deep copy (sessions and session exercises) into ``to_user``'s programs.

    Respects ``to_user``'s tier limit. ``assigned_by`` marks a coach's copy; ``source`` remembers
    where it came from.
    """
    ensure_writable(assigned_by or to_user)
    ensure_program_slot(to_user)
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
            order_index=session_order_index(day_of_week=s.day_of_week if weekly else None, position=position),
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


def program_duplicate(*, user: User, program: TrainingProgram) -> TrainingProgram:
    ensure_owner(user=user, program=program)
    return program_copy(program=program, to_user=user, name=f"{program.name} (copy)")


@transaction.atomic  # the copy and its audit entry commit together
def program_give_to_member(*, coach: User, program: TrainingProgram, member: User | None) -> TrainingProgram:
    """A coach gives a member of their organization a copy of one of the coach's own programs."""
    ensure_owner(user=coach, program=program)
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
    coach_name = coach.full_name or coach.email
    notification_create(
        user=member,
        kind=NotificationKind.PROGRAM_GIVEN,
        title=f"{coach_name} gave you a program: {copy.name}",
        body=f"{copy.frequency} training days a week. Open it to see the sessions and the weekly volume.",
        url=reverse("programs:detail", kwargs={"program_id": copy.pk}),
        dedupe_key=f"program_given:{copy.pk}",
    )
    return copy
