"""Reading the reviewable seed files (TOML) into service inputs."""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.conf import settings

from exercises.services import GlobalExerciseData
from programs.services import TemplateData, TemplateExerciseData, TemplateSessionData

EXERCISES_FILE = Path(settings.BASE_DIR) / "exercises" / "data" / "exercises.toml"
TEMPLATES_FILE = Path(settings.BASE_DIR) / "programs" / "data" / "templates.toml"


def load_exercises(path: Path = EXERCISES_FILE) -> list[GlobalExerciseData]:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    return [
        GlobalExerciseData(
            name=item["name"].strip(),
            equipment=item["equipment"],
            difficulty=item.get("difficulty", "INTERMEDIATE"),
            description=item.get("description", "").strip(),
            muscle_contributions={m: float(v) for m, v in item["muscles"].items()},
            image_url=item.get("image_url"),
            video_url=item.get("video_url"),
        )
        for item in raw.get("exercise", [])
    ]


def load_templates(path: Path = TEMPLATES_FILE) -> list[TemplateData]:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    templates = []
    for item in raw.get("template", []):
        sessions = tuple(
            TemplateSessionData(
                name=s["name"],
                day_of_week=s.get("day_of_week"),
                exercises=tuple(
                    TemplateExerciseData(
                        exercise=e["exercise"],
                        sets=int(e["sets"]),
                        reps=e.get("reps"),
                        rest_seconds=e.get("rest_seconds"),
                        notes=e.get("notes") or None,
                    )
                    for e in s.get("exercise", [])
                ),
            )
            for s in item.get("session", [])
        )
        templates.append(
            TemplateData(
                name=item["name"],
                description=item.get("description", "").strip(),
                structure_type=item["structure_type"],
                frequency=int(item["frequency"]),
                sessions=sessions,
            )
        )
    return templates
