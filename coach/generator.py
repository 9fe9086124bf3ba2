"""The volume-aware program generator: pure planning over plain exercise data (no database).

Given training days (2–6), WEEKLY or CYCLIC, the equipment the lifter has, optional priority
muscles, a sets-per-session limit and a seed, :func:`generate_plan` builds sessions with exercises,
sets, reps and rest so that (DOMAIN.md, issue 6):

- each of the 11 major muscles gets at least its MEV a week;
- each priority muscle lands inside its MAV;
- no muscle goes above its MRV;
- no session gives one muscle more than 10 fractional sets, has more than 30 sets, more than the
  lifter's limit, or more than 8 exercises;
- no muscle that gets 10+ weekly sets is served by one exercise only;
- only exercises for the given equipment are used. BODYWEIGHT is *not* added silently: it is one
  of the choices (the form ticks it by default, since everyone has a body), so "only the given
  equipment" means exactly what the lifter chose.

Where the goals cannot be met (no exercise in the library trains a muscle with that equipment, or
the sessions have no room left), the plan says which goals and why: :attr:`GeneratedPlan.unmet` is
computed from the finished plan with the builder's own volume maths, so it is never silent.

How: a greedy fill. Phase 1 adds sets for the muscle furthest below its goal, choosing the
session and exercise that serve it best (prime movers first, then synergy with other muscles that
still need sets, spreading a muscle over sessions, preferring exercises not used yet). Phase 2 tops
the majors up towards 10 weekly sets (Schoenfeld 2017) and priority muscles towards the middle of
their MAV with whatever room is left. The seed shuffles ties between equally good exercises, so a
new seed gives a different variation of the same plan.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from coach.plan import (
    MAJOR_MUSCLES,
    ExerciseInfo,
    PlannedExercise,
    PlannedSession,
    ProgramSnapshot,
    counted,
    snapshot_volume,
)
from exercises.domain import (
    MUSCLE_CATEGORY,
    PRIME_MOVER,
    Equipment,
    Muscle,
    MuscleCategory,
    normalise_muscle_key,
)
from programs.volume import (
    DEFAULT_LANDMARKS,
    FRACTIONAL,
    SESSION_MUSCLE_WARNING_SETS,
    SESSION_TOTAL_WARNING_SETS,
    Landmarks,
    ProgramVolume,
)

MIN_DAYS, MAX_DAYS = 2, 6
MIN_SESSION_SETS, MAX_SESSION_SETS = 6, SESSION_TOTAL_WARNING_SETS
DEFAULT_SESSION_SETS = 24
MAX_EXERCISES_PER_SESSION = 8
MAX_SETS_PER_EXERCISE = 5
VARIETY_THRESHOLD = 10.0  # weekly sets from which one muscle needs two or more exercises
TOP_UP_SETS = 10.0  # 10+ weekly sets beat fewer (Schoenfeld 2017)
EPS = 1e-6
ATTEMPTS = 6

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


@dataclass(frozen=True)
class UnmetGoal:
    code: str
    message: str
    muscle: str | None = None


@dataclass(frozen=True)
class GeneratedPlan:
    name: str
    description: str
    structure_type: str
    frequency: int
    snapshot: ProgramSnapshot
    volume: ProgramVolume
    unmet: tuple[UnmetGoal, ...] = field(default_factory=tuple)

    @property
    def sessions(self) -> tuple[PlannedSession, ...]:
        return self.snapshot.sessions


# ---------------------------------------------------------------- goals (also used by tests)


def goal_violations(
    snapshot: ProgramSnapshot,
    volume: ProgramVolume,
    *,
    priority_muscles: Sequence[str] = (),
    session_set_limit: int = MAX_SESSION_SETS,
    equipment: Iterable[str] | None = None,
) -> list[UnmetGoal]:
    """Every generator goal the plan misses, measured with the builder's volume maths."""
    problems: list[UnmetGoal] = []
    landmarks = {m.muscle: m.landmarks for m in volume.muscles}
    for muscle in MAJOR_MUSCLES:
        value = counted(volume, muscle)
        if value < landmarks[muscle].mev:
            problems.append(
                UnmetGoal(
                    "below_mev",
                    f"{_label(muscle)}: {value:g} weekly sets, below its MEV of {landmarks[muscle].mev:g}.",
                    muscle,
                )
            )
    for muscle in priority_muscles:
        value, lm = counted(volume, muscle), landmarks[muscle]
        if not lm.mav_low <= value <= lm.mav_high:
            problems.append(
                UnmetGoal(
                    "priority_outside_mav",
                    f"{_label(muscle)} (priority): {value:g} weekly sets, outside its MAV of "
                    f"{lm.mav_low:g}–{lm.mav_high:g}.",
                    muscle,
                )
            )
    for mv in volume.muscles:
        if counted(volume, mv.muscle) > mv.landmarks.mrv:
            problems.append(
                UnmetGoal(
                    "above_mrv",
                    f"{mv.label}: {counted(volume, mv.muscle):g} weekly sets, above its MRV of "
                    f"{mv.landmarks.mrv:g}.",
                    mv.muscle,
                )
            )
    for warning in volume.warnings:
        problems.append(UnmetGoal(warning.code, warning.message, warning.muscle))
    limit = min(session_set_limit, MAX_SESSION_SETS)
    for session in snapshot.sessions:
        if session.total_sets > limit:
            problems.append(
                UnmetGoal(
                    "session_over_limit",
                    f"{session.name} has {session.total_sets} sets, over the limit of {limit}.",
                )
            )
        if len(session.exercises) > MAX_EXERCISES_PER_SESSION:
            problems.append(
                UnmetGoal(
                    "session_over_8_exercises",
                    f"{session.name} has {len(session.exercises)} exercises, more than "
                    f"{MAX_EXERCISES_PER_SESSION}.",
                )
            )
    week = snapshot.counted_sessions()
    for mv in volume.muscles:
        if counted(volume, mv.muscle) >= VARIETY_THRESHOLD:
            serving = {e.exercise.id for s in week for e in s.exercises if e.exercise.contribution(mv.muscle)}
            if len(serving) < 2:
                problems.append(
                    UnmetGoal(
                        "one_exercise_only",
                        f"{mv.label}: {counted(volume, mv.muscle):g} weekly sets all from one exercise.",
                        mv.muscle,
                    )
                )
    if equipment is not None:
        allowed = set(equipment)
        for session in snapshot.sessions:
            for item in session.exercises:
                if item.exercise.equipment not in allowed:
                    problems.append(
                        UnmetGoal(
                            "equipment",
                            f"{item.exercise.name} needs {item.exercise.equipment}, which was not chosen.",
                        )
                    )
    return problems


