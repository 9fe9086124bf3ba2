"""Plain data the coach works on: a program snapshot, exercises, and changes to a program.

Pure: no database. ``coach.review`` and ``coach.generator`` read and produce these shapes;
``coach.services`` builds them from the database and writes changes back through the
builder's services.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from exercises.domain import PRIME_MOVER
from programs.volume import (
    FRACTIONAL,
    Landmarks,
    ProgramVolume,
    SessionMuscleSets,
    SessionVolume,
    program_volume,
)

# The 11 major muscles the generator must bring to MEV (the foundation issue).
MAJOR_MUSCLES: tuple[str, ...] = (
    "CHEST",
    "LATS",
    "TRAPS_RHOMBOIDS",
    "SIDE_DELTS",
    "REAR_DELTS",
    "ELBOW_FLEXORS",
    "TRICEPS",
    "QUADRICEPS",
    "HAMSTRINGS",
    "GLUTES",
    "CALVES",
)

# Words in an exercise name that mark a multi-joint lift even when the library lists only one
# muscle at 0.5 or more (e.g. a hip thrust variant or a machine press listed as chest-only).
MULTI_JOINT_WORDS: tuple[str, ...] = (
    "squat",
    "deadlift",
    "press",
    "row",
    "pull-up",
    "pullup",
    "chin-up",
    "chinup",
    "dip",
    "lunge",
    "push-up",
    "pushup",
    "clean",
    "snatch",
    "thruster",
    "step-up",
)


@dataclass(frozen=True)
class ExerciseInfo:
    """An exercise as plain data: id, name, equipment and muscle contributions."""

    id: str
    name: str
    equipment: str
    contributions: Mapping[str, float]
    # What it needs beyond its equipment type (exercises.domain.Fitting values): bench, pull-up bar…
    needs: frozenset[str] = frozenset()

    def contribution(self, muscle: str) -> float:
        return float(self.contributions.get(muscle, 0.0))

    @property
    def prime_movers(self) -> tuple[str, ...]:
        return tuple(m for m, c in self.contributions.items() if float(c) == PRIME_MOVER)

    @property
    def is_compound(self) -> bool:
        """Compound: two or more muscles at 0.5 or more, or a multi-joint lift by name."""
        if sum(1 for c in self.contributions.values() if float(c) >= 0.5) >= 2:
            return True
        lowered = self.name.lower()
        return any(word in lowered for word in MULTI_JOINT_WORDS)

    @property
    def is_heavy(self) -> bool:
        """A multi-joint lift for prescriptions (heavier reps, longer rest): named like one
        (squat, press, row, ...) or three or more muscles at 0.5+. Stricter than
        :attr:`is_compound`, which the review's rest rule uses (a face pull is "compound" there
        by the two-muscle rule, but is prescribed like an isolation exercise)."""
        lowered = self.name.lower()
        if any(word in lowered for word in MULTI_JOINT_WORDS):
            return True
        return sum(1 for c in self.contributions.values() if float(c) >= 0.5) >= 3


@dataclass(frozen=True)
class PlannedExercise:
    id: str  # the session exercise's id ("" for a plan not yet saved)
    exercise: ExerciseInfo
    sets: int
    reps: str | None = None
    rest_seconds: int | None = None
    order_index: int = 0


@dataclass(frozen=True)
class PlannedSession:
    id: str
    name: str
    order_index: int
    day_of_week: int | None
    exercises: tuple[PlannedExercise, ...] = ()

    @property
    def total_sets(self) -> int:
        return sum(e.sets for e in self.exercises)


@dataclass(frozen=True)
class ProgramSnapshot:
    structure_type: str
    frequency: int
    sessions: tuple[PlannedSession, ...] = ()

    def counted_sessions(self) -> list[PlannedSession]:
        """The sessions that make up the week (WEEKLY: those on a weekday; CYCLIC: all)."""
        ordered = sorted(self.sessions, key=lambda s: (s.order_index, s.id))
        if self.structure_type == "CYCLIC":
            return ordered
        return [s for s in ordered if s.day_of_week is not None]

    def session(self, session_id: str) -> PlannedSession | None:
        return next((s for s in self.sessions if s.id == session_id), None)

    def find_exercise(self, session_exercise_id: str) -> tuple[PlannedSession, PlannedExercise] | None:
        for s in self.sessions:
            for e in s.exercises:
                if e.id == session_exercise_id:
                    return s, e
        return None

    def exercise_ids(self) -> set[str]:
        return {e.exercise.id for s in self.sessions for e in s.exercises}

    def equipment_used(self) -> set[str]:
        return {e.exercise.equipment for s in self.sessions for e in s.exercises}


def session_rows(session: PlannedSession) -> SessionVolume:
    """What one session gives each muscle (the rows the database aggregation would return)."""
    fractional: dict[str, float] = {}
    direct: dict[str, float] = {}
    for item in session.exercises:
        for muscle, level in item.exercise.contributions.items():
            fractional[muscle] = fractional.get(muscle, 0.0) + item.sets * float(level)
            if float(level) == PRIME_MOVER:
                direct[muscle] = direct.get(muscle, 0.0) + item.sets
    return SessionVolume(
        session_id=session.id,
        name=session.name,
        order_index=session.order_index,
        day_of_week=session.day_of_week,
        total_sets=session.total_sets,
        muscles={
            m: SessionMuscleSets(fractional=round(f, 2), direct=direct.get(m, 0.0))
            for m, f in fractional.items()
        },
    )


def snapshot_volume(
    snapshot: ProgramSnapshot,
    *,
    counting: str = FRACTIONAL,
    landmarks: Mapping[str, Landmarks] | None = None,
) -> ProgramVolume:
    """Weekly volume of a snapshot through the same maths as the builder's panel."""
    return program_volume(
        structure_type=snapshot.structure_type,
        frequency=snapshot.frequency,
        sessions=[session_rows(s) for s in snapshot.sessions],
        counting=counting,
        landmarks=landmarks,
    )


