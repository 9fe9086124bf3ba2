from django.urls import path
from django.views.generic import RedirectView

from training import views
from training.analysis import views as analysis
from training.imports import views as imports

app_name = "training"

M = "members/<uuid:member_id>/"
W = "<uuid:workout_id>/"
SET = W + "sets/<uuid:set_id>/"
ENTRY = W + "exercises/<uuid:entry_id>/"

urlpatterns: list = [
    # The workout flow (t-core): start, the workout page, sets, exercises, finish; preferences, plates.
    # /training/ itself is the start page's address a lifter would guess.
    path("", RedirectView.as_view(pattern_name="training:start"), name="index"),
    path("start/", views.workout_start, name="start"),
    path("preferences/", views.preferences, name="preferences"),
    path("follow/", views.program_follow, name="follow"),
    path("plates/", views.plates, name="plates"),
    path(W, views.workout_detail, name="workout"),
    path(W + "sets/", views.set_create, name="set_create"),
    path(SET + "edit/", views.set_edit, name="set_edit"),
    path(SET + "delete/", views.set_delete, name="set_delete"),
    path(SET + "restore/", views.set_restore, name="set_restore"),
    path(W + "exercises/add/", views.exercise_add, name="exercise_add"),
    path(ENTRY + "swap/", views.exercise_swap, name="exercise_swap"),
    path(ENTRY + "skip/", views.exercise_skip, name="exercise_skip"),
    path(W + "notes/", views.workout_notes, name="notes"),
    path(W + "finish/", views.workout_finish, name="finish"),
    path(W + "resume/", views.workout_resume, name="resume"),
    path(W + "discard/", views.workout_discard, name="discard"),
    # The analysis half (t-insight): planned vs performed, history, exercise history, export,
    # and coaches' read-only views of their members' training.
    path("volume/", analysis.volume_page, name="volume"),
    path("volume.json", analysis.volume_json, name="volume_json"),
    path("history/", analysis.history, name="history"),
    path("history/<uuid:workout_id>/", analysis.workout_view, name="history_workout"),
    path("exercises/", analysis.exercise_index, name="exercises"),
    path("exercises/<uuid:exercise_id>/", analysis.exercise_view, name="exercise_history"),
    path("export.csv", analysis.export_csv, name="export_csv"),
    path("export.json", analysis.export_json, name="export_json"),
    # Importing history from other apps (and HypertroQ's own export).
    path("imports/", imports.import_index, name="imports"),
    path("imports/<uuid:import_id>/", imports.import_detail, name="import_detail"),
    path("imports/<uuid:import_id>/confirm/", imports.import_confirm_view, name="import_confirm"),
    path("imports/<uuid:import_id>/undo/", imports.import_undo_view, name="import_undo"),
    path("imports/<uuid:import_id>/discard/", imports.import_discard_view, name="import_discard"),
    path("members/", analysis.coach_adherence, name="coach_adherence"),
    path(M, analysis.history, name="member_history"),
    path(M + "volume/", analysis.volume_page, name="member_volume"),
    path(M + "workouts/<uuid:workout_id>/", analysis.workout_view, name="member_workout"),
    path(M + "exercises/", analysis.exercise_index, name="member_exercises"),
    path(M + "exercises/<uuid:exercise_id>/", analysis.exercise_view, name="member_exercise"),
]
