"""Exercise-library enumerations and the muscle-contribution rules (see DOMAIN.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models


class Muscle(models.TextChoices):
    CHEST = "CHEST", "Chest"
    FRONT_DELTS = "FRONT_DELTS", "Front delts"
    SIDE_DELTS = "SIDE_DELTS", "Side delts"
    TRICEPS = "TRICEPS", "Triceps"
    REAR_DELTS = "REAR_DELTS", "Rear delts"
    LATS = "LATS", "Lats"
    TRAPS_RHOMBOIDS = "TRAPS_RHOMBOIDS", "Traps & rhomboids"
    ELBOW_FLEXORS = "ELBOW_FLEXORS", "Elbow flexors (biceps)"
    FOREARMS = "FOREARMS", "Forearms"
    SPINAL_ERECTORS = "SPINAL_ERECTORS", "Spinal erectors"
    ABS = "ABS", "Abs"
    OBLIQUES = "OBLIQUES", "Obliques"
    GLUTES = "GLUTES", "Glutes"
    QUADRICEPS = "QUADRICEPS", "Quadriceps"
    HAMSTRINGS = "HAMSTRINGS", "Hamstrings"
    ADDUCTORS = "ADDUCTORS", "Adductors"
    CALVES = "CALVES", "Calves"


class MuscleCategory(models.TextChoices):
    UPPER_PUSH = "UPPER_PUSH", "Upper push"
    UPPER_PULL = "UPPER_PULL", "Upper pull"
    CORE_POSTERIOR = "CORE_POSTERIOR", "Core & posterior"
    LOWER_BODY = "LOWER_BODY", "Lower body"


# Built once: TextChoices.values/.choices build new lists on every access, and these are read per
# exercise card and per embedded text.
MUSCLE_ORDER: tuple[str, ...] = tuple(Muscle.values)
MUSCLE_LABELS: dict[str, str] = {m.value: str(m.label) for m in Muscle}


def muscle_label(muscle: str) -> str:
    """What a user reads for a muscle key ("ELBOW_FLEXORS" -> "Elbow flexors (biceps)"); an
    unknown key is shown as it is."""
    return MUSCLE_LABELS.get(muscle, muscle)


MUSCLE_CATEGORY: dict[str, str] = {
    Muscle.CHEST: MuscleCategory.UPPER_PUSH,
    Muscle.FRONT_DELTS: MuscleCategory.UPPER_PUSH,
    Muscle.SIDE_DELTS: MuscleCategory.UPPER_PUSH,
    Muscle.TRICEPS: MuscleCategory.UPPER_PUSH,
    Muscle.REAR_DELTS: MuscleCategory.UPPER_PULL,
    Muscle.LATS: MuscleCategory.UPPER_PULL,
    Muscle.TRAPS_RHOMBOIDS: MuscleCategory.UPPER_PULL,
    Muscle.ELBOW_FLEXORS: MuscleCategory.UPPER_PULL,
    Muscle.FOREARMS: MuscleCategory.UPPER_PULL,
    Muscle.SPINAL_ERECTORS: MuscleCategory.CORE_POSTERIOR,
    Muscle.ABS: MuscleCategory.CORE_POSTERIOR,
    Muscle.OBLIQUES: MuscleCategory.CORE_POSTERIOR,
    Muscle.GLUTES: MuscleCategory.LOWER_BODY,
    Muscle.QUADRICEPS: MuscleCategory.LOWER_BODY,
    Muscle.HAMSTRINGS: MuscleCategory.LOWER_BODY,
    Muscle.ADDUCTORS: MuscleCategory.LOWER_BODY,
    Muscle.CALVES: MuscleCategory.LOWER_BODY,
}

# Accepted on import, never stored.
MUSCLE_ALIASES: dict[str, str] = {
    "QUADS": Muscle.QUADRICEPS,
    "BICEPS": Muscle.ELBOW_FLEXORS,
    "TRAPS": Muscle.TRAPS_RHOMBOIDS,
    "UPPER_BACK": Muscle.TRAPS_RHOMBOIDS,
    "LOWER_BACK": Muscle.SPINAL_ERECTORS,
}


# A custom exercise's name and description (library names come from the seed file).
NAME_MIN_LENGTH = 3
NAME_MAX_LENGTH = 100
DESCRIPTION_MAX_LENGTH = 2000


def clean_exercise_name(value: str | None) -> str:
    """Spaces collapsed; ``NAME_MIN_LENGTH`` to ``NAME_MAX_LENGTH`` characters."""
    name = " ".join((value or "").split())
    if len(name) < NAME_MIN_LENGTH:
        raise ValidationError(f"Give a name of at least {NAME_MIN_LENGTH} characters.", code="name_short")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(f"A name has at most {NAME_MAX_LENGTH} characters.", code="name_long")
    return name


def clean_exercise_description(value: str | None) -> str:
    text = value or ""
    if len(text) > DESCRIPTION_MAX_LENGTH:
        raise ValidationError(
            f"A description has at most {DESCRIPTION_MAX_LENGTH} characters.", code="description_long"
        )
    return text


class Equipment(models.TextChoices):
    BARBELL = "BARBELL", "Barbell"
    DUMBBELL = "DUMBBELL", "Dumbbell"
    CABLE = "CABLE", "Cable"
    MACHINE = "MACHINE", "Machine"
    SMITH_MACHINE = "SMITH_MACHINE", "Smith machine"
    BODYWEIGHT = "BODYWEIGHT", "Bodyweight"
    KETTLEBELL = "KETTLEBELL", "Kettlebell"
    RESISTANCE_BAND = "RESISTANCE_BAND", "Resistance band"
    OTHER = "OTHER", "Other"


class Fitting(models.TextChoices):
    """What an exercise needs beyond its equipment type (a dumbbell bench press needs a bench, a
    pull-up a bar). The generator uses an exercise only when the lifter has all it needs."""

    BENCH = "BENCH", "A bench (flat or adjustable)"
    SQUAT_RACK = "SQUAT_RACK", "A squat rack or stands"
    PULL_UP_BAR = "PULL_UP_BAR", "A pull-up bar"
    DIP_STATION = "DIP_STATION", "Dip bars (a dip station)"
    ANCHOR = "ANCHOR", "An anchor point (a door anchor for bands, somewhere to hook the feet)"
    LOW_BAR = "LOW_BAR", "A fixed bar or rings at hip height (inverted rows)"


class Difficulty(models.TextChoices):
    BEGINNER = "BEGINNER", "Beginner"
    INTERMEDIATE = "INTERMEDIATE", "Intermediate"
    ADVANCED = "ADVANCED", "Advanced"


CONTRIBUTION_LEVELS: tuple[float, ...] = (0.25, 0.5, 0.75, 1.0)
CONTRIBUTION_LABELS: dict[float, str] = {
    0.25: "minor",
    0.5: "synergist",
    0.75: "high",
    1.0: "prime mover",
}
PRIME_MOVER = 1.0


def normalise_muscle_key(key: str) -> str:
    """Upper-case a muscle key and resolve import aliases (QUADS -> QUADRICEPS)."""
    key = key.strip().upper()
    return MUSCLE_ALIASES.get(key, key)


def validate_muscle_contributions(value: Any) -> None:
    """Raise ValidationError unless ``value`` is a valid contributions mapping (DOMAIN.md)."""
    if not isinstance(value, Mapping) or not value:
        raise ValidationError("Give at least one muscle with its contribution.", code="contributions_empty")
    errors: list[ValidationError] = []
    known = set(Muscle.values)
    for muscle, level in value.items():
        if muscle not in known:
            errors.append(
                ValidationError(
                    "“%(muscle)s” is not a known muscle.", code="unknown_muscle", params={"muscle": muscle}
                )
            )
            continue
        if (
            isinstance(level, bool)
            or not isinstance(level, int | float)
            or float(level) not in CONTRIBUTION_LEVELS
        ):
            errors.append(
                ValidationError(
                    "%(muscle)s: contribution must be one of 0.25, 0.5, 0.75 or 1.0.",
                    code="invalid_level",
                    params={"muscle": muscle_label(muscle)},
                )
            )
    if errors:
        raise ValidationError(errors)
    if not any(float(level) == PRIME_MOVER for level in value.values()):
        raise ValidationError("At least one muscle must be the prime mover (1.0).", code="no_prime_mover")


# SQL mirror of validate_muscle_contributions, used by the chk_exercises_muscle_contributions
# check constraint (added in a migration because Django cannot express jsonpath checks).
MUSCLE_CONTRIBUTIONS_CHECK_SQL = (
    "jsonb_typeof(muscle_contributions) = 'object'"
    " AND muscle_contributions <> '{}'::jsonb"
    " AND (muscle_contributions - ARRAY[{keys}]::text[]) = '{}'::jsonb"
    " AND NOT jsonb_path_exists(muscle_contributions,"
    " '$.* ? (@.type() != \"number\" || (@ != 0.25 && @ != 0.5 && @ != 0.75 && @ != 1))')"
    " AND jsonb_path_exists(muscle_contributions, '$.* ? (@ == 1)')"
).replace("{keys}", ", ".join(f"'{m}'" for m in Muscle.values))
