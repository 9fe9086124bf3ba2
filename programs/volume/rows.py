"""The aggregate query's rows (programs.selectors.VOLUME_SQL) read into plain data: the
sessions, their items and the volume of one or many programs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from programs.volume.core import (
    Contributor,
    SessionMuscleSets,
    SessionVolume,
)

# --- Interpreting the database's aggregate rows ------------------------------------------------

SESSION_LEVEL = "session"
MUSCLE_LEVEL = "muscle"
CONTRIBUTOR_LEVEL = "contributor"


class VolumeRow(NamedTuple):
    """One row of the aggregate query (programs.selectors.VOLUME_SQL), at one of three levels.

    - ``session``: one per (non-deleted) session, even an empty one.
    - ``muscle``: what the session gives one muscle: ``fractional`` and ``direct`` sets.
    - ``contributor``: what one session exercise gives one muscle (``sets`` × ``contribution``).
    """

    program_id: str
    session_id: str
    session_name: str
    order_index: int
    day_of_week: int | None
    level: str
    total_sets: int = 0
    muscle: str | None = None
    session_exercise_id: str | None = None
    exercise: str | None = None
    sets: int | None = None
    contribution: float | None = None
    fractional: float = 0.0
    direct: float = 0.0
    # Contributor level only: the session exercise's own columns (for listing it in the builder).
    se_order: int | None = None
    exercise_id: str | None = None
    equipment: str | None = None
    reps: str | None = None
    rest_seconds: int | None = None
    notes: str | None = None


@dataclass(frozen=True)
class SessionItem:
    """A session exercise as the aggregate query saw it (one per session exercise)."""

    session_exercise_id: str
    session_id: str
    exercise_id: str
    exercise: str
    equipment: str
    order_index: int
    sets: int
    reps: str | None
    rest_seconds: int | None
    notes: str | None


@dataclass
class ProgramRows:
    """One program's sessions (all of them, in order), the contributors per muscle and the
    session exercises of each session (in order)."""

    sessions: list[SessionVolume] = field(default_factory=list)
    contributors: dict[str, list[Contributor]] = field(default_factory=dict)
    items: dict[str, list[SessionItem]] = field(default_factory=dict)


def rows_by_program(rows: Iterable[VolumeRow]) -> dict[str, ProgramRows]:
    """Group aggregate rows into :class:`SessionVolume` inputs and contributor lists per program."""
    meta: dict[str, dict[str, VolumeRow]] = {}
    muscles: dict[tuple[str, str], dict[str, SessionMuscleSets]] = {}
    result: dict[str, ProgramRows] = {}
    seen: set[str] = set()
    for row in rows:
        program = result.setdefault(row.program_id, ProgramRows())
        if row.level == SESSION_LEVEL:
            meta.setdefault(row.program_id, {})[row.session_id] = row
        elif row.level == MUSCLE_LEVEL and row.muscle:
            muscles.setdefault((row.program_id, row.session_id), {})[row.muscle] = SessionMuscleSets(
                fractional=round(float(row.fractional), 2), direct=round(float(row.direct), 2)
            )
        elif row.level == CONTRIBUTOR_LEVEL and row.muscle and row.session_exercise_id:
            if row.session_exercise_id not in seen:
                seen.add(row.session_exercise_id)
                program.items.setdefault(row.session_id, []).append(
                    SessionItem(
                        session_exercise_id=row.session_exercise_id,
                        session_id=row.session_id,
                        exercise_id=row.exercise_id or "",
                        exercise=row.exercise or "",
                        equipment=row.equipment or "",
                        order_index=int(row.se_order or 0),
                        sets=int(row.sets or 0),
                        reps=row.reps,
                        rest_seconds=row.rest_seconds,
                        notes=row.notes,
                    )
                )
            program.contributors.setdefault(row.muscle, []).append(
                Contributor(
                    session_id=row.session_id,
                    session_name=row.session_name,
                    session_exercise_id=row.session_exercise_id,
                    exercise=row.exercise or "",
                    sets=int(row.sets or 0),
                    contribution=float(row.contribution or 0),
                )
            )
    for program_id, sessions in meta.items():
        program_rows = result[program_id]
        program_rows.sessions = [
            SessionVolume(
                session_id=s.session_id,
                name=s.session_name,
                order_index=s.order_index,
                day_of_week=s.day_of_week,
                total_sets=sum(item.sets for item in program_rows.items.get(s.session_id, ())),
                muscles=muscles.get((program_id, s.session_id), {}),
            )
            for s in sorted(sessions.values(), key=lambda r: (r.order_index, r.session_id))
        ]
    return result
