"""The greedy planner: session layouts per split, and :class:`Planner`, which fills the sessions
with exercises and sets towards weekly targets within every cap."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from coach.generator.request import MAX_SESSION_SETS, GeneratorRequest
from coach.plan import ExerciseInfo, PlannedExercise, PlannedSession, ProgramSnapshot
from exercises.domain import MUSCLE_CATEGORY, PRIME_MOVER, Muscle, MuscleCategory
from programs.volume import (
    FRACTIONAL,
    MANY_WEEKLY_SETS,
    MAX_EXERCISES_PER_SESSION,
    SESSION_MUSCLE_WARNING_SETS,
    Landmarks,
)

MAX_SETS_PER_EXERCISE = 5
# An exercise enters a session with at least this many sets (one set of an exercise is noise in a
# hypertrophy plan, and warming up for it costs more than the set).
MIN_SETS_PER_EXERCISE = 2
EPS = 1e-6
# Prescriptions inside the evidence (DOMAIN.md): reps 5-30, at least 90 s rest everywhere.
COMPOUND_REPS, COMPOUND_REST = "6-10", 150
ISOLATION_REPS, ISOLATION_REST = "10-15", 90
_ALL = frozenset(MuscleCategory.values)
_UPPER = frozenset({MuscleCategory.UPPER_PUSH, MuscleCategory.UPPER_PULL})
_LOWER = frozenset({MuscleCategory.LOWER_BODY, MuscleCategory.CORE_POSTERIOR})
SESSION_KINDS: dict[str, frozenset[str]] = {
    "Full body": _ALL,
    "Upper": _UPPER,
    "Lower": _LOWER,
    "Push": frozenset({MuscleCategory.UPPER_PUSH}),
    "Pull": frozenset({MuscleCategory.UPPER_PULL}),
    "Legs": _LOWER,
}
# days -> (split name, [(session kind, suffix)], weekdays). Weekdays spread over the week.
WEEKLY_SPLITS: dict[int, tuple[str, list[tuple[str, str]], list[int]]] = {
    2: ("full body", [("Full body", "A"), ("Full body", "B")], [0, 3]),
    3: ("full body", [("Full body", "A"), ("Full body", "B"), ("Full body", "C")], [0, 2, 4]),
    4: ("upper/lower", [("Upper", "A"), ("Lower", "A"), ("Upper", "B"), ("Lower", "B")], [0, 1, 3, 4]),
    5: (
        "upper/lower + push/pull/legs",
        [("Upper", ""), ("Lower", ""), ("Push", ""), ("Pull", ""), ("Legs", "")],
        [0, 1, 2, 4, 5],
    ),
    6: (
        "push/pull/legs",
        [("Push", "A"), ("Pull", "A"), ("Legs", "A"), ("Push", "B"), ("Pull", "B"), ("Legs", "B")],
        [0, 1, 2, 3, 4, 5],
    ),
}
# CYCLIC: a rotation run ``days`` times a week (frequency = days).
CYCLIC_SPLITS: dict[int, tuple[str, list[tuple[str, str]]]] = {
    2: ("full body rotation", [("Full body", "A"), ("Full body", "B")]),
    3: ("full body rotation", [("Full body", "A"), ("Full body", "B")]),
    4: ("upper/lower rotation", [("Upper", ""), ("Lower", "")]),
    5: ("upper/lower rotation", [("Upper", "A"), ("Lower", "A"), ("Upper", "B"), ("Lower", "B")]),
    6: ("push/pull/legs rotation", [("Push", ""), ("Pull", ""), ("Legs", "")]),
}


@dataclass
class _Item:
    info: ExerciseInfo
    sets: int


@dataclass
class _Slot:
    name: str
    kind: str
    order_index: int
    day_of_week: int | None
    items: list[_Item] = field(default_factory=list)
    raw: dict[str, float] = field(default_factory=dict)  # fractional sets per muscle

    @property
    def total_sets(self) -> int:
        return sum(item.sets for item in self.items)

    def allows(self, muscle: str) -> bool:
        return MUSCLE_CATEGORY[muscle] in SESSION_KINDS[self.kind]

    def has(self, exercise_id: str) -> bool:
        return any(item.info.id == exercise_id for item in self.items)


class Planner:
    def __init__(
        self,
        request: GeneratorRequest,
        candidates: Sequence[ExerciseInfo],
        landmarks: Mapping[str, Landmarks],
        counting: str,
        attempt: int = 0,
        min_sets: int = MIN_SETS_PER_EXERCISE,
    ):
        self.request = request
        self.min_sets = min_sets
        self.attempt = attempt
        self.landmarks = landmarks
        self.counting = counting
        # A string seed is hashed deterministically (not by PYTHONHASHSEED): same input, same plan.
        self.rng = random.Random(f"{request.seed}:{attempt}")  # noqa: S311 (variation, not security)
        allowed = [c for c in candidates if request.allows(c)]
        # Stable order, then a seeded jitter per exercise for variation between equally good ones.
        allowed.sort(key=lambda c: (c.name.lower(), c.id))
        self.candidates = allowed
        self.jitter = {c.id: self.rng.random() for c in allowed}
        # Candidates per muscle (0.5+ contribution), in the same stable order.
        self.serving_candidates: dict[str, list[ExerciseInfo]] = {
            m: [c for c in allowed if c.contribution(m) >= 0.5] for m in Muscle.values
        }
        self.limit = min(request.session_set_limit, MAX_SESSION_SETS)
        if request.structure_type == "CYCLIC":
            split_name, layout = CYCLIC_SPLITS[request.days]
            weekdays: list[int | None] = [None] * len(layout)
        else:
            split_name, layout, days = WEEKLY_SPLITS[request.days]
            weekdays = list(days)
        self.split_name = split_name
        self.slots = [
            _Slot(
                name=f"{kind} {suffix}".strip(),
                kind=kind,
                order_index=i,
                day_of_week=weekdays[i],
            )
            for i, (kind, suffix) in enumerate(layout)
        ]
        self.scale = request.days / len(self.slots) if request.structure_type == "CYCLIC" else 1.0
        self.weekly: dict[str, float] = dict.fromkeys(Muscle.values, 0.0)
        self.caps: dict[str, float] = {m: landmarks[m].mrv for m in Muscle.values}
        for m in request.priority_muscles:
            self.caps[m] = min(self.caps[m], landmarks[m].mav_high)
        self.serving: dict[str, set[str]] = {m: set() for m in Muscle.values}

    # weekly counted sets one set of ``exercise`` gives ``muscle``
    def unit(self, exercise: ExerciseInfo, muscle: str) -> float:
        c = exercise.contribution(muscle)
        if self.counting != FRACTIONAL:
            c = 1.0 if c == PRIME_MOVER else 0.0
        return c * self.scale

    def fits(self, slot: _Slot, exercise: ExerciseInfo, sets: int, new: bool) -> bool:
        if slot.total_sets + sets > self.limit:
            return False
        if new and len(slot.items) >= MAX_EXERCISES_PER_SESSION:
            return False
        for muscle, level in exercise.contributions.items():
            if slot.raw.get(muscle, 0.0) + sets * float(level) > SESSION_MUSCLE_WARNING_SETS + EPS:
                return False
            after = self.weekly[muscle] + sets * self.unit(exercise, muscle)
            if after > self.caps[muscle] + EPS:
                return False
            # Variety: a muscle reaching 10+ weekly sets needs a second exercise.
            if after >= MANY_WEEKLY_SETS - EPS and float(level) > 0:
                serving = self.serving[muscle] | {exercise.id}
                if len(serving) < 2:
                    return False
        return True

    def add(self, slot: _Slot, exercise: ExerciseInfo, sets: int) -> None:
        for item in slot.items:
            if item.info.id == exercise.id:
                item.sets += sets
                break
        else:
            slot.items.append(_Item(exercise, sets))
        for muscle, level in exercise.contributions.items():
            slot.raw[muscle] = slot.raw.get(muscle, 0.0) + sets * float(level)
            self.weekly[muscle] += sets * self.unit(exercise, muscle)
            self.serving[muscle].add(exercise.id)

    def used_ids(self) -> set[str]:
        return {item.info.id for slot in self.slots for item in slot.items}

    def best_move(
        self, muscle: str, targets: Mapping[str, float], *, relaxed: bool = False
    ) -> tuple[_Slot, ExerciseInfo, int] | None:
        """The best way to add sets for ``muscle``; ``relaxed`` also uses sessions of other themes."""
        used = self.used_ids()
        best: tuple[float, int, _Slot, ExerciseInfo, int] | None = None
        order = 0
        for slot in self.slots:
            if not slot.allows(muscle) and not relaxed:
                continue
            options: list[tuple[ExerciseInfo, int, bool]] = []
            # Only exercises that count for the muscle (by direct counting: prime movers only).
            for item in slot.items:
                if (
                    item.info.contribution(muscle) >= 0.5
                    and self.unit(item.info, muscle) > 0
                    and item.sets < MAX_SETS_PER_EXERCISE
                ):
                    options.append((item.info, 1, False))
            deficit = targets[muscle] - self.weekly[muscle]
            for info in self.serving_candidates[muscle]:
                unit = self.unit(info, muscle)
                if unit > 0 and not slot.has(info.id):
                    needed = math.ceil(deficit / unit - EPS)
                    options.append((info, max(self.min_sets, min(2, needed)), True))
            for info, sets, new in options:
                chosen_sets = sets
                if not self.fits(slot, info, chosen_sets, new):
                    # A new exercise comes with at least MIN_SETS_PER_EXERCISE; one already in the
                    # session takes one more set.
                    chosen_sets = self.min_sets if new else 1
                    if chosen_sets == sets or not self.fits(slot, info, chosen_sets, new):
                        continue
                score = self.score(slot, info, muscle, chosen_sets, new, used, targets)
                order += 1
                key = (score, -order)
                if best is None or key > (best[0], best[1]):
                    best = (score, -order, slot, info, chosen_sets)
        if best is None:
            return None
        return best[2], best[3], best[4]

    def score(
        self,
        slot: _Slot,
        info: ExerciseInfo,
        muscle: str,
        sets: int,
        new: bool,
        used: set[str],
        targets: Mapping[str, float],
    ) -> float:
        score = 3.0 * info.contribution(muscle)
        # Synergy: other muscles that still need sets get some from this exercise.
        synergy = 0.0
        for other, level in info.contributions.items():
            if other == muscle:
                continue
            deficit = targets.get(other, 0.0) - self.weekly[other]
            if deficit > EPS:
                synergy += min(float(level) * self.scale * sets, deficit) / sets
            # Headroom: prefer not to crowd muscles close to their cap.
            headroom = self.caps[other] - self.weekly[other]
            if headroom < 3:
                synergy -= float(level)
        score += synergy
        # Spread a muscle over sessions (frequency), and keep sessions balanced.
        score -= 0.35 * slot.raw.get(muscle, 0.0)
        score -= 0.02 * slot.total_sets
        if new:
            score += self.jitter.get(info.id, 0.0)
            if info.id in used:
                score -= 2.5  # the same exercise again in another session: prefer a different one
            if len(slot.items) >= MAX_EXERCISES_PER_SESSION - 2:
                score -= 0.8
        else:
            score += 1.2  # fewer, fuller exercises beat many one-set ones
        return score

    def fill(self, targets: Mapping[str, float], *, relax: bool) -> set[str]:
        """Add sets until every muscle in ``targets`` reaches it or cannot; returns the stuck ones.

        With ``relax``, a muscle that no session of its theme has room for goes into another
        session (a calf raise on an upper day beats missing the calves' MEV)."""
        stuck: set[str] = set()
        muscle_order = {m: i for i, m in enumerate(targets)}
        # Odd attempts serve priority muscles (capped at their MAV high) before the rest, so the
        # synergist sets other exercises give them cannot crowd out their own exercises.
        first = set(self.request.priority_muscles) if self.attempt % 2 else set()
        for _ in range(2000):  # a hard ceiling; a plan has at most 6 × 30 sets
            needs = [
                (m in first, 1.0 - self.weekly[m] / t if t else 0.0, -muscle_order[m], m)
                for m, t in targets.items()
                if self.weekly[m] < t - EPS and m not in stuck
            ]
            if not needs:
                break
            muscle = max(needs)[-1]
            move = self.best_move(muscle, targets)
            if move is None and relax:
                move = self.best_move(muscle, targets, relaxed=True)
            if move is None:
                stuck.add(muscle)
                continue
            self.add(*move)
        return stuck

    def single_sets(self) -> int:
        return sum(1 for slot in self.slots for item in slot.items if item.sets < MIN_SETS_PER_EXERCISE)

    def round_up_single_sets(self) -> None:
        """Give every 1-set entry a second set where every cap allows it."""
        for slot in self.slots:
            for item in slot.items:
                if item.sets < MIN_SETS_PER_EXERCISE and self.fits(slot, item.info, 1, new=False):
                    self.add(slot, item.info, 1)

    def snapshot(self) -> ProgramSnapshot:
        sessions = []
        for slot in self.slots:
            items = sorted(
                slot.items,
                key=lambda item: (
                    not item.info.is_heavy,
                    -sum(1 for c in item.info.contributions.values() if float(c) >= 0.5),
                    item.info.name,
                ),
            )
            exercises = []
            for order, item in enumerate(items):
                compound = item.info.is_heavy
                exercises.append(
                    PlannedExercise(
                        id=f"s{slot.order_index}:e{order}",
                        exercise=item.info,
                        sets=item.sets,
                        reps=COMPOUND_REPS if compound else ISOLATION_REPS,
                        rest_seconds=COMPOUND_REST if compound else ISOLATION_REST,
                        order_index=order,
                    )
                )
            sessions.append(
                PlannedSession(
                    id=f"s{slot.order_index}",
                    name=slot.name,
                    order_index=slot.order_index,
                    day_of_week=slot.day_of_week,
                    exercises=tuple(exercises),
                )
            )
        return ProgramSnapshot(
            structure_type=self.request.structure_type,
            frequency=self.request.days,
            sessions=tuple(sessions),
        )
