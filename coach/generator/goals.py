"""The generator's goals, checked on a finished plan with the builder's own volume maths:
:func:`goal_violations` lists every goal a plan misses (the generator reports them, the tests
assert there are none)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coach.generator.request import MAX_SESSION_SETS
from coach.plan import MAJOR_MUSCLES, ProgramSnapshot, counted
from exercises.domain import Equipment, Fitting, muscle_label
from programs.volume import MANY_WEEKLY_SETS, MAX_EXERCISES_PER_SESSION, ProgramVolume


@dataclass(frozen=True)
class UnmetGoal:
    code: str
    message: str
    muscle: str | None = None


def goal_violations(
    snapshot: ProgramSnapshot,
    volume: ProgramVolume,
    *,
    priority_muscles: Sequence[str] = (),
    session_set_limit: int = MAX_SESSION_SETS,
    equipment: Iterable[str] | None = None,
    fittings: Iterable[str] | None = None,
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
                    f"{muscle_label(muscle)}: {value:g} weekly sets, below its MEV of {landmarks[muscle].mev:g}.",
                    muscle,
                )
            )
    for muscle in priority_muscles:
        value, lm = counted(volume, muscle), landmarks[muscle]
        if not lm.mav_low <= value <= lm.mav_high:
            problems.append(
                UnmetGoal(
                    "priority_outside_mav",
                    f"{muscle_label(muscle)} (priority): {value:g} weekly sets, outside its MAV of "
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
        if counted(volume, mv.muscle) >= MANY_WEEKLY_SETS:  # 10+ weekly sets need two exercises
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
    if fittings is not None:
        have = set(fittings)
        for session in snapshot.sessions:
            for item in session.exercises:
                missing = sorted(item.exercise.needs - have)
                if missing:
                    labels = ", ".join(str(Fitting(m).label).lower() for m in missing)
                    problems.append(
                        UnmetGoal("fittings", f"{item.exercise.name} needs {labels}, which you do not have.")
                    )
    return problems


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
