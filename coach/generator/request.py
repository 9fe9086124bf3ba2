"""The generator's input: :func:`validate_request` checks what the lifter asked for and returns a
clean :class:`GeneratorRequest`, or raises :class:`GeneratorInputError` with a message per field."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from coach.plan import ExerciseInfo
from exercises.domain import Equipment, Fitting, Muscle, normalise_muscle_key
from programs.volume import SESSION_TOTAL_WARNING_SETS

MIN_DAYS, MAX_DAYS = 2, 6
MIN_SESSION_SETS, MAX_SESSION_SETS = 6, SESSION_TOTAL_WARNING_SETS
DEFAULT_SESSION_SETS = 24
# Sets a session when the lifter leaves it blank: fewer days need longer sessions to reach every
# muscle's MEV, more days allow shorter ones. Measured on the seeded library with a gym's equipment
# (every seed 0-3, weekly and cyclic): 2 days meet every goal from 26 sets a session, 3 days from
# 20, 4-6 days from 16; each default adds room for the top-up towards 10 weekly sets. 56 to 96
# sets a week in all; 2 days of 28 sets is about 75 minutes, 6 days of 16 about 45.
# coach/tests/test_generator_equipment.py checks that every default meets every goal.
DEFAULT_SESSION_SETS_BY_DAYS: dict[int, int] = {2: 28, 3: 24, 4: 20, 5: 18, 6: 16}


def default_session_sets(days: object) -> int:
    """The sensible session size for ``days`` training days (24 when ``days`` is not 2-6)."""
    value = _as_int(days)
    return (
        DEFAULT_SESSION_SETS_BY_DAYS.get(value, DEFAULT_SESSION_SETS)
        if value is not None
        else DEFAULT_SESSION_SETS
    )


class GeneratorInputError(ValueError):
    """Bad generator input; ``errors`` maps a field name to a message for the lifter."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(self.errors.values()))


@dataclass(frozen=True)
class GeneratorRequest:
    days: int
    structure_type: str
    equipment: frozenset[str]
    priority_muscles: tuple[str, ...] = ()
    session_set_limit: int = DEFAULT_SESSION_SETS
    seed: int = 0
    # What the lifter has beyond equipment types (exercises.domain.Fitting values).
    fittings: frozenset[str] = frozenset(Fitting.values)

    def allows(self, exercise: ExerciseInfo) -> bool:
        """The lifter has the exercise's equipment type and everything else it needs."""
        return exercise.equipment in self.equipment and exercise.needs <= self.fittings


def validate_request(
    *,
    days: object,
    structure_type: object,
    equipment: Iterable[object] | None,
    priority_muscles: Iterable[object] | None = (),
    session_set_limit: object = None,
    seed: object = 0,
    fittings: Iterable[object] | None = None,
) -> GeneratorRequest:
    """Check the lifter's input and return a clean request, or raise :class:`GeneratorInputError`.

    ``session_set_limit`` blank or None: :func:`default_session_sets` for the days chosen.
    ``fittings`` None: not said, so everything a gym has; a list (even empty): exactly that."""
    errors: dict[str, str] = {}
    days_value = _as_int(days)
    if days_value is None or not MIN_DAYS <= days_value <= MAX_DAYS:
        errors["days"] = f"Choose {MIN_DAYS} to {MAX_DAYS} training days a week."
    structure = str(structure_type or "").upper()
    if structure not in ("WEEKLY", "CYCLIC"):
        errors["structure_type"] = "Choose WEEKLY (fixed weekdays) or CYCLIC (a rotation)."
    chosen = {str(e).strip().upper() for e in (equipment or []) if str(e).strip()}
    unknown_equipment = sorted(chosen - set(Equipment.values))
    if not chosen:
        errors["equipment"] = "Choose at least one kind of equipment you have (bodyweight counts)."
    elif unknown_equipment:
        errors["equipment"] = f"Unknown equipment: {', '.join(unknown_equipment)}."
    priorities: list[str] = []
    unknown_muscles: list[str] = []
    for raw in priority_muscles or []:
        key = normalise_muscle_key(str(raw))
        if not key:
            continue
        if key not in Muscle.values:
            unknown_muscles.append(str(raw))
        elif key not in priorities:
            priorities.append(key)
    if unknown_muscles:
        errors["priority_muscles"] = f"Unknown muscle: {', '.join(unknown_muscles)}."
    if session_set_limit is None or (isinstance(session_set_limit, str) and not session_set_limit.strip()):
        session_set_limit = default_session_sets(days)
    limit = _as_int(session_set_limit)
    if limit is None or not MIN_SESSION_SETS <= limit <= MAX_SESSION_SETS:
        errors["session_set_limit"] = (
            f"Sets per session must be {MIN_SESSION_SETS} to {MAX_SESSION_SETS} "
            "(past about 30 sets in one session, quality drops)."
        )
    seed_value = _as_int(seed)
    if seed_value is None:
        errors["seed"] = "The variation number must be a whole number."
    have = (
        frozenset(Fitting.values)
        if fittings is None
        else frozenset(str(f).strip().upper() for f in fittings if str(f).strip())
    )
    unknown_fittings = sorted(have - set(Fitting.values))
    if unknown_fittings:
        errors["fittings"] = f"Unknown item: {', '.join(unknown_fittings)}."
    if errors:
        raise GeneratorInputError(errors)
    assert days_value is not None and limit is not None and seed_value is not None  # noqa: S101
    return GeneratorRequest(
        days=days_value,
        structure_type=structure,
        equipment=frozenset(chosen),
        priority_muscles=tuple(priorities),
        session_set_limit=limit,
        seed=seed_value,
        fittings=have,
    )


# ASCII digits only: str.isdigit() also accepts "²" and other digits int() refuses, and more than
# 4,300 digits is past Python's int() conversion limit (ValueError). No field needs 100 digits.
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,100}")


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
        return int(value.strip())
    return None
