"""The generator's input: :func:`validate_request` checks what the lifter asked for and returns a
clean :class:`GeneratorRequest`, or raises :class:`GeneratorInputError` with a message per field."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from exercises.domain import Equipment, Muscle, normalise_muscle_key
from programs.volume import SESSION_TOTAL_WARNING_SETS

MIN_DAYS, MAX_DAYS = 2, 6
MIN_SESSION_SETS, MAX_SESSION_SETS = 6, SESSION_TOTAL_WARNING_SETS
DEFAULT_SESSION_SETS = 24


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


def validate_request(
    *,
    days: object,
    structure_type: object,
    equipment: Iterable[object] | None,
    priority_muscles: Iterable[object] | None = (),
    session_set_limit: object = DEFAULT_SESSION_SETS,
    seed: object = 0,
) -> GeneratorRequest:
    """Check the lifter's input and return a clean request, or raise :class:`GeneratorInputError`."""
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
    limit = _as_int(session_set_limit)
    if limit is None or not MIN_SESSION_SETS <= limit <= MAX_SESSION_SETS:
        errors["session_set_limit"] = (
            f"Sets per session must be {MIN_SESSION_SETS} to {MAX_SESSION_SETS} "
            "(past about 30 sets in one session, quality drops)."
        )
    seed_value = _as_int(seed)
    if seed_value is None:
        errors["seed"] = "The variation number must be a whole number."
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
