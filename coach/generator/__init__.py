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
- every exercise gets at least 2 sets (a 1-set entry only when no plan without one meets the
  goals: settings too tight, e.g. 2 home days of 24 sets; never with the default session sizes);
- only exercises the lifter has everything for are used: the equipment type, and what the
  exercise needs beyond it (a bench, a squat rack, a pull-up bar, a dip station, an anchor point,
  a low bar; ``GeneratorRequest.fittings``);
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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coach.generator.goals import (
    UnmetGoal,
    equipment_phrase,
    goal_violations,
)
from coach.generator.planner import MIN_SETS_PER_EXERCISE, Planner
from coach.generator.request import GeneratorInputError, GeneratorRequest, validate_request
from coach.plan import MAJOR_MUSCLES, ExerciseInfo, PlannedSession, ProgramSnapshot, snapshot_volume
from exercises.domain import PRIME_MOVER, Fitting, muscle_label
from programs.volume import (
    DEFAULT_LANDMARKS,
    FRACTIONAL,
    MANY_WEEKLY_SETS,
    MAX_EXERCISES_PER_SESSION,
    SESSION_MUSCLE_WARNING_SETS,
    Landmarks,
    ProgramVolume,
)

if TYPE_CHECKING:  # the seed rows are plain data; the generator imports no models at run time
    from exercises.seed import GlobalExerciseData

__all__ = [
    "GeneratedPlan",
    "GeneratorInputError",
    "GeneratorRequest",
    "UnmetGoal",
    "exercises_from_seed_data",
    "generate_plan",
    "goal_violations",
    "validate_request",
]

ATTEMPTS = 6


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
        extra.setdefault(m, max(merged[m].mev, min(MANY_WEEKLY_SETS, merged[m].mav_low)))

    # Greedy choices can paint themselves into a corner when room is tight: a few attempts with
    # other tie-breaks, keeping the first that meets every goal (else the one that misses fewest).
    # Every exercise enters with 2+ sets; only when no such plan meets every goal (very tight
    # settings: few sets a session, a priority muscle capped at its MAV) are 1-set entries tried
    # too, kept if they miss fewer goals, and given a second set wherever a cap allows.
    best: tuple[tuple[int, int], Planner, ProgramSnapshot, ProgramVolume, list[UnmetGoal]] | None = None
    for min_sets in (MIN_SETS_PER_EXERCISE, 1):
        for attempt in range(ATTEMPTS):
            planner = Planner(request, candidates, merged, counting, attempt, min_sets=min_sets)
            planner.fill(goals, relax=True)
            planner.fill(extra, relax=False)
            planner.round_up_single_sets()
            snapshot = planner.snapshot()
            volume = snapshot_volume(snapshot, counting=counting, landmarks=merged)
            problems = goal_violations(
                snapshot,
                volume,
                priority_muscles=request.priority_muscles,
                session_set_limit=request.session_set_limit,
                equipment=request.equipment,
                fittings=request.fittings,
            )
            rank = (len(problems), planner.single_sets())
            if best is None or rank < best[0]:
                best = (rank, planner, snapshot, volume, problems)
            if not problems or not _worth_retrying(problems, request, candidates):
                break
        if best is not None and not best[4]:
            break
    assert best is not None  # noqa: S101
    _, planner, snapshot, volume, problems = best
    unmet = tuple(_with_reason(p, request, candidates, planner) for p in problems)
    equipment_text = equipment_phrase(request.equipment)
    priority_text = ", ".join(muscle_label(m).lower() for m in request.priority_muscles) or "none"
    name = f"{request.days}-day {planner.split_name}"
    description = (
        f"Generated for {request.days} training days a week ({request.structure_type.lower()}), "
        f"equipment: {equipment_text}{_fittings_phrase(request.fittings)}; priority muscles: "
        f"{priority_text}; at most {planner.limit} sets a session."
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


def _fittings_phrase(fittings: frozenset[str]) -> str:
    """ "" for a gym's fittings, else what the lifter has beyond equipment ("; also: a bench")."""
    if fittings >= set(Fitting.values):
        return ""
    if not fittings:
        return " (no bench, rack, bars or anchor point)"
    have = [str(f.label).split(" (")[0].lower() for f in Fitting if f.value in fittings]
    return f"; also: {', '.join(have)}"


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
            1 for c in candidates if request.allows(c) and c.contribution(problem.muscle) == PRIME_MOVER
        )
        needs_two = problem.code in ("priority_outside_mav", "one_exercise_only")
        if primes >= (2 if needs_two else 1):
            return True
    return False


def _with_reason(
    problem: UnmetGoal,
    request: GeneratorRequest,
    candidates: Sequence[ExerciseInfo],
    planner: Planner,
) -> UnmetGoal:
    if problem.muscle is None or problem.code not in (
        "below_mev",
        "priority_outside_mav",
        "one_exercise_only",
    ):
        return problem
    muscle = problem.muscle
    equipment_text = equipment_phrase(request.equipment)
    allowed = [c for c in candidates if request.allows(c)]
    prime = [c for c in allowed if c.contribution(muscle) == PRIME_MOVER]
    serving = [c for c in allowed if c.contribution(muscle) >= 0.5]
    varied_enough = len(serving) >= 2
    if not varied_enough and (
        problem.code == "one_exercise_only" or planner.weekly[muscle] >= MANY_WEEKLY_SETS - 1
    ):
        reason = (
            f"only {len(serving)} exercise in the library trains {muscle_label(muscle).lower()} with "
            f"only {equipment_text}, and 10+ weekly sets from one exercise are not varied enough"
        )
        return UnmetGoal(problem.code, f"{problem.message} Why: {reason}.", muscle)
    if not prime:
        reason = (
            f"no exercise in the library trains {muscle_label(muscle).lower()} as prime mover with only "
            f"{equipment_text}"
        )
        if serving:
            reason += f"; the {len(serving)} that train it as a synergist could not bring it there"
        lacking = sorted(
            {
                need
                for c in candidates
                if c.equipment in request.equipment and c.contribution(muscle) == PRIME_MOVER
                for need in c.needs - request.fittings
            }
        )
        if lacking:
            reason += " and what you have; some would with " + " or ".join(
                str(Fitting(n).label).lower() for n in lacking
            )
    else:
        reason = (
            f"no room left: {request.days} training days of at most {planner.limit} sets and "
            f"{MAX_EXERCISES_PER_SESSION} exercises, at most {SESSION_MUSCLE_WARNING_SETS:g} sets for one "
            "muscle in one session, and no other muscle above its MRV (or a priority muscle above its MAV)"
        )
    return UnmetGoal(problem.code, f"{problem.message} Why: {reason}.", muscle)


def exercises_from_seed_data(items: Iterable[GlobalExerciseData]) -> list[ExerciseInfo]:
    """ExerciseInfo from ``exercises.seed.load_exercises`` rows (plain data, no database)."""
    result = []
    for item in items:
        name = str(item.name)
        result.append(
            ExerciseInfo(
                id=name.lower(),
                name=name,
                equipment=str(item.equipment),
                contributions={str(m): float(v) for m, v in item.muscle_contributions.items()},
                needs=frozenset(item.needs),
            )
        )
    return result
