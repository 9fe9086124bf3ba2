"""Writes to the exercise library."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models.functions import Lower

from exercises.domain import Difficulty, Equipment
from exercises.models import Exercise


@dataclass(frozen=True)
class GlobalExerciseData:
    name: str
    equipment: str
    difficulty: str
    description: str
    muscle_contributions: dict[str, float]
    image_url: str | None = None
    video_url: str | None = None


@transaction.atomic
def exercise_upsert_global(*, data: GlobalExerciseData) -> tuple[Exercise, str]:
    """Create or update the global exercise named ``data.name`` (case-insensitive).

    Returns the exercise and what happened: ``"created"``, ``"updated"`` or ``"unchanged"``.
    A deleted global exercise of the same name is restored, since the library file lists it.
    """
    wanted: dict[str, Any] = {
        "name": data.name,
        "equipment": Equipment(data.equipment).value,
        "difficulty": Difficulty(data.difficulty).value,
        "description": data.description,
        "muscle_contributions": {m: float(v) for m, v in data.muscle_contributions.items()},
        "image_url": data.image_url,
        "video_url": data.video_url,
    }
    existing = (
        Exercise.all_objects.alias(name_lower=Lower("name"))
        .filter(is_global=True, name_lower=data.name.lower())
        .order_by("is_deleted", "created_at")
        .first()
    )
    if existing is None:
        exercise = Exercise(is_global=True, **wanted)
        exercise.full_clean()
        exercise.save()
        return exercise, "created"
    changed = [field for field, value in wanted.items() if getattr(existing, field) != value]
    if existing.is_deleted:
        existing.mark_restored()
        changed += ["is_deleted", "deleted_at"]
    if not changed:
        return existing, "unchanged"
    for field in changed:
        if field in wanted:
            setattr(existing, field, wanted[field])
    existing.full_clean()
    existing.save(update_fields=[*changed, "updated_at"])
    return existing, "updated"