def _label(muscle: str) -> str:
    return str(Muscle(muscle).label)


def equipment_phrase(equipment: Iterable[str]) -> str:
    """ "barbell and dumbbell", "bodyweight", "other equipment" (in the Equipment order)."""
    words = [
        "other equipment" if e == Equipment.OTHER else str(Equipment(e).label).lower()
        for e in Equipment.values
        if e in set(equipment)
    ]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


# ---------------------------------------------------------------- the planner


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


class _Planner:
    def __init__(
        self,
        request: GeneratorRequest,
        candidates: Sequence[ExerciseInfo],
        landmarks: Mapping[str, Landmarks],
        counting: str,
        attempt: int = 0,
    ):
        self.request = request
        self.attempt = attempt
        self.landmarks = landmarks
        self.counting = counting
        # A string seed is hashed deterministically (not by PYTHONHASHSEED): same input, same plan.
        self.rng = random.Random(f"{request.seed}:{attempt}")  # noqa: S311 (variation, not security)
        allowed = [c for c in candidates if c.equipment in request.equipment]
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
            if after >= VARIETY_THRESHOLD - EPS and float(level) > 0:
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
                    options.append((info, max(1, min(2, needed)), True))
            for info, sets, new in options:
                chosen_sets = sets
                if not self.fits(slot, info, chosen_sets, new):
                    chosen_sets = 1
                    if not self.fits(slot, info, chosen_sets, new):
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


