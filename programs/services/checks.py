"""Checks shared by the program services: ownership, read-only, the tier limit, weekdays.

Names, prescriptions and frequency are cleaned by ``programs.rules``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.functions import Now
from django.utils import timezone

from accounts.models import User
from accounts.tiers import READ_ONLY_MESSAGE, is_read_only, max_active_programs
from programs.models import StructureType, TrainingProgram, Weekday
from programs.rules import weekly_frequency


def acting_user(user: User, program: TrainingProgram) -> Any:
    """The owner object loaded with the program (organization and preferences included)."""
    if program.user_id == getattr(user, "pk", None) and "user" in program._state.fields_cache:
        return program.user
    return user


def ensure_writable(user: User) -> None:
    if is_read_only(user):
        raise ValidationError(READ_ONLY_MESSAGE, code="read_only")


def ensure_owner(*, user: User, program: TrainingProgram) -> Any:
    """The program belongs to ``user`` and ``user`` may change things; returns the loaded owner."""
    if program.is_template or program.user_id is None or program.user_id != getattr(user, "pk", None):
        raise ValidationError("You can only change your own programs.", code="not_owner")
    if program.is_deleted:
        raise ValidationError("This program is in the trash; restore it first.", code="deleted")
    actor = acting_user(user, program)
    ensure_writable(actor)
    return actor


def program_limit_message(limit: int) -> str:
    return (
        f"Free accounts can have up to {limit} active programs, and you have {limit}. Delete one "
        "(or empty it into the trash) or upgrade to pro to add more. Nothing was created."
    )


def ensure_program_slot(user: User) -> None:
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


def touch_program(program: TrainingProgram, *, frequency: int | None = None) -> None:
    """Mark the program edited (its list shows "last edited") and, for WEEKLY, sync frequency."""
    updates: dict[str, Any] = {"updated_at": Now()}
    if frequency is not None and program.structure_type == StructureType.WEEKLY:
        program.frequency = weekly_frequency(frequency)
        updates["frequency"] = program.frequency
    TrainingProgram.all_objects.filter(pk=program.pk).update(**updates)
    program.updated_at = timezone.now()


WEEKDAY_RANGE_MESSAGE = "Day of week must be Monday (0) to Sunday (6)."


def clean_weekday(structure_type: str, day_of_week: Any) -> int | None:
    """The weekday of a session: required (0..6) in a WEEKLY program, ``None`` in a CYCLIC one."""
    if structure_type != StructureType.WEEKLY:
        return None
    if day_of_week is None or day_of_week == "":
        raise ValidationError("Choose the weekday of this session.", code="weekday_required")
    try:
        day = -1 if isinstance(day_of_week, bool) else int(day_of_week)
    except (TypeError, ValueError):
        day = -1
    if day not in Weekday.values:
        raise ValidationError(WEEKDAY_RANGE_MESSAGE, code="weekday_range")
    return day


def weekday_taken_message(day: int) -> str:
    """One session per weekday (the ``ux_sessions_program_weekday`` constraint)."""
    return f"This program already has a session on {Weekday(day).label}. Pick a free day."
