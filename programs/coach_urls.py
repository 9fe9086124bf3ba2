"""Coach URLs, included from programs/urls.py (names live in the ``programs`` namespace)."""

from django.urls import path

from programs import coach_views

urlpatterns = [
    path("generate/", coach_views.program_generate, name="coach_generate"),
    path("<uuid:program_id>/review/", coach_views.program_review, name="coach_review"),
    path("<uuid:program_id>/review/apply/", coach_views.review_apply, name="coach_review_apply"),
]
