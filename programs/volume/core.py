"""Weekly volume maths: pure functions over plain data, no database (DOMAIN.md).

The database aggregates sets × contribution per session and muscle; this module interprets those
rows: weekly totals (WEEKLY sums the week's sessions, CYCLIC scales the rotation to 7 days),
frequency, landmark status and warnings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from exercises.domain import MUSCLE_CATEGORY, Muscle, MuscleCategory, muscle_label

FRACTIONAL = "fractional"
DIRECT = "direct"
COUNTING_RULES = (FRACTIONAL, DIRECT)

SESSION_MUSCLE_WARNING_SETS = 10.0  # fractional sets for one muscle in one session
SESSION_TOTAL_WARNING_SETS = 30  # sets in one session
# The coach's rules (review and generator) beside the warnings they build on:
MAX_EXERCISES_PER_SESSION = 8  # a session the coach plans or accepts has at most 8 exercises
MANY_WEEKLY_SETS = 10.0  # 10+ weekly sets beat fewer (Schoenfeld 2017): worth two sessions, two exercises
FREQUENCY_THRESHOLD = 1.0  # a session "trains" a muscle from 1 fractional set


@dataclass(frozen=True)
class Landmarks:
    mv: float
    mev: float
    mav_low: float
    mav_high: float
    mrv: float

    def as_dict(self) -> dict[str, object]:
        return {"mv": self.mv, "mev": self.mev, "mav": [self.mav_low, self.mav_high], "mrv": self.mrv}


# RP's starting points (weekly sets), DOMAIN.md.
DEFAULT_LANDMARKS: dict[str, Landmarks] = {
    Muscle.CHEST: Landmarks(4, 6, 12, 20, 22),
    Muscle.FRONT_DELTS: Landmarks(0, 0, 6, 8, 12),
    Muscle.SIDE_DELTS: Landmarks(6, 8, 16, 22, 26),
    Muscle.REAR_DELTS: Landmarks(0, 6, 16, 22, 26),
    Muscle.TRICEPS: Landmarks(4, 6, 10, 14, 18),
    Muscle.LATS: Landmarks(6, 8, 12, 20, 22),
    Muscle.TRAPS_RHOMBOIDS: Landmarks(0, 4, 12, 20, 26),
    Muscle.ELBOW_FLEXORS: Landmarks(5, 8, 14, 20, 26),
    Muscle.FOREARMS: Landmarks(0, 2, 10, 20, 25),
    Muscle.SPINAL_ERECTORS: Landmarks(0, 0, 4, 10, 12),
    Muscle.ABS: Landmarks(0, 0, 16, 20, 25),
    Muscle.OBLIQUES: Landmarks(0, 0, 4, 12, 16),
    Muscle.GLUTES: Landmarks(0, 0, 4, 12, 16),
    Muscle.QUADRICEPS: Landmarks(6, 8, 12, 18, 20),
    Muscle.HAMSTRINGS: Landmarks(3, 4, 10, 16, 20),
    Muscle.ADDUCTORS: Landmarks(0, 0, 4, 12, 16),
    Muscle.CALVES: Landmarks(6, 8, 12, 16, 20),
}

BELOW_MEV = "below_mev"
PRODUCTIVE = "productive"
OPTIMAL = "optimal"
HIGH = "high"
ABOVE_MRV = "above_mrv"
UNTRAINED = "untrained"  # shown, not a landmark status: no planned set for the muscle
STATUS_LABELS = {
    UNTRAINED: "Not trained",
    BELOW_MEV: "Below MEV",
    PRODUCTIVE: "Productive",
    OPTIMAL: "Optimal (MAV)",
    HIGH: "High",
    ABOVE_MRV: "Above MRV",
}


def landmark_status(weekly_sets: float, landmarks: Landmarks) -> str:
    """below_mev (< MEV), productive (< MAV low), optimal (within MAV), high (≤ MRV), above_mrv."""
    if weekly_sets < landmarks.mev:
        return BELOW_MEV
    if weekly_sets < landmarks.mav_low:
        return PRODUCTIVE
    if weekly_sets <= landmarks.mav_high:
        return OPTIMAL
    if weekly_sets <= landmarks.mrv:
        return HIGH
    return ABOVE_MRV


@dataclass(frozen=True)
class SessionMuscleSets:
    """One aggregate row: what one session gives one muscle."""

    fractional: float
    direct: float


@dataclass(frozen=True)
class SessionVolume:
    session_id: str
    name: str
    order_index: int
    day_of_week: int | None
    total_sets: int
    muscles: Mapping[str, SessionMuscleSets] = field(default_factory=dict)


@dataclass(frozen=True)
class Contributor:
    """One session exercise's share of one muscle (per session, before weekly scaling)."""

    session_id: str
    session_name: str
    session_exercise_id: str
    exercise: str
    sets: int
    contribution: float

    @property
    def fractional(self) -> float:
        return round(self.sets * self.contribution, 2)


@dataclass(frozen=True)
class MuscleVolume:
    muscle: str
    fractional_sets: float
    direct_sets: float
    frequency: float
    status: str
    landmarks: Landmarks
    contributors: tuple[Contributor, ...] = ()
    counting: str = FRACTIONAL

    @property
    def counted_sets(self) -> float:
        """The weekly sets the status is measured on (fractional or direct, per preference)."""
        return self.fractional_sets if self.counting == FRACTIONAL else self.direct_sets

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def shown_status(self) -> str:
        """What a lifter is shown: ``untrained`` for a muscle with no planned set (even where its
        MEV is 0 and the landmark status says productive), else the landmark status."""
        return UNTRAINED if self.counted_sets == 0 else self.status

    @property
    def shown_status_label(self) -> str:
        return STATUS_LABELS[self.shown_status]

    @property
    def category_label(self) -> str:
        return MuscleCategory(self.category).label

    @property
    def label(self) -> str:
        return muscle_label(self.muscle)

    @property
    def category(self) -> str:
        return MUSCLE_CATEGORY[self.muscle]


