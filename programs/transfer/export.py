"""Exporting a program as the documented data (programs/EXPORT_FORMAT.md)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from programs.models import SessionExercise, TrainingProgram, WorkoutSession
from programs.transfer.document import (
    FORMAT_NAME,
    FORMAT_VERSION,
)


def program_export_data(*, program: TrainingProgram) -> dict[str, Any]:
    """The program as a version-1 export document (3 queries: sessions, exercises)."""
    sessions = list(WorkoutSession.objects.filter(program=program).order_by("order_index", "created_at"))
    rows = list(
        SessionExercise.objects.filter(session__in=sessions)
        .select_related("exercise")
        .defer("exercise__embedding")
        .order_by("order_index", "created_at")
    )
    by_session: dict[Any, list[SessionExercise]] = {}
    for row in rows:
        by_session.setdefault(row.session_id, []).append(row)
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "program": {
            "name": program.name,
            "description": program.description or "",
            "structure_type": program.structure_type,
            "frequency": program.frequency,
            "sessions": [
                {
                    "name": session.name,
                    "day_of_week": session.day_of_week,
                    "exercises": [
                        {
                            "exercise": {
                                "name": se.exercise.name,
                                "equipment": se.exercise.equipment,
                                "muscle_contributions": {
                                    m: float(v) for m, v in se.exercise.muscle_contributions.items()
                                },
                            },
                            "sets": se.sets,
                            "reps": se.reps,
                            "rest_seconds": se.rest_seconds,
                            "notes": se.notes,
                        }
                        for se in by_session.get(session.pk, [])
                    ],
                }
                for session in sessions
            ],
        },
    }
