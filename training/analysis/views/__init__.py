"""Views of the analysis half: planned-vs-performed volume (page and ``volume.json``), history,
a workout read-only, each exercise's history, the export, and the coach's read-only views.

Every view first decides whose log it shows (the requesting user, or a member the requesting
coach may read via ``subject_for_coach``) and reads only through ``training.analysis`` selectors
scoped to that lifter.
"""

from training.analysis.views.coaches import coach_adherence
from training.analysis.views.exercises import exercise_index, exercise_view
from training.analysis.views.export import export_csv, export_json
from training.analysis.views.history import history, workout_view
from training.analysis.views.volume import volume_json, volume_page

__all__ = [
    "coach_adherence",
    "exercise_index",
    "exercise_view",
    "export_csv",
    "export_json",
    "history",
    "volume_json",
    "volume_page",
    "workout_view",
]
