"""Estimated 1RM and personal records per exercise (TRAINING.md).

Effective reps r = reps + RIR (RIR 0 when not logged); only 1 ≤ r ≤ 10 gives an estimate (Reynolds
2006). Epley: e1RM = w × (1 + r/30), and e1RM = w when r = 1. Records, warm-ups excluded: best
e1RM, most reps at or above a load, best set volume (w × reps). A set is a PR when it beats every
earlier set of the exercise; the first workout with an exercise sets no PRs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from training.domain.volume import WARMUP

MAX_ESTIMATE_REPS = Decimal(10)
E1RM_STEP = Decimal("0.1")

E1RM = "e1rm"
REPS = "reps"
VOLUME = "volume"
RECORD_LABELS = {
    E1RM: "Best estimated 1RM",
    REPS: "Most reps at this load or more",
    VOLUME: "Best set volume (load × reps)",
}


def effective_reps(reps: int, rir: Decimal | int | float | None) -> Decimal:
    return Decimal(reps) + (Decimal(str(rir)) if rir is not None else Decimal(0))


def estimated_1rm(
    weight: Decimal | int | str, reps: int, rir: Decimal | int | float | None = None
) -> Decimal | None:
    """Epley with effective reps, rounded to 0.1; None outside 1 ≤ r ≤ 10 or for no load."""
    w = Decimal(str(weight))
    if reps < 1 or w <= 0:
        return None
    r = effective_reps(reps, rir)
    if not Decimal(1) <= r <= MAX_ESTIMATE_REPS:
        return None
    # w × (30 + r) / 30 rather than w × (1 + r/30): one division, exact whenever the result is, so a
    # true half (1.5 kg × 1 at RIR 1 = 1.55) rounds up instead of landing a hair below.
    value = w if r == 1 else w * (30 + r) / 30
    return value.quantize(E1RM_STEP, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RecordSet:
    """One logged set of an exercise, in the order it was done."""

    set_id: str
    workout_id: str
    weight: Decimal
    reps: int
    rir: Decimal | None = None
    set_type: str = "WORKING"

    # Computed once per set: a history walk reads them several times.
    @cached_property
    def e1rm(self) -> Decimal | None:
        return estimated_1rm(self.weight, self.reps, self.rir)

    @cached_property
    def volume(self) -> Decimal:
        return Decimal(str(self.weight)) * self.reps


@dataclass
class RecordBaseline:
    """The records standing so far for one exercise: what a new set has to beat.

    ``reps_at`` keeps the most reps done at each exact load; "most reps at or above a load" reads
    it over the loads at or above (a few dozen), so walking n sets costs n × loads, not n².
    """

    best_e1rm: Decimal | None = None
    best_volume: Decimal | None = None
    reps_at: dict[Decimal, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.reps_at

    def most_reps_at_or_above(self, load: Decimal) -> int:
        return max((reps for weight, reps in self.reps_at.items() if weight >= load), default=0)

    def beaten_by(self, s: RecordSet) -> list[str]:
        """The record kinds ``s`` beats (none against an empty baseline: the first time)."""
        if self.empty or not _counts(s):
            return []
        kinds: list[str] = []
        e1rm = s.e1rm
        if e1rm is not None and self.best_e1rm is not None and e1rm > self.best_e1rm:
            kinds.append(E1RM)
        if s.reps > self.most_reps_at_or_above(s.weight):
            kinds.append(REPS)
        if self.best_volume is not None and s.volume > self.best_volume:
            kinds.append(VOLUME)
        return kinds

    def add(self, s: RecordSet) -> None:
        if not _counts(s):
            return
        self.merge(weight=s.weight, reps=s.reps, e1rm=s.e1rm, volume=s.volume)

    def merge(self, *, weight: Decimal, reps: int, e1rm: Decimal | None, volume: Decimal) -> None:
        """Fold in a set (or the database's per-load maxima of many sets)."""
        if e1rm is not None and (self.best_e1rm is None or e1rm > self.best_e1rm):
            self.best_e1rm = e1rm
        if self.best_volume is None or volume > self.best_volume:
            self.best_volume = volume
        if reps > self.reps_at.get(weight, 0):
            self.reps_at[weight] = reps


@dataclass
class ExerciseRecords:
    """The records standing after a run of sets, and which sets were PRs when logged."""

    best_e1rm: Decimal | None = None
    best_e1rm_set: str | None = None
    best_volume: Decimal | None = None
    best_volume_set: str | None = None
    # (load, reps): the most reps done at that load or more, for each load on the frontier.
    rep_records: list[tuple[Decimal, int]] = field(default_factory=list)
    prs: dict[str, list[str]] = field(default_factory=dict)  # set_id -> record kinds it set

    def kinds(self, set_id: str) -> list[str]:
        return self.prs.get(set_id, [])


def _counts(s: RecordSet) -> bool:
    return s.set_type != WARMUP and s.reps >= 1


def most_reps_at_or_above(sets: Iterable[RecordSet], load: Decimal) -> int:
    """The most reps of any counted set at ``load`` or heavier (0 if none)."""
    return max((s.reps for s in sets if _counts(s) and s.weight >= load), default=0)


def rep_frontier(sets: Iterable[RecordSet]) -> list[tuple[Decimal, int]]:
    """For each load, the most reps done at it or more; only loads where that number changes,
    heaviest first (a 100 × 5 hides 90 × 4)."""
    baseline = RecordBaseline()
    for s in sets:
        baseline.add(s)
    return frontier_of(baseline.reps_at)


def frontier_of(reps_at: dict[Decimal, int]) -> list[tuple[Decimal, int]]:
    frontier: list[tuple[Decimal, int]] = []
    top = 0
    for load in sorted(reps_at, reverse=True):
        if reps_at[load] > top:
            top = reps_at[load]
            frontier.append((load, top))
    return frontier


def exercise_records(sets: Sequence[RecordSet], baseline: RecordBaseline | None = None) -> ExerciseRecords:
    """Walk the sets in order; a set is a PR of a kind when it beats every earlier counted set.

    Sets of the first workout with the exercise only set the baseline. An e1RM PR also needs an
    earlier estimate to beat. ``baseline``: what earlier sets (not in ``sets``) already stand at.
    """
    result = ExerciseRecords()
    standing = baseline or RecordBaseline()
    first_workout: str | None = None
    for s in sets:
        if not _counts(s):
            continue
        if first_workout is None and standing.empty:
            first_workout = s.workout_id
        kinds = [] if s.workout_id == first_workout else standing.beaten_by(s)
        if kinds:
            result.prs[s.set_id] = kinds
        e1rm = s.e1rm
        if e1rm is not None and (standing.best_e1rm is None or e1rm > standing.best_e1rm):
            result.best_e1rm_set = s.set_id
        if standing.best_volume is None or s.volume > standing.best_volume:
            result.best_volume_set = s.set_id
        standing.add(s)
    result.best_e1rm, result.best_volume = standing.best_e1rm, standing.best_volume
    result.rep_records = frontier_of(standing.reps_at)
    return result


def is_pr(previous: Iterable[RecordSet], candidate: RecordSet) -> list[str]:
    """The record kinds ``candidate`` sets against every earlier set (for logging one set).

    Like :func:`exercise_records`: while every earlier set is from the candidate's own workout,
    it is the first time the exercise is done, and that sets no PRs."""
    earlier = [s for s in previous if _counts(s)]
    if not _counts(candidate) or all(s.workout_id == candidate.workout_id for s in earlier):
        return []
    kinds: list[str] = []
    e1rm = candidate.e1rm
    earlier_e1rm = [x for x in (s.e1rm for s in earlier) if x is not None]
    if e1rm is not None and earlier_e1rm and e1rm > max(earlier_e1rm):
        kinds.append(E1RM)
    if candidate.reps > most_reps_at_or_above(earlier, candidate.weight):
        kinds.append(REPS)
    if candidate.volume > max(s.volume for s in earlier):
        kinds.append(VOLUME)
    return kinds
