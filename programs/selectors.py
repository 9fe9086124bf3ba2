"""Reads of programs, scoped to the requesting user."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from programs.models import SessionExercise, TrainingProgram, WorkoutSession


def template_list() -> QuerySet[TrainingProgram]:
    """Published templates with their session count."""
    return (
        TrainingProgram.objects.filter(is_template=True)
        .annotate(session_count=Count("sessions", distinct=True))
        .order_by("name")
    )


def program_with_structure(queryset: QuerySet[TrainingProgram]) -> QuerySet[TrainingProgram]:
    """Prefetch sessions -> session exercises -> exercises in three queries."""
    return queryset.prefetch_related(
        Prefetch(
            "sessions",
            queryset=WorkoutSession.objects.order_by("order_index", "created_at").prefetch_related(
                Prefetch(
                    "exercises",
                    queryset=SessionExercise.objects.select_related("exercise")
                    .defer("exercise__embedding")
                    .order_by("order_index", "created_at"),
                )
            ),
        )
    )
