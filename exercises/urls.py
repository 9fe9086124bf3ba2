from django.urls import path

from exercises import views

app_name = "exercises"

urlpatterns = [
    path("", views.exercise_list, name="list"),
    path("new/", views.exercise_create, name="create"),
    path("<uuid:exercise_id>/", views.exercise_detail, name="detail"),
    path("<uuid:exercise_id>/edit/", views.exercise_edit, name="edit"),
    path("<uuid:exercise_id>/delete/", views.exercise_delete, name="delete"),
]
