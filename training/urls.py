from django.urls import path

from training.analysis import views as analysis

app_name = "training"

M = "members/<uuid:member_id>/"

urlpatterns: list = [
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
    path("members/", analysis.coach_adherence, name="coach_adherence"),
    path(M, analysis.history, name="member_history"),
    path(M + "volume/", analysis.volume_page, name="member_volume"),
    path(M + "workouts/<uuid:workout_id>/", analysis.workout_view, name="member_workout"),
    path(M + "exercises/", analysis.exercise_index, name="member_exercises"),
    path(M + "exercises/<uuid:exercise_id>/", analysis.exercise_view, name="member_exercise"),
]
