"""Writes to the training log: starting, changing and finishing workouts, logging sets, preferences.

Split by concept: ``checks`` (may the lifter write, is it their workout), ``workouts`` (workouts
and their exercises), ``sets`` and ``preferences``. Import from ``training.services``.

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

from training.services.preferences import (
    preferences_time_zone_default,
    preferences_update,
    training_preferences_update,
)
from training.services.sets import LoggedSet, set_delete, set_log, set_restore, set_update
from training.services.workouts import (
    LEFT_OPEN_AFTER,
    workout_discard,
    workout_exercise_add,
    workout_exercise_skip,
    workout_exercise_swap,
    workout_finish,
    workout_resume,
    workout_staff_restore,
    workout_staff_soft_delete,
    workout_start,
    workout_update,
)

__all__ = [
    "LEFT_OPEN_AFTER",
    "LoggedSet",
    "preferences_time_zone_default",
    "preferences_update",
    "set_delete",
    "set_log",
    "set_restore",
    "set_update",
    "training_preferences_update",
    "workout_discard",
    "workout_exercise_add",
    "workout_exercise_skip",
    "workout_exercise_swap",
    "workout_finish",
    "workout_resume",
    "workout_staff_restore",
    "workout_staff_soft_delete",
    "workout_start",
    "workout_update",
]
