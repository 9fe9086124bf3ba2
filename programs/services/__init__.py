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
  (``full_clean(exclude=FKs, validate_unique=False, validate_constraints=False)``): the field
  validators mirror every check constraint (the limits of ``programs.rules``) and the database enforces
  the constraints anyway, while Django's constraint validation would cost one query per
  constraint and break the builder's query budget (≤ 10 per edit). Rules needing the database
  (one session per weekday) are checked with one explicit query.

Names, prescriptions and frequencies are cleaned by ``programs.rules`` (shared with the forms,
program import and the coach). The package is split by concept: ``checks`` (ownership,
read-only, tier limit, weekdays),
``programs``, ``sessions``, ``session_exercises``, ``preferences``, ``templates`` and ``staff``
(Django admin soft delete and restore). Import from ``programs.services``; the names below are
re-exported here.
"""

from __future__ import annotations

from programs.services.checks import (
    ensure_program_slot,
    ensure_writable,
    program_limit_message,
)
from programs.services.preferences import volume_preference_update
from programs.services.programs import (
    program_copy,
    program_create,
    program_delete,
    program_duplicate,
    program_give_to_member,
    program_restore_for_owner,
    program_update,
)
from programs.services.session_exercises import (
    RemovedSessionExercise,
    session_exercise_add,
    session_exercise_move,
    session_exercise_remove,
    session_exercise_swap,
    session_exercise_update,
)
from programs.services.sessions import (
    session_create,
    session_delete,
    session_move,
    session_restore_for_owner,
    session_update,
)
from programs.services.staff import (
    program_staff_restore,
    program_staff_soft_delete,
    session_exercise_staff_restore,
    session_exercise_staff_soft_delete,
    session_staff_restore,
    session_staff_soft_delete,
)
from programs.services.templates import (
    TemplateData,
    TemplateExerciseData,
    TemplateSessionData,
    template_upsert,
    template_use,
)

__all__ = [
    "RemovedSessionExercise",
    "TemplateData",
    "TemplateExerciseData",
    "TemplateSessionData",
    "ensure_program_slot",
    "ensure_writable",
    "program_copy",
    "program_create",
    "program_delete",
    "program_duplicate",
    "program_give_to_member",
    "program_limit_message",
    "program_restore_for_owner",
    "program_staff_restore",
    "program_staff_soft_delete",
    "program_update",
    "session_create",
    "session_delete",
    "session_exercise_add",
    "session_exercise_move",
    "session_exercise_remove",
    "session_exercise_staff_restore",
    "session_exercise_staff_soft_delete",
    "session_exercise_swap",
    "session_exercise_update",
    "session_move",
    "session_restore_for_owner",
    "session_staff_restore",
    "session_staff_soft_delete",
    "session_update",
    "template_upsert",
    "template_use",
    "volume_preference_update",
]