def counted(volume: ProgramVolume, muscle: str) -> float:
    """A muscle's weekly sets under the volume's counting rule."""
    mv = volume.muscle(muscle)
    return mv.fractional_sets if volume.counting == FRACTIONAL else mv.direct_sets


def volume_landmarks(volume: ProgramVolume) -> dict[str, Landmarks]:
    return {m.muscle: m.landmarks for m in volume.muscles}


# ---------------------------------------------------------------- changes and fixes

ADD = "add"
SET_SETS = "set_sets"
REMOVE = "remove"
SET_REST = "set_rest"
SET_REPS = "set_reps"
CHANGE_KINDS = (ADD, SET_SETS, REMOVE, SET_REST, SET_REPS)


@dataclass(frozen=True)
class Change:
    """One step of a fix. ``expected`` is the value the step assumes is there now (stale check).

    - add: ``session_id``, ``exercise_id``, ``sets``, ``reps``, ``rest_seconds``
    - set_sets: ``session_exercise_id``, ``expected`` (current sets), ``sets`` (new)
    - remove: ``session_exercise_id``, ``expected`` (current sets)
    - set_rest: ``session_exercise_id``, ``expected`` (current rest), ``rest_seconds`` (new)
    - set_reps: ``session_exercise_id``, ``expected`` (current reps), ``reps`` (new)
    """

    kind: str
    text: str
    session_id: str = ""
    session_exercise_id: str = ""
    exercise_id: str = ""
    sets: int | None = None
    reps: str | None = None
    rest_seconds: int | None = None
    expected: int | str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "session_id": self.session_id,
            "session_exercise_id": self.session_exercise_id,
            "exercise_id": self.exercise_id,
            "sets": self.sets,
            "reps": self.reps,
            "rest_seconds": self.rest_seconds,
            "expected": self.expected,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Change:
        kind = str(data["kind"])
        if kind not in CHANGE_KINDS:
            raise ValueError(f"unknown change kind {kind!r}")
        return cls(
            kind=kind,
            text=str(data.get("text", "")),
            session_id=str(data.get("session_id") or ""),
            session_exercise_id=str(data.get("session_exercise_id") or ""),
            exercise_id=str(data.get("exercise_id") or ""),
            sets=None if data.get("sets") is None else int(data["sets"]),
            reps=data.get("reps"),
            rest_seconds=None if data.get("rest_seconds") is None else int(data["rest_seconds"]),
            expected=data.get("expected"),
        )


@dataclass(frozen=True)
class Fix:
    """A change to the program a finding proposes, as plain steps the lifter can read."""

    description: str
    changes: tuple[Change, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {"description": self.description, "changes": [c.as_dict() for c in self.changes]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fix:
        return cls(
            description=str(data["description"]),
            changes=tuple(Change.from_dict(c) for c in data["changes"]),
        )


def apply_changes(
    snapshot: ProgramSnapshot,
    changes: Iterable[Change],
    exercises: Mapping[str, ExerciseInfo] | None = None,
) -> ProgramSnapshot:
    """The snapshot after ``changes`` (pure; used to show what a fix does before applying it).

    ``exercises`` resolves ids of exercises that an ``add`` brings into the program.
    """
    sessions = {s.id: s for s in snapshot.sessions}
    known = dict(exercises or {})
    for change in changes:
        if change.kind == ADD:
            session = sessions[change.session_id]
            info = known[change.exercise_id]
            new = PlannedExercise(
                id=f"new:{change.session_id}:{change.exercise_id}",
                exercise=info,
                sets=int(change.sets or 0),
                reps=change.reps,
                rest_seconds=change.rest_seconds,
                order_index=max((e.order_index for e in session.exercises), default=-1) + 1,
            )
            sessions[session.id] = replace(session, exercises=(*session.exercises, new))
            continue
        for sid, session in sessions.items():
            items = list(session.exercises)
            for i, item in enumerate(items):
                if item.id != change.session_exercise_id:
                    continue
                if change.kind == REMOVE:
                    items.pop(i)
                elif change.kind == SET_SETS:
                    items[i] = replace(item, sets=int(change.sets or 0))
                elif change.kind == SET_REST:
                    items[i] = replace(item, rest_seconds=change.rest_seconds)
                elif change.kind == SET_REPS:
                    items[i] = replace(item, reps=change.reps)
                sessions[sid] = replace(session, exercises=tuple(items))
                break
    return replace(snapshot, sessions=tuple(sessions[s.id] for s in snapshot.sessions))
