"""What every rule reads: :class:`ReviewContext` (the snapshot, its weekly volume, the exercises the
lifter may add, and "what if" simulation) and the per-session caps that decide how many sets fit."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from coach.plan import (
    Change,
    ExerciseInfo,
    PlannedSession,
    ProgramSnapshot,
    apply_changes,
    counted,
    snapshot_volume,
    volume_landmarks,
)
from exercises.domain import PRIME_MOVER
from programs.volume import (
    FRACTIONAL,
    MAX_EXERCISES_PER_SESSION,
    SESSION_MUSCLE_WARNING_SETS,
    SESSION_TOTAL_WARNING_SETS,
    ProgramVolume,
)

MAX_SETS_PER_ADDED_EXERCISE = 6
COMPOUND_PRESCRIPTION = ("6-10", 150)
ISOLATION_PRESCRIPTION = ("10-15", 90)
EPS = 1e-6


def prescription_for(exercise: ExerciseInfo) -> tuple[str, int]:
    return COMPOUND_PRESCRIPTION if exercise.is_heavy else ISOLATION_PRESCRIPTION


class ReviewContext:
    """One review's inputs and the figures every rule reads: the counted week, the counting rule,
    the landmarks, the exercises the lifter may add, and :meth:`simulate` for "what if" changes."""

    def __init__(
        self,
        snapshot: ProgramSnapshot,
        volume: ProgramVolume,
        candidates: Sequence[ExerciseInfo],
    ):
        self.snapshot = snapshot
        self.volume = volume
        self.counting = volume.counting
        self.landmarks = volume_landmarks(volume)
        self.candidates = list(candidates)
        self.exercises: dict[str, ExerciseInfo] = {c.id: c for c in candidates}
        for session in snapshot.sessions:
            for item in session.exercises:
                self.exercises.setdefault(item.exercise.id, item.exercise)
        self.week = snapshot.counted_sessions()
        self.week_ids = {s.id for s in self.week}
        self.scale = volume.scale if self.week else 0.0

    def value(self, muscle: str, volume: ProgramVolume | None = None) -> float:
        return counted(volume or self.volume, muscle)

    def simulate(self, changes: Sequence[Change]) -> ProgramVolume:
        return snapshot_volume(
            apply_changes(self.snapshot, changes, self.exercises),
            counting=self.counting,
            landmarks=self.landmarks,
        )

    def unit(self, exercise: ExerciseInfo, muscle: str) -> float:
        """Weekly counted sets one set of ``exercise`` gives ``muscle``."""
        c = exercise.contribution(muscle)
        if self.counting != FRACTIONAL:
            c = 1.0 if c == PRIME_MOVER else 0.0
        return c * self.scale


def session_raw(session: PlannedSession) -> dict[str, float]:
    raw: dict[str, float] = {}
    for item in session.exercises:
        for muscle, level in item.exercise.contributions.items():
            raw[muscle] = raw.get(muscle, 0.0) + item.sets * float(level)
    return raw


def room_for(
    ctx: ReviewContext,
    session: PlannedSession,
    exercise: ExerciseInfo,
    *,
    new: bool,
    weekly: Mapping[str, float],
    extra_sets_in_session: int = 0,
) -> int:
    """How many sets of ``exercise`` fit into ``session`` within every cap (0 = none)."""
    if new and len(session.exercises) >= MAX_EXERCISES_PER_SESSION:
        return 0
    room = SESSION_TOTAL_WARNING_SETS - session.total_sets - extra_sets_in_session
    raw = session_raw(session)
    for muscle, level in exercise.contributions.items():
        level = float(level)
        if level <= 0:
            continue
        room = min(room, math.floor((SESSION_MUSCLE_WARNING_SETS - raw.get(muscle, 0.0)) / level + EPS))
        unit = ctx.unit(exercise, muscle) if session.id in ctx.week_ids else 0.0
        if unit > 0:
            headroom = ctx.landmarks[muscle].mrv - weekly[muscle]
            room = min(room, math.floor(headroom / unit + EPS))
    return max(0, room)


def weekly_sets(ctx: ReviewContext, volume: ProgramVolume | None = None) -> dict[str, float]:
    vol = volume or ctx.volume
    return {m.muscle: counted(vol, m.muscle) for m in vol.muscles}
