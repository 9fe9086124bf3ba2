"""Hard sets, performed weekly sets per muscle, adherence and status (TRAINING.md).

Planned volume and the landmark statuses come from ``programs.volume`` (the builder's maths); this
module only adds what performing brings: which sets count, and how performance compares.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from exercises.domain import MUSCLE_LABELS, MUSCLE_ORDER, PRIME_MOVER
from programs.volume import (
    DEFAULT_LANDMARKS,
    FRACTIONAL,
    STATUS_LABELS,
    Landmarks,
    landmark_status,
)

WARMUP = "WARMUP"
WORKING = "WORKING"
DROP = "DROP"
FAILURE = "FAILURE"
SET_TYPES = (WARMUP, WORKING, DROP, FAILURE)
HARD_SET_TYPES = frozenset({WORKING, DROP, FAILURE})
DEFAULT_RIR_THRESHOLD = Decimal(4)

Number = int | float | Decimal


def is_hard_set(
    *, set_type: str, reps: int | None, rir: Number | None, threshold: Number = DEFAULT_RIR_THRESHOLD
) -> bool:
    """WORKING, DROP or FAILURE, at least one rep, and RIR ≤ threshold or not logged."""
    if set_type not in HARD_SET_TYPES or reps is None or reps < 1:
        return False
    return rir is None or Decimal(str(rir)) <= Decimal(str(threshold))


@dataclass(frozen=True)
class LoggedSet:
    """What volume counting needs of one set: its type, reps, RIR and its exercise's muscles."""

    set_type: str
    reps: int
    rir: Number | None
    contributions: Mapping[str, float]


@dataclass(frozen=True)
class PerformedMuscle:
    """A muscle's performed weekly sets, both ways, and the part resting on sets without RIR."""

    fractional: float = 0.0
    direct: float = 0.0
    fractional_without_rir: float = 0.0
    direct_without_rir: float = 0.0

    def counted(self, counting: str) -> float:
        return self.fractional if counting == FRACTIONAL else self.direct

    def counted_without_rir(self, counting: str) -> float:
        return self.fractional_without_rir if counting == FRACTIONAL else self.direct_without_rir


@dataclass(frozen=True)
class PerformedWeek:
    muscles: dict[str, PerformedMuscle]
    hard_sets: int
    hard_sets_without_rir: int


def performed_volume(
    sets: Iterable[LoggedSet], *, threshold: Number = DEFAULT_RIR_THRESHOLD
) -> PerformedWeek:
    """Σ contribution over hard sets (fractional) and Σ over hard sets of prime movers (direct).

    The database does this in one aggregate query for real weeks; this is the reference the query
    is tested against, and what a single workout's summary uses.
    """
    sums: dict[str, list[float]] = {}
    hard = without_rir = 0
    for s in sets:
        if not is_hard_set(set_type=s.set_type, reps=s.reps, rir=s.rir, threshold=threshold):
            continue
        hard += 1
        no_rir = s.rir is None
        without_rir += no_rir
        for muscle, share in s.contributions.items():
            row = sums.setdefault(muscle, [0.0, 0.0, 0.0, 0.0])
            direct = 1.0 if float(share) == PRIME_MOVER else 0.0
            row[0] += float(share)
            row[1] += direct
            if no_rir:
                row[2] += float(share)
                row[3] += direct
    return PerformedWeek(
        muscles={m: PerformedMuscle(*(round(v, 2) for v in row)) for m, row in sums.items()},
        hard_sets=hard,
        hard_sets_without_rir=without_rir,
    )


def adherence_percent(performed: float, planned: float) -> float | None:
    """performed / planned as a percentage (one decimal); None when nothing was planned."""
    if planned <= 0:
        return None
    return round(performed / planned * 100, 1)


@dataclass(frozen=True)
class MuscleWeek:
    """One muscle in one week: planned against performed, by the lifter's counting rule."""

    muscle: str
    planned_sets: float
    performed_sets: float
    hard_sets_without_rir: float
    adherence: float | None
    status: str
    landmarks: Landmarks
    performed_fractional: float = 0.0
    performed_direct: float = 0.0

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def label(self) -> str:
        return MUSCLE_LABELS[self.muscle]

    @property
    def below_mev(self) -> bool:
        return self.performed_sets < self.landmarks.mev


def muscle_weeks(
    *,
    planned: Mapping[str, float],
    performed: Mapping[str, PerformedMuscle],
    counting: str = FRACTIONAL,
    landmarks: Mapping[str, Landmarks] | None = None,
) -> list[MuscleWeek]:
    """All 17 muscles in DOMAIN.md order. ``planned`` is already by the counting rule (the
    program's weekly volume); status is that of the performed sets against the landmarks."""
    merged = {**DEFAULT_LANDMARKS, **(landmarks or {})}
    rows: list[MuscleWeek] = []
    for muscle in MUSCLE_ORDER:
        done = performed.get(muscle, PerformedMuscle())
        planned_sets = round(float(planned.get(muscle, 0.0)), 2)
        performed_sets = round(done.counted(counting), 2)
        rows.append(
            MuscleWeek(
                muscle=muscle,
                planned_sets=planned_sets,
                performed_sets=performed_sets,
                hard_sets_without_rir=round(done.counted_without_rir(counting), 2),
                adherence=adherence_percent(performed_sets, planned_sets),
                status=landmark_status(performed_sets, merged[muscle]),
                landmarks=merged[muscle],
                performed_fractional=done.fractional,
                performed_direct=done.direct,
            )
        )
    return rows


def number(value: float | Decimal) -> float | int:
    """Whole numbers as ints (6, not 6.0), others rounded to 2 places: for JSON."""
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def muscle_week_json(row: MuscleWeek) -> dict[str, object]:
    """One entry of ``volume.json``: the interface names of issue 14."""
    lm = row.landmarks
    return {
        "muscle": row.muscle,
        "planned_sets": number(row.planned_sets),
        "performed_sets": number(row.performed_sets),
        "hard_sets_without_rir": number(row.hard_sets_without_rir),
        "adherence": None if row.adherence is None else number(row.adherence),
        "status": row.status,
        "landmarks": {
            "mv": number(lm.mv),
            "mev": number(lm.mev),
            "mav": [number(lm.mav_low), number(lm.mav_high)],
            "mrv": number(lm.mrv),
        },
    }