@dataclass(frozen=True)
class VolumeWarning:
    code: str
    message: str
    session: str | None = None
    muscle: str | None = None


@dataclass(frozen=True)
class ProgramVolume:
    structure_type: str
    counting: str
    scale: float  # weekly factor applied to one pass through the sessions
    muscles: list[MuscleVolume]
    sessions: list[SessionVolume]
    warnings: list[VolumeWarning]
    frequency: int = 0  # training days a week (CYCLIC: the rotation's pace)

    def muscle(self, muscle: str) -> MuscleVolume:
        return next(m for m in self.muscles if m.muscle == muscle)

    @property
    def is_cyclic(self) -> bool:
        return self.structure_type == "CYCLIC"

    @property
    def per_label(self) -> str:
        return "per 7 days on average" if self.is_cyclic else "per week"

    @property
    def below_mev(self) -> list[MuscleVolume]:
        """Muscles under their minimum effective volume (untrained ones whose MEV is above 0 too)."""
        return [m for m in self.muscles if m.status == BELOW_MEV]

    @property
    def above_mrv(self) -> list[MuscleVolume]:
        return [m for m in self.muscles if m.status == ABOVE_MRV]

    def by_category(self) -> list[tuple[str, list[MuscleVolume]]]:
        """Muscles grouped by category label, in DOMAIN.md order."""
        groups: dict[str, list[MuscleVolume]] = {}
        for m in self.muscles:
            groups.setdefault(m.category_label, []).append(m)
        return list(groups.items())


def weekly_scale(structure_type: str, frequency: int, session_count: int) -> float:
    """WEEKLY: each session happens once a week. CYCLIC: ``frequency`` of N sessions a week."""
    if structure_type == "CYCLIC":
        return frequency / session_count if session_count else 0.0
    return 1.0


def counted_sessions(structure_type: str, sessions: Iterable[SessionVolume]) -> list[SessionVolume]:
    """Sessions that make up the week: for WEEKLY, those with a weekday; for CYCLIC, all."""
    sessions = sorted(sessions, key=lambda s: (s.order_index, s.session_id))
    if structure_type == "CYCLIC":
        return sessions
    return [s for s in sessions if s.day_of_week is not None]


def session_warnings(sessions: Iterable[SessionVolume]) -> list[VolumeWarning]:
    warnings: list[VolumeWarning] = []
    for session in sessions:
        if session.total_sets > SESSION_TOTAL_WARNING_SETS:
            warnings.append(
                VolumeWarning(
                    code="session_over_30_sets",
                    message=(
                        f"{session.name} has {session.total_sets} sets; past about 30 sets in one "
                        "session, quality drops. Spread them over more sessions."
                    ),
                    session=session.session_id,
                )
            )
        for muscle in Muscle.values:
            sets = session.muscles.get(muscle)
            if sets is not None and sets.fractional > SESSION_MUSCLE_WARNING_SETS:
                warnings.append(
                    VolumeWarning(
                        code="session_muscle_over_10",
                        message=(
                            f"{session.name} gives {muscle_label(muscle).lower()} "
                            f"{sets.fractional:g} fractional sets; past about 10 sets for one muscle "
                            "in one session, returns drop. Move some to another session."
                        ),
                        session=session.session_id,
                        muscle=muscle,
                    )
                )
    return warnings


def program_volume(
    *,
    structure_type: str,
    frequency: int,
    sessions: Iterable[SessionVolume],
    counting: str = FRACTIONAL,
    landmarks: Mapping[str, Landmarks] | None = None,
    contributors: Mapping[str, Sequence[Contributor]] | None = None,
) -> ProgramVolume:
    """Weekly volume of every muscle (all 17, in DOMAIN.md order), with status and warnings.

    ``contributors`` (muscle -> session exercises giving it sets) is optional; only those in the
    sessions that make up the week are kept.
    """
    if counting not in COUNTING_RULES:
        raise ValueError(f"unknown counting rule {counting!r}")
    merged = {**DEFAULT_LANDMARKS, **(landmarks or {})}
    week = counted_sessions(structure_type, sessions)
    scale = weekly_scale(structure_type, frequency, len(week))
    week_ids = {s.session_id for s in week}
    contributors = contributors or {}
    muscles: list[MuscleVolume] = []
    for muscle in Muscle.values:
        rows = [s.muscles[muscle] for s in week if muscle in s.muscles]
        fractional = round(sum(r.fractional for r in rows) * scale, 2)
        direct = round(sum(r.direct for r in rows) * scale, 2)
        frequency_per_week = round(sum(1 for r in rows if r.fractional >= FREQUENCY_THRESHOLD) * scale, 2)
        counted = fractional if counting == FRACTIONAL else direct
        muscles.append(
            MuscleVolume(
                muscle=muscle,
                fractional_sets=fractional,
                direct_sets=direct,
                frequency=frequency_per_week,
                status=landmark_status(counted, merged[muscle]),
                landmarks=merged[muscle],
                contributors=tuple(c for c in contributors.get(muscle, ()) if c.session_id in week_ids),
                counting=counting,
            )
        )
    return ProgramVolume(
        structure_type=structure_type,
        counting=counting,
        scale=scale,
        muscles=muscles,
        sessions=week,
        warnings=session_warnings(week),
        frequency=frequency,
    )
