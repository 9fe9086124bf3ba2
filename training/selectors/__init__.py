"""Reads of the training log, scoped to the requesting lifter.

Tenant isolation lives here: every view resolves a ``workout_id``/``set_id``/``entry_id`` through
one of these functions, which raise ``Http404`` for anything that is not the lifter's own.

The workout page is read in a fixed number of queries whatever its size: the workout with the
lifter's preferences (1), its exercises with their library rows (1), its sets (1) and the last two
earlier workouts of each of its exercises (1, :func:`exercise_history`).
"""

from training.selectors.past import (
    PastSetRow,
    PastWorkoutRows,
    exercise_history,
    exercise_record_sets,
    set_records,
)
from training.selectors.start import (
    TodayPlan,
    current_program_id_for,
    programs_to_start,
    recent_workouts,
    session_get_to_start,
    today_plan,
)
from training.selectors.workouts import (
    counting_rule_for,
    exercise_addable,
    exercise_choices_for,
    preferences_for,
    set_get_for_workout,
    time_zone_for,
    workout_entries,
    workout_entry_for_exercise,
    workout_entry_get,
    workout_get_for_owner,
    workout_open_for,
    workout_sets,
)

__all__ = [
    "PastSetRow",
    "PastWorkoutRows",
    "TodayPlan",
    "counting_rule_for",
    "current_program_id_for",
    "exercise_addable",
    "exercise_choices_for",
    "exercise_history",
    "exercise_record_sets",
    "preferences_for",
    "programs_to_start",
    "recent_workouts",
    "session_get_to_start",
    "set_get_for_workout",
    "set_records",
    "time_zone_for",
    "today_plan",
    "workout_entries",
    "workout_entry_for_exercise",
    "workout_entry_get",
    "workout_get_for_owner",
    "workout_open_for",
    "workout_sets",
]
