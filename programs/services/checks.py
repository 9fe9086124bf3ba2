"""Checks shared by the program services: ownership, read-only, the tier limit, names and reps."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.functions import Now
from django.utils import timezone

from accounts.tiers import READ_ONLY_MESSAGE, is_read_only, max_active_programs
from programs.models import StructureType, TrainingProgram

NAME_MIN = 3
NAME_MAX = 100
MAX_REPS = 100
_REPS_RE = re.compile(r"^(?:(\d{1,3})(?:-(\d{1,3}))?|AMRAP)$")


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


def _touch(program: TrainingProgram, *, frequency: int | None = None) -> None:
    """Mark the program edited (its list shows "last edited") and, for WEEKLY, sync frequency."""
    updates: dict[str, Any] = {"updated_at": Now()}
    if frequency is not None and program.structure_type == StructureType.WEEKLY:
        program.frequency = max(1, min(7, frequency))
        updates["frequency"] = program.frequency
    TrainingProgram.all_objects.filter(pk=program.pk).update(**updates)
    program.updated_at = timezone.now()
