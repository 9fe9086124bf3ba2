"""The global exercise library's data file (``exercises/data/exercises.toml``), read into
:class:`GlobalExerciseData`, the input of ``exercises.services.exercise_upsert_global``.

Plain data and the model class only: the embedding calibration (``exercises.embeddings``) reads the
library from here too, so this module imports neither services nor selectors.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from exercises.models import Exercise, join_aliases

EXERCISES_FILE = Path(__file__).resolve().parent / "data" / "exercises.toml"


@dataclass(frozen=True)
class GlobalExerciseData:
    name: str
    equipment: str
    difficulty: str
    description: str
    muscle_contributions: dict[str, float]
    image_url: str | None = None
    video_url: str | None = None
    aliases: tuple[str, ...] = ()
    is_gentle: bool = False
    needs: tuple[str, ...] = ()

    def as_exercise(self) -> Exercise:
        """An unsaved global :class:`Exercise` holding this data, as the library file gives it."""
        return Exercise(
            name=self.name,
            equipment=self.equipment,
            difficulty=self.difficulty,
            description=self.description,
            muscle_contributions=self.muscle_contributions,
            image_url=self.image_url,
            video_url=self.video_url,
            aliases=join_aliases(self.aliases),
            is_gentle=self.is_gentle,
            needs=list(self.needs),
            is_global=True,
        )


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
            aliases=tuple(" ".join(a.split()) for a in item.get("aliases", []) if a.strip()),
            is_gentle=bool(item.get("gentle", False)),
            needs=tuple(sorted(set(item.get("needs", [])))),
        )
        for item in raw.get("exercise", [])
    ]
