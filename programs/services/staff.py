"""Staff (Django admin) soft delete and restore of programs, sessions and session exercises.

No ownership or read-only checks: staff act on anyone's data. Restoring runs ``full_clean`` so it
is refused when a live row now takes the restored one's place (a template's name, a weekday).
"""

from __future__ import annotations

from typing import TypeVar

from django.db import transaction

from hypertroq.models import SoftDeleteModel
from programs.models import SessionExercise, TrainingProgram, WorkoutSession

_Row = TypeVar("_Row", bound=SoftDeleteModel)
_FIELDS = ["is_deleted", "deleted_at", "updated_at"]


def _staff_soft_delete(row: _Row) -> _Row:
    if not row.is_deleted:
        row.mark_deleted()
        row.save(update_fields=_FIELDS)
    return row


def _staff_restore(row: _Row) -> _Row:
    if row.is_deleted:
        row.mark_restored()
        row.full_clean()
        row.save(update_fields=_FIELDS)
    return row


@transaction.atomic
def program_staff_soft_delete(*, program: TrainingProgram) -> TrainingProgram:
    """Hide ``program`` (and so its sessions) from every user-facing page; staff can restore it."""
    return _staff_soft_delete(program)


@transaction.atomic
def program_staff_restore(*, program: TrainingProgram) -> TrainingProgram:
    """Bring a soft-deleted program back; refused if a live template now has its name."""
    return _staff_restore(program)


@transaction.atomic
def session_staff_soft_delete(*, session: WorkoutSession) -> WorkoutSession:
    return _staff_soft_delete(session)


@transaction.atomic
def session_staff_restore(*, session: WorkoutSession) -> WorkoutSession:
    """Bring a soft-deleted session back; refused if a live session now has its weekday."""
    return _staff_restore(session)


@transaction.atomic
def session_exercise_staff_soft_delete(*, session_exercise: SessionExercise) -> SessionExercise:
    return _staff_soft_delete(session_exercise)


@transaction.atomic
def session_exercise_staff_restore(*, session_exercise: SessionExercise) -> SessionExercise:
    return _staff_restore(session_exercise)