def generate_plan(
    request: GeneratorRequest,
    candidates: Sequence[ExerciseInfo],
    *,
    counting: str = FRACTIONAL,
    landmarks: Mapping[str, Landmarks] | None = None,
) -> GeneratedPlan:
    """Build a plan for ``request`` from ``candidates``; unmet goals are listed with reasons."""
    merged = {**DEFAULT_LANDMARKS, **(landmarks or {})}
    # Phase 1: the goals. Priority muscles to the bottom of their MAV, the majors to MEV.
    goals: dict[str, float] = {}
    for m in request.priority_muscles:
        goals[m] = merged[m].mav_low
    for m in MAJOR_MUSCLES:
        goals.setdefault(m, merged[m].mev)
    # Phase 2: with the room left, majors towards 10 weekly sets, priorities to the middle of MAV.
    extra: dict[str, float] = {}
    for m in request.priority_muscles:
        extra[m] = (merged[m].mav_low + merged[m].mav_high) / 2
    for m in MAJOR_MUSCLES:
        extra.setdefault(m, max(merged[m].mev, min(TOP_UP_SETS, merged[m].mav_low)))

    # Greedy choices can paint themselves into a corner when room is tight: a few attempts with
    # other tie-breaks, keeping the first that meets every goal (else the one that misses fewest).
    best: tuple[int, _Planner, ProgramSnapshot, ProgramVolume, list[UnmetGoal]] | None = None
    for attempt in range(ATTEMPTS):
        planner = _Planner(request, candidates, merged, counting, attempt)
        planner.fill(goals, relax=True)
        planner.fill(extra, relax=False)
        snapshot = planner.snapshot()
        volume = snapshot_volume(snapshot, counting=counting, landmarks=merged)
        problems = goal_violations(
            snapshot,
            volume,
            priority_muscles=request.priority_muscles,
            session_set_limit=request.session_set_limit,
            equipment=request.equipment,
        )
        if best is None or len(problems) < best[0]:
            best = (len(problems), planner, snapshot, volume, problems)
        if not problems or not _worth_retrying(problems, request, candidates):
            break
    assert best is not None  # noqa: S101
    _, planner, snapshot, volume, problems = best
    unmet = tuple(_with_reason(p, request, candidates, planner) for p in problems)
    equipment_text = equipment_phrase(request.equipment)
    priority_text = ", ".join(_label(m).lower() for m in request.priority_muscles) or "none"
    name = f"{request.days}-day {planner.split_name}"
    description = (
        f"Generated for {request.days} training days a week ({request.structure_type.lower()}), "
        f"equipment: {equipment_text}; priority muscles: {priority_text}; at most "
        f"{planner.limit} sets a session; variation {request.seed}."
    )
    return GeneratedPlan(
        name=name[:100],
        description=description,
        structure_type=request.structure_type,
        frequency=request.days,
        snapshot=snapshot,
        volume=volume,
        unmet=unmet,
    )


def _worth_retrying(
    problems: Sequence[UnmetGoal], request: GeneratorRequest, candidates: Sequence[ExerciseInfo]
) -> bool:
    """Another attempt (other tie-breaks) may fix a goal missed for want of room, never one missed
    for want of equipment: a muscle no allowed exercise trains as prime mover, or a muscle that
    needs 10+ sets (two exercises) with only one allowed exercise for it."""
    for problem in problems:
        if problem.muscle is None:
            return True
        primes = sum(
            1
            for c in candidates
            if c.equipment in request.equipment and c.contribution(problem.muscle) == PRIME_MOVER
        )
        needs_two = problem.code in ("priority_outside_mav", "one_exercise_only")
        if primes >= (2 if needs_two else 1):
            return True
    return False


def _with_reason(
    problem: UnmetGoal,
    request: GeneratorRequest,
    candidates: Sequence[ExerciseInfo],
    planner: _Planner,
) -> UnmetGoal:
    if problem.muscle is None or problem.code not in (
        "below_mev",
        "priority_outside_mav",
        "one_exercise_only",
    ):
        return problem
    muscle = problem.muscle
    equipment_text = equipment_phrase(request.equipment)
    allowed = [c for c in candidates if c.equipment in request.equipment]
    prime = [c for c in allowed if c.contribution(muscle) == PRIME_MOVER]
    serving = [c for c in allowed if c.contribution(muscle) >= 0.5]
    varied_enough = len(serving) >= 2
    if not varied_enough and (
        problem.code == "one_exercise_only" or planner.weekly[muscle] >= VARIETY_THRESHOLD - 1
    ):
        reason = (
            f"only {len(serving)} exercise in the library trains {_label(muscle).lower()} with "
            f"only {equipment_text}, and 10+ weekly sets from one exercise are not varied enough"
        )
        return UnmetGoal(problem.code, f"{problem.message} Why: {reason}.", muscle)
    if not prime:
        reason = (
            f"no exercise in the library trains {_label(muscle).lower()} as prime mover with only "
            f"{equipment_text}"
        )
        if serving:
            reason += f"; the {len(serving)} that train it as a synergist could not bring it there"
    else:
        reason = (
            f"no room left: {request.days} training days of at most {planner.limit} sets and "
            f"{MAX_EXERCISES_PER_SESSION} exercises, at most {SESSION_MUSCLE_WARNING_SETS:g} sets for one "
            "muscle in one session, and no other muscle above its MRV (or a priority muscle above its MAV)"
        )
    return UnmetGoal(problem.code, f"{problem.message} Why: {reason}.", muscle)


def exercises_from_seed_data(items: Iterable[Any]) -> list[ExerciseInfo]:
    """ExerciseInfo from ``hypertroq.seed.load_exercises`` rows (plain data, no database)."""
    result = []
    for item in items:
        name = str(item.name)
        result.append(
            ExerciseInfo(
                id=name.lower(),
                name=name,
                equipment=str(item.equipment),
                contributions={str(m): float(v) for m, v in item.muscle_contributions.items()},
            )
        )
    return result
