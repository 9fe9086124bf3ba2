"""Progression suggestions: double progression gated on RIR (TRAINING.md).

For a prescribed rep range N–M (a single N means N–N; AMRAP gets no suggestion):
- every working set last time reached M reps at RIR ≥ 1 (or RIR not logged) → add the smallest
  jump for the equipment, reps back to N;
- else any working set below N reps in each of the last two workouts → 5–10% less load, rounded
  down to the lifter's increment;
- else keep the load and aim for one more rep on the sets below M.
Loads are reasoned about in the lifter's unit; the result also carries the kg to store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from training.domain.units import DEFAULT_INCREMENT, KG, LB, display_load, round_down_to, to_kg
from training.domain.volume import FAILURE, WORKING

INCREASE = "increase"
DECREASE = "decrease"
KEEP = "keep"

DELOAD_FACTOR = Decimal("0.95")  # 5% less, then rounded down: lands within 5–10% for usual loads
BARBELL_LIKE = frozenset({"BARBELL", "SMITH_MACHINE", "MACHINE"})
SMALL_STEP = frozenset({"DUMBBELL", "CABLE"})


def load_jump(equipment: str, unit: str) -> Decimal:
    """The smallest load jump: 2.5 kg / 5 lb for barbell, smith and machine (and by default);
    2 kg / 5 lb for dumbbells and cables."""
    if equipment in SMALL_STEP:
        return Decimal(2) if unit == KG else Decimal(5)
    return Decimal("2.5") if unit == KG else Decimal(5)


def rep_range(reps: str | None) -> tuple[int, int] | None:
    """(N, M) for ``N`` or ``N-M``; None for AMRAP, blank or anything unreadable."""
    text = (reps or "").strip().upper().replace("–", "-")
    if not text or text == "AMRAP":
        return None
    parts = [p.strip() for p in text.split("-")]
    if len(parts) > 2 or not all(p.isdigit() for p in parts):
        return None
    low, high = int(parts[0]), int(parts[-1])
    if low < 1 or high < low:
        return None
    return low, high


@dataclass(frozen=True)
class PastSet:
    weight_kg: Decimal
    reps: int
    rir: Decimal | None
    set_type: str = WORKING


@dataclass(frozen=True)
class PastWorkout:
    """The sets of one earlier workout with this exercise; ``when`` reads "last Monday"."""

    when: str
    sets: Sequence[PastSet]

    @property
    def working(self) -> list[PastSet]:
        return [s for s in self.sets if s.set_type in (WORKING, FAILURE) and s.reps >= 1]


@dataclass(frozen=True)
class Suggestion:
    kind: str  # increase | decrease | keep
    weight: Decimal  # in the lifter's unit
    weight_kg: Decimal
    unit: str
    reps: int  # the rep target for the next sets
    reason: str

    @property
    def summary(self) -> str:
        return f"{self.weight} {self.unit} × {self.reps}"


def when_label(day: dt.date, today: dt.date) -> str:
    """ "today", "yesterday", "last Monday" (within a week) or "on 3 Dec"."""
    delta = (today - day).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "yesterday"
    if 1 < delta < 7:
        return f"last {day:%A}"
    return f"on {day.day} {day:%b}"


def _rir_range(sets: Sequence[PastSet]) -> str:
    logged = sorted({Decimal(str(s.rir)) for s in sets if s.rir is not None})
    if not logged:
        return "RIR not logged"
    low, high = (f"{v.normalize():f}" for v in (logged[0], logged[-1]))
    return f"RIR {low}" if low == high else f"RIR {low}–{high}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sets_word(n: int) -> str:
    return "1 set" if n == 1 else f"{n} sets"


def suggest(
    *,
    reps: str | None,
    equipment: str,
    history: Sequence[PastWorkout],
    unit: str = KG,
    increment: Decimal | None = None,
) -> Suggestion | None:
    """The suggestion for the next workout, from ``history`` (most recent workout first).

    None for AMRAP or no readable range, or when there is no earlier working set to build on.
    """
    target = rep_range(reps)
    if target is None or unit not in (KG, LB):
        return None
    low, high = target
    increment = increment or DEFAULT_INCREMENT[unit]
    recent = [w for w in history if w.working]
    if not recent:
        return None
    last = recent[0]
    working = last.working
    load = display_load(max(s.weight_kg for s in working), unit, increment)
    n = len(working)

    def effort_left(s: PastSet) -> bool:
        if s.rir is None:
            return s.set_type != FAILURE  # a set to failure had nothing left
        return Decimal(str(s.rir)) >= 1

    if all(s.reps >= high for s in working) and all(effort_left(s) for s in working):
        jump = load_jump(equipment, unit)
        new = load + jump
        every = "the set" if n == 1 else f"all {n} sets"
        return Suggestion(
            kind=INCREASE,
            weight=new,
            weight_kg=to_kg(new, unit),
            unit=unit,
            reps=low,
            reason=(
                f"{_cap(every)} reached {high} at {_rir_range(working)} {last.when}: "
                f"add {jump} {unit} and start again at {low} reps."
            ),
        )
    if len(recent) >= 2 and all(any(s.reps < low for s in w.working) for w in recent[:2]):
        new = round_down_to(load * DELOAD_FACTOR, increment)
        if new >= load:
            new = round_down_to(load - increment, increment)
        new = max(new, Decimal(0))
        percent = ((load - new) / load * 100).quantize(Decimal(1)) if load else Decimal(0)
        return Suggestion(
            kind=DECREASE,
            weight=new,
            weight_kg=to_kg(new, unit),
            unit=unit,
            reps=low,
            reason=(
                f"Sets fell below {low} reps two workouts in a row ({recent[1].when} and {last.when}): "
                f"take {percent}% off, {new} {unit}, and build back up."
            ),
        )
    short = [s for s in working if s.reps < high]
    if short:
        reason = (
            f"{_cap(_sets_word(len(short)))} of {n} stayed below {high} reps {last.when}: "
            f"keep {load} {unit} and aim for one more rep on those sets."
        )
        next_reps = min(high, min(s.reps for s in short) + 1)
    else:
        reason = (
            f"{'The set' if n == 1 else f'All {n} sets'} reached {high} {last.when}, but with no rep "
            f"left in reserve (RIR 0): keep {load} {unit} until {high} reps leave one in reserve."
        )
        next_reps = high
    return Suggestion(
        kind=KEEP, weight=load, weight_kg=to_kg(load, unit), unit=unit, reps=next_reps, reason=reason
    )
