"""The workout flow: start, the workout page, logging sets, changing exercises, finishing;
preferences and the plate calculator. Thin views: form -> service -> redirect or render.

Split by concept: ``workouts``, ``sets``, ``exercises``, ``settings`` (``common`` holds shared
helpers). ``training.urls`` imports the views from here.
"""

from training.views.exercises import exercise_add, exercise_skip, exercise_swap
from training.views.sets import set_create, set_delete, set_edit, set_restore
from training.views.settings import plates, preferences, program_follow
from training.views.workouts import (
    workout_detail,
    workout_discard,
    workout_finish,
    workout_notes,
    workout_resume,
    workout_start,
)

__all__ = [
    "exercise_add",
    "exercise_skip",
    "exercise_swap",
    "plates",
    "preferences",
    "program_follow",
    "set_create",
    "set_delete",
    "set_edit",
    "set_restore",
    "workout_detail",
    "workout_discard",
    "workout_finish",
    "workout_notes",
    "workout_resume",
    "workout_start",
]
