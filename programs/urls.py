from django.urls import path

from programs import views

app_name = "programs"

P = "<uuid:program_id>/"
S = P + "sessions/<uuid:session_id>/"
E = P + "exercises/<uuid:session_exercise_id>/"

urlpatterns = [
    path("", views.program_list, name="list"),
    path("new/", views.program_create, name="create"),
    path("trash/", views.program_trash, name="trash"),
    path("preferences/", views.preferences, name="preferences"),
    path("volume-guide/", views.volume_guide, name="volume_guide"),
    path("import/", views.program_import_view, name="import"),
    path("templates/", views.template_list_view, name="template_list"),
    path("templates/<uuid:template_id>/", views.template_detail, name="template_detail"),
    path("templates/<uuid:template_id>/use/", views.template_use, name="template_use"),
    path("members/<uuid:member_id>/", views.member_programs, name="member_programs"),
    path("members/<uuid:member_id>/<uuid:program_id>/", views.member_program, name="member_program"),
    path(P, views.program_detail, name="detail"),
    path(P + "edit/", views.program_update, name="update"),
    path(P + "duplicate/", views.program_duplicate, name="duplicate"),
    path(P + "delete/", views.program_delete, name="delete"),
    path(P + "restore/", views.program_restore, name="restore"),
    path(P + "give/", views.program_give, name="give"),
    path(P + "volume.json", views.volume_json, name="volume_json"),
    path(P + "volume/<slug:muscle>/", views.volume_muscle, name="volume_muscle"),
    path(P + "export.json", views.export_json, name="export"),
    path(P + "print/", views.program_print, name="print"),
    path(P + "sessions/add/", views.session_add, name="session_add"),
    path(S + "actions/", views.session_actions, name="session_actions"),
    path(S + "edit/", views.session_update, name="session_update"),
    path(S + "move/", views.session_move, name="session_move"),
    path(S + "delete/", views.session_delete, name="session_delete"),
    path(S + "restore/", views.session_restore, name="session_restore"),
    path(S + "picker/", views.session_picker, name="session_picker"),
    path(S + "exercises/add/", views.session_exercise_add, name="session_exercise_add"),
    path(E, views.session_exercise_edit, name="session_exercise_edit"),
    path(E + "edit/", views.session_exercise_update, name="session_exercise_update"),
    path(E + "move/", views.session_exercise_move, name="session_exercise_move"),
    path(E + "remove/", views.session_exercise_remove, name="session_exercise_remove"),
    path(E + "swap/", views.session_exercise_substitutes, name="session_exercise_substitutes"),
    path(E + "swap/apply/", views.session_exercise_swap, name="session_exercise_swap"),
]
