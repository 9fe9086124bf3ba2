"""The program templates' data file (``programs/data/templates.toml``), read into
:class:`programs.services.TemplateData`, the input of ``programs.services.template_upsert``."""

from __future__ import annotations

import tomllib
from pathlib import Path

from programs.services import TemplateData, TemplateExerciseData, TemplateSessionData

TEMPLATES_FILE = Path(__file__).resolve().parent / "data" / "templates.toml"


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
