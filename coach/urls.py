"""Coach URLs (review and generator), mounted under ``/programs/`` beside the builder's own URLs.

The paths and names are the ones the builder has always linked to; only the namespace is ``coach``.
"""

from django.urls import path

from coach import views

app_name = "coach"

urlpatterns = [
    path("generate/", views.program_generate, name="coach_generate"),
    path("<uuid:program_id>/review/", views.program_review, name="coach_review"),
    path("<uuid:program_id>/review/apply/", views.review_apply, name="coach_review_apply"),
]
